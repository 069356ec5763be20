import Foundation
import RecData
import RecModels
import SeededRandom

/// The cold-item ceiling's cross-domain posterior: what a scorer that knows the generator could
/// get from everything a user did, in both domains, rather than their own domain's rows alone.
///
/// Tastes are linked as the generator links them (``SyntheticGenerator``): topic taste
/// t = normalise(s·Aᵀg + (1 − s) r), with g the genre taste, r an independent Dirichlet(0.3) draw and
/// `s·A` the planted affinity (truth.json). The posterior over (g, r) is sampled by importance:
/// g ~ Dirichlet(movie counts + 0.3) (the movie rows' conjugate approximation, as ``posteriorScores``),
/// r ~ Dirichlet(0.3), each sample weighted by the likelihood of the user's news clicks, a click on
/// an article of topic τ having probability e_τ p_τ / Σ_σ e_σ p_σ, p_τ = 0.02 + 0.55 t_τ / max t the
/// generator's click chance and e_τ the topic's share of the news catalogue (exposure ∝ popularity,
/// which does not depend on the topic). Leaving a domain's rows out gives the own-domain posteriors.
struct CrossDomainPosterior {
    /// Genres × topics, the planted `s·A`.
    let affinity: [[Double]]
    /// s, the affinity strength.
    let strength: Double
    /// Per movie: its genres' indices into the truth's genres.
    let movieGenres: [[Int]]
    /// Per news article: its topic's index into the truth's topics (nil: not a planted topic).
    let newsTopics: [Int?]
    /// e_τ: each topic's share of the news catalogue.
    let exposure: [Double]
    /// Movies per genre (the oracle's stand-in for a genre's popularity mass).
    let genreSizes: [Double]
    let noise: Double

    init(truth: SyntheticTruth, movies: ItemCatalog, movieCount: Int, news: ItemCatalog, newsCount: Int) {
        affinity = truth.affinity
        strength = truth.parameters.affinityStrength
        noise = max(truth.parameters.noise, 1e-6)
        let genreIndex = Dictionary(truth.genres.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let topicIndex = Dictionary(truth.topics.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        movieGenres = (0..<movieCount).map { item in
            (movies.records[item]?.categories ?? []).compactMap { genreIndex[movies.categories[Int($0)]] }
        }
        newsTopics = (0..<newsCount).map { item in
            (news.records[item]?.categories ?? []).lazy.compactMap { topicIndex[news.categories[Int($0)]] }.first
        }
        var shares = [Double](repeating: 0, count: truth.topics.count)
        for topic in newsTopics { if let topic { shares[topic] += 1 } }
        let total = max(1, shares.reduce(0, +))
        exposure = shares.map { $0 / total }
        var sizes = [Double](repeating: 0, count: truth.genres.count)
        for genres in movieGenres { for k in genres { sizes[k] += 1 } }
        genreSizes = sizes
    }

    /// One user's evidence: rows per genre (a movie's row split over its genres), their rated
    /// movies, and clicks per topic.
    struct Evidence {
        var genreCounts: [Double]
        var movies: [Int]
        var topicCounts: [Double]
    }

    /// Every user's evidence from `movieRows` and `newsRows` (nil: that domain's rows left out).
    func evidence(movieRows: Interactions?, newsRows: Interactions?, userCount: Int) -> [Evidence] {
        var result = [Evidence](
            repeating: Evidence(
                genreCounts: [Double](repeating: 0, count: affinity.count), movies: [],
                topicCounts: [Double](repeating: 0, count: exposure.count)),
            count: userCount)
        if let movieRows {
            for k in 0..<movieRows.count {
                let user = Int(movieRows.users[k])
                let genres = movieGenres[Int(movieRows.items[k])]
                for g in genres { result[user].genreCounts[g] += 1 / Double(genres.count) }
                result[user].movies.append(Int(movieRows.items[k]))
            }
        }
        if let newsRows {
            for k in 0..<newsRows.count {
                guard let topic = newsTopics[Int(newsRows.items[k])] else { continue }
                result[Int(newsRows.users[k])].topicCounts[topic] += 1
            }
        }
        return result
    }

    /// Per user and item of `domain` ("movies" or "news"): the generator's score averaged over the
    /// posterior built from `evidence` (`samples` weighted draws, seeded). Users without any
    /// evidence get zeros. Also returns the mean effective sample size (Σw)² / Σw² over users with
    /// evidence, so a reader can see whether the importance weights collapsed.
    func scores(domain: String, evidence: [Evidence], samples: Int, seed: UInt64) -> (scores: [[Float]], meanESS: Double) {
        let itemCount = domain == "movies" ? movieGenres.count : newsTopics.count
        let genres = affinity.count
        let topics = exposure.count
        var random = SplitMix64(seed: seed &+ 0xC805_5D0A)
        var result = [[Float]](repeating: [Float](repeating: 0, count: itemCount), count: evidence.count)
        var essTotal = 0.0
        var essUsers = 0
        var g = [Double](repeating: 0, count: genres)
        var r = [Double](repeating: 0, count: topics)
        var t = [Double](repeating: 0, count: topics)
        for user in evidence.indices {
            let e = evidence[user]
            let clicks = e.topicCounts.reduce(0, +)
            guard !e.movies.isEmpty || clicks > 0 else { continue }
            var logWeights = [Double](repeating: 0, count: samples)
            // Movies: per sample, the generator's score for every movie; news: E[t_τ / max t] per topic.
            var sampleScores = [[Double]](repeating: [], count: samples)
            for s in 0..<samples {
                for k in 0..<genres { g[k] = gamma(e.genreCounts[k] + 0.3, &random) }
                let gSum = g.reduce(0, +)
                for k in 0..<genres { g[k] /= gSum }
                for τ in 0..<topics { r[τ] = gamma(0.3, &random) }
                let rSum = r.reduce(0, +)
                for τ in 0..<topics {
                    var linked = 0.0
                    for k in 0..<genres { linked += affinity[k][τ] * g[k] }
                    t[τ] = linked + (1 - strength) * r[τ] / rSum
                }
                let tSum = t.reduce(0, +)
                for τ in 0..<topics { t[τ] /= tSum }
                let tMax = t.max() ?? 1
                if clicks > 0 {
                    var normaliser = 0.0
                    var logLikelihood = 0.0
                    for τ in 0..<topics {
                        let p = exposure[τ] * (0.02 + 0.55 * t[τ] / tMax)
                        normaliser += p
                        if e.topicCounts[τ] > 0 { logLikelihood += e.topicCounts[τ] * log(p) }
                    }
                    logWeights[s] = logLikelihood - clicks * log(normaliser)
                }
                if domain == "movies" {
                    let mean =
                        e.movies.isEmpty
                        ? 0 : e.movies.reduce(0.0) { $0 + sigma(movieGenres[$1], g) } / Double(e.movies.count)
                    sampleScores[s] = movieGenres.map { movieScore($0, g, mean: mean) }
                } else {
                    sampleScores[s] = t.map { $0 / tMax }
                }
            }
            let top = logWeights.max() ?? 0
            let weights = logWeights.map { exp($0 - top) }
            let weightSum = weights.reduce(0, +)
            essTotal += weightSum * weightSum / weights.reduce(0) { $0 + $1 * $1 }
            essUsers += 1
            var averaged = [Double](repeating: 0, count: sampleScores[0].count)
            for s in 0..<samples where weights[s] > 0 {
                for i in averaged.indices { averaged[i] += weights[s] * sampleScores[s][i] }
            }
            if domain == "movies" {
                result[user] = averaged.map { Float($0 / weightSum) }
            } else {
                result[user] = newsTopics.map { topic in topic.map { Float(averaged[$0] / weightSum) } ?? 0 }
            }
        }
        return (result, essUsers > 0 ? essTotal / Double(essUsers) : 0)
    }

    private func sigma(_ genres: [Int], _ g: [Double]) -> Double {
        ColdItemCeilingBenchmark.Oracle.sigma(genres, g)
    }

    private func movieScore(_ genres: [Int], _ g: [Double], mean: Double) -> Double {
        ColdItemCeilingBenchmark.Oracle.movieScore(genres, g, mean: mean, genreSizes: genreSizes, noise: noise)
    }
}
