import Foundation
import RecData
import RecEval
import RecModels
import Sweep

/// Biased MF's `order` (shuffled against fixed, Surprise's by-user order) compared at Surprise's
/// defaults on the validation splits of u1…u5 (``validationSplits(folds:data:)``), over every
/// benchmark seed. This is the evidence for the default `order`; the test folds play no part.
///
/// Rule, fixed before the comparison was run: `fixed` is the better order when its mean
/// validation RMSE over folds and seeds is lower and a paired t-test over the seeds (each seed's
/// mean over the five folds, same seed = same initial factors in both orders) gives p < 0.05.
extension ModelBenchmark {
    struct OrderRun: Codable {
        var seed: UInt64
        /// Validation RMSE per fold, u1…u5.
        var shuffled: [Double]
        var fixed: [Double]
        var shuffledMean: Double
        var fixedMean: Double
    }

    struct OrderComparison: Codable {
        var protocolDescription: String
        var parameters: [String: String]
        var folds: [String]
        var runs: [OrderRun]
        /// Per fold, the mean over seeds.
        var shuffledPerFold: [Double]
        var fixedPerFold: [Double]
        var shuffled: SeedStatistics
        var fixed: SeedStatistics
        /// fixed − shuffled over the per-seed means.
        /// nil with a single seed: a paired test needs at least two pairs.
        var pairedTTest: PairedTTest?
        /// Mean wall-clock seconds of one fit (20 epochs on 90% of a fold), over every seed and fold.
        var shuffledFitSeconds: Double
        var fixedFitSeconds: Double
        var fixedIsBetter: Bool
        var defaultOrder: String
        var rule: String
    }

    func compareOrders(_ splits: [ValidationSplit]) throws -> OrderComparison {
        var runs: [OrderRun] = []
        var fitSeconds: [BiasedMF.Order: [Double]] = [:]
        for seed in seeds {
            var scores: [BiasedMF.Order: [Double]] = [:]
            for order in [BiasedMF.Order.shuffled, .fixed] {
                for split in splits {
                    var model = try ModelRegistry.make(
                        "mf", parameters: ["order": .string(order.rawValue)], seed: seed)
                    let start = ContinuousClock.now
                    try model.fit(split.training)
                    fitSeconds[order, default: []].append(Self.seconds(since: start))
                    let trained = model
                    let rmse = RatingEvaluator().evaluate(
                        Split(name: split.fold, train: split.training.interactions, test: split.validation)
                    ) { user, item in trained.predictRating(user: user, item: item) }
                    .rmse
                    scores[order, default: []].append(rmse)
                    Self.progress(
                        "order \(order.rawValue) seed \(seed) \(split.fold): validation RMSE \(Self.format(rmse)), "
                            + "fit \(Self.format(fitSeconds[order]!.last!, digits: 3)) s")
                }
            }
            let shuffled = scores[.shuffled]!, fixed = scores[.fixed]!
            runs.append(
                OrderRun(
                    seed: seed, shuffled: shuffled, fixed: fixed, shuffledMean: Self.mean(shuffled),
                    fixedMean: Self.mean(fixed)))
        }
        let shuffledMeans = runs.map(\.shuffledMean), fixedMeans = runs.map(\.fixedMean)
        let test = runs.count >= 2 ? PairedTTest(fixedMeans, shuffledMeans) : nil
        if test == nil { Self.progress("order comparison: one seed only, no paired test; the default order stays") }
        let better = Self.mean(fixedMeans) < Self.mean(shuffledMeans) && (test?.pValue ?? 1) < 0.05
        return OrderComparison(
            protocolDescription: """
                MF at Surprise's defaults (20 epochs) fitted on 90% of each uk.base and scored on the held-out 10% \
                (Splitting.randomHoldout, seed k), for every benchmark seed and both orders; the same seed gives \
                both orders the same initial factors
                """,
            parameters: Self.surpriseSVDParameters, folds: splits.map(\.fold), runs: runs,
            shuffledPerFold: splits.indices.map { k in Self.mean(runs.map { $0.shuffled[k] }) },
            fixedPerFold: splits.indices.map { k in Self.mean(runs.map { $0.fixed[k] }) },
            shuffled: SeedStatistics(shuffledMeans), fixed: SeedStatistics(fixedMeans), pairedTTest: test,
            shuffledFitSeconds: Self.mean(fitSeconds[.shuffled]!), fixedFitSeconds: Self.mean(fitSeconds[.fixed]!),
            fixedIsBetter: better, defaultOrder: BiasedMF.Hyperparameters().order.rawValue,
            rule: """
                fixed is better when its mean validation RMSE over folds and seeds is lower and the paired t-test \
                over seeds (per-seed means over folds, fixed − shuffled) has p < 0.05
                """)
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}
