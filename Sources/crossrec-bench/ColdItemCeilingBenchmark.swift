import Foundation
import ParameterSpecs
import RecData
import RecEval
import RecModels
import SeededRandom
import Sweep
import SweepRuntime

/// How much room the synthetic data leaves above the content model on cold items (issue 13's
/// cold-item goal): on a `cold-items` split of generated data, NDCG@10 of an oracle that knows every
/// user's true tastes (truth.json) beside the content model (centred TF-IDF) and two-tower
/// configurations, all on the same users, paired.
///
/// The oracle follows the generator (``SyntheticGenerator``), short of what no model can know about
/// an item without rows (its popularity π):
/// - movies: P(rated and ≥ 4) ∝ [Σ_{k ∈ genres(m)} (g_k + 0.02) / N_k] · Φ((2 (σ(m) − σ̄_u) − 0.75) / noise),
///   σ(m) = mean_{k ∈ m} g_k / max g, σ̄_u the mean σ over the user's training rows, N_k the movies
///   of genre k (π_m / Σ_{k} π replaced by its mean 1 / N_k); a rating is ≥ 4 when
///   3 + 2 (σ − σ̄) + noise · N(0, 1) ≥ 3.75 (rounded to halves);
/// - news: the click probability's order, t_topic(a) (exposure ∝ popularity, unknown for a cold article).
/// Knowing g and t exactly is more than any model can learn from the rows, so the oracle's lead
/// over the content model bounds what a better content-side model can gain on this data.
struct ColdItemCeilingBenchmark {
    var users: Int
    var draws: [UInt64]
    var twoTowerConfigurations: [String: [String: ParameterValue]]
    static let posteriorSamples = 2000

    struct Comparison: Codable {
        /// `ndcg@10` (per user) or `mind_auc` (per impression, news).
        var metric: String
        var a: String
        var b: String
        var users: Int
        var meanA: Double
        var meanB: Double
        var difference: Double
        var lower: Double
        var upper: Double
        var tTestP: Double
    }

    struct Run: Codable {
        var domain: String
        var draw: UInt64
        var users: Int
        /// Weighted draws per user behind `posterior-both` and `posterior-own`.
        var posteriorSamples: Int
        /// Their mean effective sample size (Σw)² / Σw² over users with rows: near
        /// `posteriorSamples` the weights are even, near 1 one draw carries the average.
        var effectiveSamples: [String: Double]
        var ndcg: [String: Double]
        /// News: impressions scored among their held-out candidates, and each scorer's mean AUC there.
        var impressions: Int?
        var mindAUC: [String: Double]?
        var comparisons: [Comparison]
    }

    /// One scorer against content over the draws: the per-draw mean differences and a one-sample
    /// t-test over them (draws − 1 degrees of freedom), which counts the draw-to-draw swing a single
    /// draw's interval leaves out.
    struct AcrossDraws: Codable {
        var domain: String
        var metric: String
        var scorer: String
        var draws: Int
        var differences: [Double]
        var meanDifference: Double
        var t: Double
        var pValue: Double
    }

    struct Report: Codable {
        var benchmark = "cold-item-ceiling"
        var buildConfiguration: String
        var command: String
        var generatedUsers: Int
        var twoTowerConfigurations: [String: [String: String]]
        var runs: [Run]
        /// Present with two draws or more.
        var acrossDraws: [AcrossDraws]
    }

    func run() throws -> Report {
        var config = SyntheticConfig()
        config.users = users
        let folder = try SyntheticCache.folder(for: config)
        var locator = DatasetLocator()
        locator.kind = .linked
        let dataset = try locator.open(path: folder).dataset
        let truth = try SyntheticTruth.load(from: URL(fileURLWithPath: folder))
        var truthByID: [String: SyntheticTruth.User] = [:]
        for user in truth.users {
            if let id = user.movielensUser ?? user.mindUser { truthByID[id] = user }
        }
        var runs: [Run] = []
        for domain in ["movies", "news"] {
            for draw in draws {
                let request = DatasetSpec(
                    source: .synthetic(config), split: .coldItems(testFraction: 0.2, seed: draw, by: .random), domain: domain,
                    coldCandidatesOnly: domain == "news")
                let data = try PreparedData.prepare(request)
                guard data.userCount == dataset.users.count else {
                    throw BenchmarkError("the prepared data has \(data.userCount) users, the linked folder \(dataset.users.count)")
                }
                let tastes = (0..<data.userCount).map { u in
                    truthByID[dataset.users[Int32(u)]].map { domain == "movies" ? $0.genreTaste : $0.topicTaste }
                }
                let oracle = try Oracle(domain: domain, data: data, truth: truth, tastes: tastes, noise: config.noise)
                var perUser: [String: [Double]] = [:]
                var evaluatedUsers: [Int32]?
                var perImpression: [String: [Double]] = [:]
                var scoredImpressions: [Int]?
                /// Top-K over the held-out items and, on news, AUC over the impressions' held-out
                /// candidates (`candidates`: the scorer's scores for a user's candidates given the
                /// impression's history; nil: rank from `all`'s per-user scores).
                func record(
                    _ name: String, all: (Int32, UnsafeMutableBufferPointer<Float>) -> Void,
                    candidates: ((Int32, ArraySlice<Int32>, ArraySlice<Int32>, UnsafeMutableBufferPointer<Float>) -> Void)? = nil
                ) throws {
                    let evaluation = try evaluate(data, score: all)
                    guard let values = evaluation.perUser("ndcg@10") else { throw BenchmarkError("no per-user ndcg@10") }
                    if let evaluatedUsers, evaluatedUsers != evaluation.users {
                        throw BenchmarkError("\(name) was evaluated on other users")
                    }
                    evaluatedUsers = evaluation.users
                    perUser[name] = values
                    guard let log = data.impressions else { return }
                    var buffer = [Float](repeating: 0, count: data.itemCount)
                    let impressions = ImpressionEvaluator().evaluate(log) { user, history, items, scores in
                        if let candidates {
                            candidates(user, history, items, scores)
                            return
                        }
                        buffer.withUnsafeMutableBufferPointer { all(user, $0) }
                        for (k, item) in items.enumerated() { scores[k] = buffer[Int(item)] }
                    }
                    if let scoredImpressions, scoredImpressions != impressions.impressions {
                        throw BenchmarkError("\(name) scored other impressions")
                    }
                    scoredImpressions = impressions.impressions
                    perImpression[name] = impressions.auc
                }
                try record("oracle") { user, scores in oracle.score(user: Int(user), into: scores) }
                let plugIn = oracle.estimatingTastes(from: data.training.interactions, userCount: data.userCount)
                try record("plug-in") { user, scores in plugIn.score(user: Int(user), into: scores) }
                if domain == "movies" {
                    let posterior = oracle.posteriorScores(
                        from: data.training.interactions, userCount: data.userCount, samples: 100, seed: draw)
                    try record("posterior") { user, scores in
                        for i in scores.indices { scores[i] = posterior[Int(user)][i] }
                    }
                }
                // The posteriors through the planted affinity: own rows only (news; movies has
                // `posterior` above) and both domains' rows.
                let otherName = domain == "movies" ? "news" : "movies"
                guard let other = data.training.otherDomains.first(where: { $0.name == otherName }),
                    let ownCatalog = data.training.catalog, let otherCatalog = other.catalog
                else { throw BenchmarkError("the \(domain) draw has no '\(otherName)' domain with a catalog") }
                let linked =
                    domain == "movies"
                    ? CrossDomainPosterior(
                        truth: truth, movies: ownCatalog, movieCount: data.itemCount, news: otherCatalog,
                        newsCount: other.itemCount)
                    : CrossDomainPosterior(
                        truth: truth, movies: otherCatalog, movieCount: other.itemCount, news: ownCatalog,
                        newsCount: data.itemCount)
                let own = data.training.interactions
                var evidenceSets: [(String, [CrossDomainPosterior.Evidence])] = [
                    (
                        "posterior-both",
                        domain == "movies"
                            ? linked.evidence(movieRows: own, newsRows: other.interactions, userCount: data.userCount)
                            : linked.evidence(movieRows: other.interactions, newsRows: own, userCount: data.userCount)
                    )
                ]
                if domain == "news" {
                    evidenceSets.append(
                        ("posterior-own", linked.evidence(movieRows: nil, newsRows: own, userCount: data.userCount)))
                }
                var effectiveSamples: [String: Double] = [:]
                for (name, evidence) in evidenceSets {
                    let (posterior, ess) = linked.scores(
                        domain: domain, evidence: evidence, samples: Self.posteriorSamples, seed: draw)
                    effectiveSamples[name] = ess
                    try record(name) { user, scores in
                        for i in scores.indices { scores[i] = posterior[Int(user)][i] }
                    }
                }
                var models: [(String, String, [String: ParameterValue])] = [
                    ("content", ContentModel.name, ["weighting": .string("centered")]),
                    ("popularity", PopularityModel.name, [:]),
                ]
                for (name, parameters) in twoTowerConfigurations.sorted(by: { $0.key < $1.key }) {
                    models.append((name, TwoTowerModel.name, parameters))
                }
                for (name, model, parameters) in models {
                    var recommender = try ModelRegistry.make(model, parameters: parameters, seed: 1)
                    try recommender.fit(data.training)
                    let trained = recommender
                    let itemCount = data.itemCount
                    try record(name, all: { user, scores in trained.scoreAll(user: user, into: scores) }) {
                        user, history, items, scores in
                        trained.scoreCandidates(
                            user: user, history: history, candidates: items, itemCount: itemCount, into: scores)
                    }
                    FileHandle.standardError.write(Data("\(domain) draw \(draw): \(name) done\n".utf8))
                }
                var comparisons: [Comparison] = []
                for (metric, values) in [("ndcg@10", perUser), ("mind_auc", perImpression)] {
                    for name in values.keys.sorted() where name != "content" {
                        let paired = PairedComparison(metric: metric, values[name]!, values["content"]!, resamples: 10_000)
                        comparisons.append(
                            Comparison(
                                metric: metric, a: name, b: "content", users: paired.count, meanA: paired.meanA,
                                meanB: paired.meanB, difference: paired.tTest.meanDifference, lower: paired.bootstrap.lower,
                                upper: paired.bootstrap.upper, tTestP: paired.tTest.pValue))
                    }
                }
                runs.append(
                    Run(
                        domain: domain, draw: draw, users: evaluatedUsers?.count ?? 0,
                        posteriorSamples: Self.posteriorSamples, effectiveSamples: effectiveSamples,
                        ndcg: perUser.mapValues { $0.reduce(0, +) / Double(max(1, $0.count)) },
                        impressions: scoredImpressions?.count,
                        mindAUC: perImpression.isEmpty ? nil : perImpression.mapValues { $0.reduce(0, +) / Double(max(1, $0.count)) },
                        comparisons: comparisons))
            }
        }
        var acrossDraws: [AcrossDraws] = []
        for domain in ["movies", "news"] where draws.count >= 2 {
            let domainRuns = runs.filter { $0.domain == domain }
            let pairs = domainRuns.first?.comparisons.map { ($0.metric, $0.a) } ?? []
            for (metric, scorer) in pairs {
                let differences = domainRuns.compactMap { run in
                    run.comparisons.first { $0.metric == metric && $0.a == scorer }?.difference
                }
                guard differences.count == domainRuns.count else { continue }
                let test = PairedTTest(differences, [Double](repeating: 0, count: differences.count))
                acrossDraws.append(
                    AcrossDraws(
                        domain: domain, metric: metric, scorer: scorer, draws: differences.count, differences: differences,
                        meanDifference: test.meanDifference, t: test.t, pValue: test.pValue))
            }
        }
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration,
            command: "crossrec-bench cold-ceiling --users \(users) --draws \(draws.map { String($0) }.joined(separator: ","))",
            generatedUsers: users,
            twoTowerConfigurations: twoTowerConfigurations.mapValues { $0.mapValues { "\($0)" } }, runs: runs,
            acrossDraws: acrossDraws)
    }

    /// Top-K as a trial measures it on a cold-items split: the held-out items are the candidates.
    private func evaluate(
        _ data: PreparedData, score: (Int32, UnsafeMutableBufferPointer<Float>) -> Void
    ) throws -> TopKEvaluation {
        let evaluator = try TopKEvaluator(
            ks: [10], relevanceThreshold: data.isExplicit ? TopKEvaluator.explicitRelevanceThreshold : nil,
            candidatePolicy: data.candidateItems.map { .stated($0) } ?? .itemsSeenInTraining)
        let split = Split(name: data.domainName, train: data.training.interactions, test: data.test)
        return evaluator.evaluate(split, userCount: data.userCount, itemCount: data.itemCount) { user, scores in
            score(user, scores)
        }
    }

    /// The generator's own scoring, from the true tastes.
    struct Oracle {
        let domain: String
        /// Per item: indices into the truth's genres (movies) or topics (news).
        let itemClasses: [[Int]]
        /// Movies per genre.
        let genreSizes: [Double]
        /// Per user: their taste over the domain's genres (movies) or topics (news); nil: unknown.
        var tastes: [[Double]?]
        /// Per user: the mean σ over their training rows (movies).
        var meanScore: [Double]
        /// The rating noise's standard deviation.
        let noise: Double

        init(domain: String, data: PreparedData, truth: SyntheticTruth, tastes: [[Double]?], noise: Double) throws {
            self.domain = domain
            self.noise = max(noise, 1e-6)
            self.tastes = tastes
            guard let catalog = data.training.catalog else { throw BenchmarkError("the \(domain) domain has no catalog") }
            let names = domain == "movies" ? truth.genres : truth.topics
            let index = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            itemClasses = (0..<data.itemCount).map { item in
                let categories = catalog.records[item]?.categories ?? []
                return categories.compactMap { index[catalog.categories[Int($0)]] }
            }
            var sizes = [Double](repeating: 0, count: names.count)
            for classes in itemClasses { for k in classes { sizes[k] += 1 } }
            genreSizes = sizes
            meanScore =
                domain == "movies"
                ? Self.meanScores(data.training.interactions, tastes: tastes, itemClasses: itemClasses)
                : [Double](repeating: 0, count: data.userCount)
        }

        /// Per user: the mean σ over their rows under their `tastes` (0 without a taste).
        static func meanScores(_ rows: Interactions, tastes: [[Double]?], itemClasses: [[Int]]) -> [Double] {
            var means = [Double](repeating: 0, count: tastes.count)
            var counts = [Double](repeating: 0, count: tastes.count)
            for k in 0..<rows.count {
                let user = Int(rows.users[k])
                guard let taste = tastes[user] else { continue }
                means[user] += sigma(itemClasses[Int(rows.items[k])], taste)
                counts[user] += 1
            }
            for user in means.indices where counts[user] > 0 { means[user] /= counts[user] }
            return means
        }

        /// The generator's chance that a user with genre taste `g` (mean σ `mean`) rates a movie of
        /// `genres` and rates it 4 or more, up to the movie's unknown popularity.
        func movieScore(_ genres: [Int], _ g: [Double], mean: Double) -> Double {
            Self.movieScore(genres, g, mean: mean, genreSizes: genreSizes, noise: noise)
        }

        static func movieScore(_ genres: [Int], _ g: [Double], mean: Double, genreSizes: [Double], noise: Double) -> Double {
            let drawn = genres.reduce(0.0) { $0 + (g[$1] + 0.02) / max(1, genreSizes[$1]) }
            let z = (2 * (sigma(genres, g) - mean) - 0.75) / noise
            return drawn * 0.5 * erfc(-z / 2.0.squareRoot())
        }

        /// The same formulas with the tastes estimated from the training rows: g_k (t_k) the share
        /// of the user's rows in genre (topic) k, a movie's rows split evenly over its genres. Not an
        /// oracle: what a count model of the generator's form gets from the data alone.
        func estimatingTastes(from rows: Interactions, userCount: Int) -> Oracle {
            let width = genreSizes.count
            var shares = [[Double]](repeating: [Double](repeating: 0, count: width), count: userCount)
            for k in 0..<rows.count {
                let classes = itemClasses[Int(rows.items[k])]
                for c in classes { shares[Int(rows.users[k])][c] += 1 / Double(classes.count) }
            }
            let estimated = shares.map { share -> [Double]? in
                let total = share.reduce(0, +)
                return total > 0 ? share.map { $0 / total } : nil
            }
            var copy = self
            copy.tastes = estimated
            if domain == "movies" { copy.meanScore = Self.meanScores(rows, tastes: estimated, itemClasses: itemClasses) }
            return copy
        }

        /// Movies: each user's expected score under a posterior over their tastes built from their
        /// own rows, g ~ Dirichlet(c + 0.3) with c the rows per genre (split over a movie's genres)
        /// and 0.3 the generator's prior, averaged over `samples` draws (σ̄_u recomputed per draw).
        /// What the user's own rows allow when the score's nonlinearity is respected; still short
        /// of the other domain's evidence.
        func posteriorScores(from rows: Interactions, userCount: Int, samples: Int, seed: UInt64) -> [[Float]] {
            let width = genreSizes.count
            let itemCount = itemClasses.count
            var counts = [[Double]](repeating: [Double](repeating: 0, count: width), count: userCount)
            var userRows = [[Int]](repeating: [], count: userCount)
            for k in 0..<rows.count {
                let user = Int(rows.users[k])
                let classes = itemClasses[Int(rows.items[k])]
                for c in classes { counts[user][c] += 1 / Double(classes.count) }
                userRows[user].append(Int(rows.items[k]))
            }
            var random = SplitMix64(seed: seed &+ 0xD1A7)
            var result = [[Float]](repeating: [Float](repeating: 0, count: itemCount), count: userCount)
            for user in 0..<userCount where !userRows[user].isEmpty {
                var total = [Double](repeating: 0, count: itemCount)
                for _ in 0..<samples {
                    var g = counts[user].map { gamma($0 + 0.3, &random) }
                    let sum = g.reduce(0, +)
                    for k in g.indices { g[k] /= sum }
                    let mean = userRows[user].reduce(0.0) { $0 + Self.sigma(itemClasses[$1], g) } / Double(userRows[user].count)
                    for item in 0..<itemCount { total[item] += movieScore(itemClasses[item], g, mean: mean) }
                }
                result[user] = total.map { Float($0 / Double(samples)) }
            }
            return result
        }

        static func sigma(_ genres: [Int], _ g: [Double]) -> Double {
            guard !genres.isEmpty, let top = g.max(), top > 0 else { return 0 }
            return genres.reduce(0) { $0 + g[$1] } / Double(genres.count) / top
        }

        func score(user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
            guard let taste = tastes[user] else {
                for i in scores.indices { scores[i] = 0 }
                return
            }
            for item in scores.indices {
                let classes = itemClasses[item]
                if domain == "movies" {
                    scores[item] = Float(movieScore(classes, taste, mean: meanScore[user]))
                } else {
                    scores[item] = Float(classes.map { taste[$0] }.max() ?? 0)
                }
            }
        }
    }
}

/// A standard normal draw (Box–Muller).
func normal(_ random: inout SplitMix64) -> Double {
    let u1 = max(random.nextOpenUnit(), 1e-300)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * random.nextUnit())
}

/// A Gamma(shape, 1) draw: Marsaglia and Tsang; shape < 1 through Gamma(shape + 1) · U^(1/shape).
func gamma(_ shape: Double, _ random: inout SplitMix64) -> Double {
    if shape < 1 { return gamma(shape + 1, &random) * pow(random.nextOpenUnit(), 1 / shape) }
    let d = shape - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    while true {
        let x = normal(&random)
        let v = pow(1 + c * x, 3)
        guard v > 0 else { continue }
        if log(random.nextOpenUnit()) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
    }
}
