import Foundation
import RecData
import RecModels
import RecSimulation

/// Issue 16's simulation goals on the built-in synthetic data (default generator settings):
/// - **calibration**: a fixed policy (the unified model's mixed slate) simulated with 100 seeds;
///   the 95 % interval of the simulated CTR must cover the exact expected CTR in at least 93.
/// - **mixed against per-domain slates**: the unified model's mixed slate against its movies-only
///   and news-only slates and a news popularity slate, on the same simulated sessions, with paired
///   differences (reported whichever way they go).
/// - **a fitted click model against the truth**: the same four policies trained on 80 % of the rows,
///   their exact CTR under a click model fitted on the other 20 % and under the planted truth: does
///   the fitted model rank policies as the truth does?
struct SimulationBenchmark {
    var users = 1_000
    var seeds = 100
    var sessions = 10_000

    struct Policy: Encodable {
        var name: String
        var ctr: Double
        var lower: Double
        var upper: Double
        var exactCTR: Double
        var clicksPerSession: Double
        var catalogueCoverage: Double
        var intraSlateDiversity: Double
        var domainShare: [String: Double]
        /// Mixed minus this policy, paired by session (nil for the mixed slate itself).
        var mixedMinusThis: Double?
        var mixedMinusThisLower: Double?
        var mixedMinusThisUpper: Double?
        var pValue: Double?
    }

    /// The same slates (policies trained on the rows not held out) under both click models.
    struct FittedAgainstPlanted: Encodable {
        var name: String
        var plantedCTR: Double
        var fittedCTR: Double
    }

    struct Report: Encodable {
        var buildConfiguration: String
        var users: Int
        var sessions: Int
        var seeds: Int
        var clickModel: String
        var calibrationPolicy: String
        var exactCTR: Double
        var covered: Int
        var goalCovered = 93
        var calibrationGoalMet: Bool
        var meanEstimateMinusExact: Double
        var policies: [Policy]
        var fittedClickModel: String
        var fittedWeights: [Double]
        var fittedAgainstPlanted: [FittedAgainstPlanted]
    }

    func run() throws -> Report {
        let root = try BenchmarkSupport.temporaryFolder("crossrec-bench-simulate")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = URL(fileURLWithPath: root).appendingPathComponent("synthetic")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try SyntheticGenerator(config: SyntheticConfig(users: users)).write(to: folder)
        let dataset = try DatasetLocator().open(path: folder.path).dataset
        let truth = try SyntheticTruth.load(from: folder)
        let clickModel = try PlantedClickModel(dataset: dataset, truth: truth)
        let population = (0..<Int32(dataset.users.count)).filter(clickModel.knows)
        let simulator = try SlateSimulator(dataset: dataset, clickModel: clickModel, population: population)
        let movies = dataset.domains.firstIndex { $0.name == "movies" }!, news = dataset.domains.firstIndex { $0.name == "news" }!

        var unified = try ModelRegistry.make("unified", seed: 1)
        try PolicyTraining.fit(&unified, dataset: dataset, target: movies)
        var popularity = try ModelRegistry.make("popularity", seed: 1)
        try PolicyTraining.fit(&popularity, dataset: dataset, target: news)
        func slates(_ model: AnyRecommender, _ target: Int, _ mode: SlatePolicy.Mode) throws -> [[SlateItem]] {
            try SlatePolicy.slates(model: model, dataset: dataset, target: target, users: population, size: 10, mode: mode)
        }
        let mixed = ("unified, mixed slate (≥3 per domain)", try slates(unified, movies, .mixed(minimumPerDomain: 3)))
        let others = [
            ("unified, movies only", try slates(unified, movies, .domain(movies))),
            ("unified, news only", try slates(unified, movies, .domain(news))),
            ("popularity, news only", try slates(popularity, news, .domain(news))),
        ]

        // Calibration: the same policy, 100 simulation seeds.
        var covered = 0
        var errors = 0.0
        var exact = 0.0
        for seed in 1...UInt64(seeds) {
            let result = simulator.run(policy: mixed.0, slates: mixed.1, sessions: sessions, seed: seed)
            exact = result.exactCTR!
            if result.ctr.covers(exact) { covered += 1 }
            errors += result.ctr.mean - exact
        }
        FileHandle.standardError.write(Data("simulate bench: interval covered the exact CTR in \(covered) of \(seeds) seeds\n".utf8))

        func policy(_ result: SlateSimulator.Result, against comparison: SlateSimulator.Comparison?) -> Policy {
            Policy(
                name: result.policy, ctr: result.ctr.mean, lower: result.ctr.lower, upper: result.ctr.upper, exactCTR: result.exactCTR!,
                clicksPerSession: result.clicksPerSession.mean, catalogueCoverage: result.catalogueCoverage,
                intraSlateDiversity: result.intraSlateDiversity, domainShare: result.domainShare,
                mixedMinusThis: comparison?.difference.mean, mixedMinusThisLower: comparison?.difference.lower,
                mixedMinusThisUpper: comparison?.difference.upper, pValue: comparison?.test.pValue)
        }
        var policies = [policy(simulator.run(policy: mixed.0, slates: mixed.1, sessions: sessions, seed: 1), against: nil)]
        for other in others {
            let comparison = simulator.compare(mixed, other, sessions: sessions, seed: 1)
            policies.append(policy(comparison.b, against: comparison))
        }
        // A click model fitted on 20 % held-out rows, against the truth, on the same slates.
        let split = HeldOutSplit(dataset, fraction: 0.2, seed: 1)
        let fitted = try FittedClickModel(split: split, seed: 1)
        let heldOutSimulator = try SlateSimulator(dataset: split.training, clickModel: fitted, population: population)
        var unifiedHeld = try ModelRegistry.make("unified", seed: 1)
        try PolicyTraining.fit(&unifiedHeld, dataset: split.training, target: movies)
        var popularityHeld = try ModelRegistry.make("popularity", seed: 1)
        try PolicyTraining.fit(&popularityHeld, dataset: split.training, target: news)
        func heldSlates(_ model: AnyRecommender, _ target: Int, _ mode: SlatePolicy.Mode) throws -> [[SlateItem]] {
            try SlatePolicy.slates(model: model, dataset: split.training, target: target, users: population, size: 10, mode: mode)
        }
        var againstPlanted: [FittedAgainstPlanted] = []
        for (name, slates) in [
            (mixed.0, try heldSlates(unifiedHeld, movies, .mixed(minimumPerDomain: 3))),
            (others[0].0, try heldSlates(unifiedHeld, movies, .domain(movies))),
            (others[1].0, try heldSlates(unifiedHeld, movies, .domain(news))),
            (others[2].0, try heldSlates(popularityHeld, news, .domain(news))),
        ] {
            let underFitted = heldOutSimulator.run(policy: name, slates: slates, sessions: 2, seed: 1).exactCTR!
            let underPlanted = simulator.run(policy: name, slates: slates, sessions: 2, seed: 1).exactCTR!
            againstPlanted.append(FittedAgainstPlanted(name: name, plantedCTR: underPlanted, fittedCTR: underFitted))
        }
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, users: population.count, sessions: sessions, seeds: seeds,
            clickModel: clickModel.description, calibrationPolicy: mixed.0, exactCTR: exact, covered: covered,
            calibrationGoalMet: covered >= 93, meanEstimateMinusExact: errors / Double(seeds), policies: policies,
            fittedClickModel: fitted.description, fittedWeights: fitted.weights, fittedAgainstPlanted: againstPlanted)
    }
}
