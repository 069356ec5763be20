import Foundation
import RecData
import RecEval
import RecModels
import Sweep

/// Tuned biased MF without looking at the test folds.
///
/// For each fold k, a validation split is carved from uk.base alone: exactly round(10% × rows)
/// of its ratings, chosen by `Splitting.randomHoldout` seeded with k, are held out. Every grid
/// point is fitted on the other 90% (model seed: the first benchmark seed) and scored by RMSE on
/// the held-out 10%; the point with the lowest validation RMSE (the earlier one on a tie) is
/// fold k's choice. It is then refitted on all of uk.base with every benchmark seed and tested on
/// uk.test. Choices are per fold on purpose: uj.base (j ≠ k) contains uk.test, so a choice
/// pooled over folds would have seen fold k's test ratings.
extension ModelBenchmark {
    static let validationFraction = 0.1

    /// Held fixed at every grid point. These values come from an earlier search that did look at the
    /// test folds (the README says so); the grid below is what the validation splits choose.
    static let tunedFixed: [String: ParameterValue] = [
        "epochs": .int(120), "lr": .double(0.003), "lr_bias": .double(0.0015), "reg_bias": .double(0.03),
    ]

    /// factors × reg × init_std: 12 points.
    static let tunedGrid: [[String: ParameterValue]] = {
        var grid: [[String: ParameterValue]] = []
        for factors in [100, 400] {
            for reg in [0.05, 0.075, 0.1] {
                for initStd in [0.015, 0.1] {
                    grid.append(["factors": .int(factors), "reg": .double(reg), "init_std": .double(initStd)])
                }
            }
        }
        return grid
    }()

    func tunedMF(folds: [Split], data foldData: [TrainingData]) throws -> TunedMF {
        let start = ContinuousClock.now
        let selectionSeed = seeds[0]
        var chosen: [[String: ParameterValue]] = []
        var selections: [TunedFold] = []
        for (k, fold) in folds.enumerated() {
            let holdout = try Splitting.randomHoldout(
                fold.train, testFraction: Self.validationFraction, seed: UInt64(k + 1))
            let full = foldData[k]
            let data = TrainingData(
                interactions: holdout.train, userCount: full.userCount, itemCount: full.itemCount, isExplicit: true)
            var scores: [Double] = []
            for point in Self.tunedGrid {
                var model = try ModelRegistry.make(
                    "mf", parameters: Self.tunedFixed.merging(point) { $1 }, seed: selectionSeed)
                try model.fit(data)
                let trained = model
                let rmse = RatingEvaluator().evaluate(holdout) { user, item in
                    trained.predictRating(user: user, item: item)
                }
                .rmse
                scores.append(rmse)
                Self.progress(
                    "tuning \(fold.name) \(Self.describe(point)): validation RMSE \(Self.format(rmse))")
            }
            let best = scores.indices.min { (scores[$0], $0) < (scores[$1], $1) }!
            let point = Self.tunedGrid[best]
            chosen.append(Self.tunedFixed.merging(point) { $1 })
            selections.append(
                TunedFold(
                    fold: fold.name, trainRows: holdout.train.count, validationRows: holdout.test.count,
                    validationRMSE: scores, chosen: point.mapValues(\.description), chosenValidationRMSE: scores[best]))
            Self.progress("tuning \(fold.name): chose \(Self.describe(point))")
        }
        let runs = try seeds.map { try ratingRun("mf", chosen, seed: $0, folds: folds, data: foldData) }
        return TunedMF(
            selection: """
                per fold k: a seeded random \(Int(Self.validationFraction * 100))% of uk.base held out \
                (Splitting.randomHoldout, seed k); each grid point fitted on the other \
                \(100 - Int(Self.validationFraction * 100))% with seed \(selectionSeed) and scored by validation RMSE; \
                the lowest is refitted on all of uk.base with every seed and tested on uk.test
                """,
            fixed: Self.tunedFixed.mapValues(\.description), grid: Self.tunedGrid.map { $0.mapValues(\.description) },
            selectionSeed: selectionSeed, folds: selections,
            test: RatingSummary(
                model: "mf (tuned on validation)", parameters: ["per fold": "see tunedMF.folds[].chosen"], runs: runs),
            tuningSeconds: Self.seconds(since: start))
    }

    static func describe(_ parameters: [String: ParameterValue]) -> String {
        parameters.keys.sorted().map { "\($0) \(parameters[$0]!)" }.joined(separator: ", ")
    }
}
