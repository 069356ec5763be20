import Foundation

/// The best anyone could do at recovering planted user groups from a generated data set: a Bayes
/// classifier that knows the generative model (``SyntheticGenerator``), the group prototypes and
/// the planted affinity (truth.json), and sees what the data shows of each user: the movies rated
/// and which news topics were clicked or passed over in each impression.
///
/// For group k the likelihood of a user's rows integrates the user's own taste draw d (genre
/// taste g = normalise((1 − w) p_k + w d)) and independent topic taste r by Monte Carlo over
/// `samples` shared draws d, r ~ Dirichlet(0.3):
/// - each rated movie m: Σ_{genre j of m} (g_j + 0.02)/Σ(g + 0.02) · π_m/Π_j, with π_m the movie's
///   rating count (+0.001) standing in for its popularity and Π_j the sum over movies of genre j;
/// - each shown article of topic c: clicked with probability 0.02 + 0.55 t_c / max t, where
///   t = normalise(affinity^T g + (1 − s) r), else not (impressions where nothing was clicked
///   are treated the same way, a small approximation of the generator's forced click).
/// Rating values and the order of rows are ignored, so this is an approximate ceiling, not an
/// exact one (a method using rating values can beat it by a little).
///
/// A clustering method is judged against what this classifier achieves: groups it cannot tell
/// apart are not in the data, and no method can recover them (issue 16, docs/clusters.md).
/// - Complexity: O(users · groups · samples · (rows + topics + genres)) time.
/// - Determinism: the draws are seeded; the same folder and seed give the same labels.
public enum SyntheticGroupOracle {
    /// Each user's most probable group, by the user's id in the MovieLens files (users in both
    /// domains only). Empty when the data set has no planted groups.
    public static func classify(folder: String, samples: Int = 400, seed: UInt64 = 1) throws(DataError) -> [String: Int] {
        let root = URL(fileURLWithPath: folder)
        let truth = try SyntheticTruth.load(from: root)
        guard let prototypes = truth.groupPrototypes, !prototypes.isEmpty else { return [:] }
        let movies = try MovieLensLoader().load(folder: root.appendingPathComponent("movielens").path)
        let news = try MINDLoader.load(folder: root.appendingPathComponent("mind").path)
        let genreCount = truth.genres.count, topicCount = truth.topics.count
        let spread = truth.parameters.groupSpread, strength = truth.parameters.affinityStrength

        // Movies: each one's genres (truth's indices) and popularity weight per genre.
        guard let movieDomain = movies.domains.first else { return [:] }
        let genreIndex = Dictionary(uniqueKeysWithValues: truth.genres.enumerated().map { ($1, $0) })
        let movieGenres: [[Int]] = (0..<movieDomain.items.count).map { item in
            movieDomain.catalog.categoryNames(of: Int32(item)).compactMap { genreIndex[$0] }
        }
        var ratingCount = [Double](repeating: 0, count: movieDomain.items.count)
        var rated = [[Int32]](repeating: [], count: movies.users.count)
        for k in 0..<movieDomain.interactions.count {
            ratingCount[Int(movieDomain.interactions.items[k])] += 1
            rated[Int(movieDomain.interactions.users[k])].append(movieDomain.interactions.items[k])
        }
        var genreMass = [Double](repeating: 0, count: genreCount)
        for (item, genres) in movieGenres.enumerated() {
            for genre in genres { genreMass[genre] += ratingCount[item] + 0.001 }
        }

        // News: clicked and passed-over counts per topic per user, over every split.
        let topicIndex = Dictionary(uniqueKeysWithValues: truth.topics.enumerated().map { ($1, $0) })
        let newsTopic: [Int?] = (0..<news.news.items.count).map { item in
            news.news.catalog.categoryNames(of: Int32(item)).first.flatMap { topicIndex[$0] }
        }
        var clicked = [[Double]](repeating: [], count: news.dataset.users.count)
        var passed = [[Double]](repeating: [], count: news.dataset.users.count)
        for split in news.splits {
            guard let log = news.logs[split] else { continue }
            for impression in 0..<log.count {
                let user = Int(log.users[impression])
                if clicked[user].isEmpty {
                    clicked[user] = [Double](repeating: 0, count: topicCount)
                    passed[user] = clicked[user]
                }
                for (candidate, label) in zip(log.candidates(of: impression), log.labels(of: impression)) {
                    guard let topic = newsTopic[Int(candidate)] else { continue }
                    if label == 1 { clicked[user][topic] += 1 } else if label == 0 { passed[user][topic] += 1 }
                }
            }
        }

        // Shared Monte Carlo draws of the user's own genre and topic tastes.
        var random = SyntheticRandom(seed: seed, stream: 0x6f72_6163_6c65)
        let ownGenre = (0..<samples).map { _ in random.dirichlet(count: genreCount, concentration: SyntheticGenerator.tasteConcentration) }
        let ownTopic = (0..<samples).map { _ in random.dirichlet(count: topicCount, concentration: SyntheticGenerator.tasteConcentration) }
        // Per group and draw: genre pick probabilities, and the logs of each topic's click and
        // no-click probabilities (computed once here, not per user).
        var pick: [[[Double]]] = [], logClick: [[[Double]]] = [], logPass: [[[Double]]] = []
        for prototype in prototypes {
            var picks: [[Double]] = [], clicks: [[Double]] = [], passes: [[Double]] = []
            for s in 0..<samples {
                var g = (0..<genreCount).map { (1 - spread) * prototype[$0] + spread * ownGenre[s][$0] }
                let total = g.reduce(0, +)
                g = g.map { $0 / total }
                let floored = g.map { $0 + SyntheticRatings.genreFloor }
                let flooredTotal = floored.reduce(0, +)
                picks.append(floored.map { $0 / flooredTotal })
                var t = (0..<topicCount).map { c in
                    (0..<genreCount).reduce(0.0) { $0 + truth.affinity[$1][c] * g[$1] } + (1 - strength) * ownTopic[s][c]
                }
                let top = t.max() ?? 1
                t = t.map { SyntheticClicks.baseClickProbability + SyntheticClicks.tasteClickProbability * $0 / top }
                clicks.append(t.map { log($0) })
                passes.append(t.map { log(1 - $0) })
            }
            pick.append(picks)
            logClick.append(clicks)
            logPass.append(passes)
        }

        var result: [String: Int] = [:]
        for user in truth.users {
            guard let movieID = user.movielensUser, let mindID = user.mindUser,
                let movieUser = movies.users.index(of: movieID), let newsUser = news.dataset.users.index(of: mindID)
            else { continue }
            let shown = (clicked[Int(newsUser)], passed[Int(newsUser)])
            var best = 0, bestScore = -Double.infinity
            for group in prototypes.indices {
                var logs = [Double](repeating: 0, count: samples)
                for s in 0..<samples {
                    var value = 0.0
                    for item in rated[Int(movieUser)] {
                        var p = 0.0
                        for genre in movieGenres[Int(item)] {
                            p += pick[group][s][genre] * (ratingCount[Int(item)] + 0.001) / genreMass[genre]
                        }
                        value += log(max(p, .leastNormalMagnitude))
                    }
                    if !shown.0.isEmpty {
                        for c in 0..<topicCount where shown.0[c] > 0 || shown.1[c] > 0 {
                            value += shown.0[c] * logClick[group][s][c] + shown.1[c] * logPass[group][s][c]
                        }
                    }
                    logs[s] = value
                }
                let top = logs.max() ?? 0
                let score = top + log(logs.reduce(0) { $0 + exp($1 - top) } / Double(samples))
                if score > bestScore { (best, bestScore) = (group, score) }
            }
            result[movieID] = best
        }
        return result
    }
}
