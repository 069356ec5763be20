import Foundation
import ParameterSpecs
import RecData
import RecModels
import Sweep

/// Validation splits carved from the training folds alone, and biased MF scored on them.
///
/// For each fold k (1…5), exactly round(10% × rows) of uk.base, chosen by
/// `Splitting.randomHoldout` seeded with k, are held out; the model trains on the other 90%. No
/// choice made here reads uk.test. (uj.base for j ≠ k contains uk.test, so every choice is made
/// per fold, or only ever scored on fold k's own split.)
extension ModelBenchmark {
    static let validationFraction = 0.1

    /// One fold's validation split: `training` is the 90% the model fits, `validation` the 10% it is scored on.
    struct ValidationSplit {
        var fold: String
        var training: TrainingData
        var validation: Interactions
    }

    func validationSplits(folds: [Split], data foldData: [TrainingData]) throws -> [ValidationSplit] {
        try repeatedValidationSplits(folds: folds, data: foldData, repeats: 1).map { $0[0] }
    }

    /// `repeats` validation splits per fold: repeat 0 is ``validationSplits(folds:data:)``'s split,
    /// repeat r holds out another seeded 10% of uk.base (seed k + 100·r). Still nothing from uk.test.
    func repeatedValidationSplits(folds: [Split], data foldData: [TrainingData], repeats: Int) throws -> [[ValidationSplit]] {
        try folds.enumerated().map { k, fold in
            try (0..<repeats).map { r in
                let holdout = try Splitting.randomHoldout(
                    fold.train, testFraction: Self.validationFraction, seed: UInt64(k + 1 + 100 * r))
                let full = foldData[k]
                return ValidationSplit(
                    fold: fold.name,
                    training: TrainingData(
                        interactions: holdout.train, userCount: full.userCount, itemCount: full.itemCount,
                        isExplicit: true),
                    validation: holdout.test)
            }
        }
    }

    /// The validation curve of `parameters` on each split, averaged epoch by epoch over the
    /// epochs every split ran (each run stops `patience` epochs after its own best). The summary
    /// is of that mean curve: its best epoch is the `epochs` a refit would use.
    static func meanValidationCurve(
        _ parameters: [String: ParameterValue], maxEpochs: Int, patience: Int, on splits: [ValidationSplit], seed: UInt64
    ) throws -> ValidationCurve {
        var curves: [[Double]] = []
        for split in splits {
            var curve: [Double] = []
            _ = try validationCurve(parameters, maxEpochs: maxEpochs, patience: patience, on: split, seed: seed) {
                curve.append($0)
            }
            curves.append(curve)
        }
        let length = curves.map(\.count).min() ?? 0
        let mean = (0..<length).map { epoch in curves.map { $0[epoch] }.reduce(0, +) / Double(curves.count) }
        var best = (rmse: Double.infinity, epoch: 0)
        for (index, rmse) in mean.enumerated() where rmse < best.rmse { best = (rmse, index + 1) }
        return ValidationCurve(
            parameters: parameters.mapValues(\.description), bestEpoch: best.epoch, bestValidationRMSE: best.rmse,
            epochsRun: length, stoppedAtCap: best.epoch == maxEpochs, lastValidationRMSE: mean.last ?? .nan)
    }

    /// Biased MF with `parameters` (epochs replaced by `maxEpochs`) fitted on `split.training`,
    /// its validation RMSE read after every epoch. Stops `patience` epochs after the best epoch
    /// so far (never when `patience` is nil). A run of E epochs is the first E epochs of a longer
    /// run (constant schedule, same draws), so the best epoch of the curve is what a fit with
    /// that many epochs would score.
    static func validationCurve(
        _ parameters: [String: ParameterValue], maxEpochs: Int, patience: Int?, on split: ValidationSplit,
        seed: UInt64, observe: (Double) -> Void = { _ in }
    ) throws -> ValidationCurve {
        let values = parameters.merging(["epochs": .int(maxEpochs)]) { $1 }
        var model = BiasedMF(
            parameters: try ModelParameters(model: BiasedMF.name, specs: BiasedMF.parameterSpecs, values: values),
            seed: seed)
        var curve: [Double] = []
        var best = (rmse: Double.infinity, epoch: 0)
        try model.fit(split.training, validation: split.validation) { progress in
            let rmse = progress.values["validation_rmse"] ?? .nan
            curve.append(rmse)
            observe(rmse)
            if rmse < best.rmse { best = (rmse, progress.epoch) }
            if let patience, progress.epoch - best.epoch >= patience { return .stop }
            return .proceed
        }
        return ValidationCurve(
            parameters: parameters.mapValues(\.description), bestEpoch: best.epoch, bestValidationRMSE: best.rmse,
            epochsRun: curve.count, stoppedAtCap: best.epoch == maxEpochs, lastValidationRMSE: curve.last ?? .nan)
    }

    /// One configuration's validation curve, summarised.
    struct ValidationCurve: Codable {
        var parameters: [String: String]
        /// The epoch (1-based) with the lowest validation RMSE; the earlier one on a tie.
        var bestEpoch: Int
        var bestValidationRMSE: Double
        var epochsRun: Int
        /// True when the best epoch is the last allowed one: more epochs might have been better.
        var stoppedAtCap: Bool
        var lastValidationRMSE: Double
    }
}
