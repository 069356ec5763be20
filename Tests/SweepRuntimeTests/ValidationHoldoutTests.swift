import Foundation
import RecData
import RecModels
import Sweep
import Testing

@testable import SweepRuntime

/// A sweep's `validation:` holdout comes out of the training rows and never out of the test rows,
/// and the per-epoch `validation_*` figures are measured on exactly those rows.
@Suite("Validation holdout for early stopping")
struct ValidationHoldoutTests {
    static func request(validation: DatasetSpec.ValidationHoldout?) -> DatasetSpec {
        DatasetSpec(
            source: .synthetic(SyntheticDatasetSpec(users: 200, movies: 60, news: 40)),
            split: .perUser(testFraction: 0.2, seed: 1), domain: "movies", validation: validation)
    }

    static func pairs(_ rows: Interactions) -> Set<[Int32]> {
        Set((0..<rows.count).map { [rows.users[$0], rows.items[$0]] })
    }

    @Test func theHoldoutIsCarvedFromTrainingRowsOnly() throws {
        let plain = try PreparedData.prepare(Self.request(validation: nil))
        let held = try PreparedData.prepare(Self.request(validation: .init(fraction: 0.2, seed: 3, every: 1)))
        let validation = try #require(held.training.validation).rows
        #expect(validation.count > 30)
        #expect(Self.pairs(held.test) == Self.pairs(plain.test), "the test rows must not change")
        #expect(Self.pairs(validation).isDisjoint(with: Self.pairs(plain.test)), "a validation row is a test row")
        #expect(Self.pairs(validation).isSubset(of: Self.pairs(plain.training.interactions)))
        #expect(
            Self.pairs(validation).union(Self.pairs(held.training.interactions)) == Self.pairs(plain.training.interactions),
            "training + validation must be the original training rows")
        #expect(Self.pairs(validation).isDisjoint(with: Self.pairs(held.training.interactions)))
    }

    /// MF's `validation_rmse` after the last epoch is the RMSE of the trained model over the holdout
    /// rows: if it were computed on the test rows (or the training rows) it would differ.
    @Test func mfReportsItsValidationRMSEOnTheHoldoutEveryKEpochs() throws {
        let data = try PreparedData.prepare(Self.request(validation: .init(fraction: 0.2, seed: 3, every: 2)))
        var model = try ModelRegistry.make("mf", parameters: ["epochs": .int(5), "factors": .int(8)], seed: 1)
        var reports: [EpochProgress] = []
        try model.fit(data.training) { reports.append($0); return .proceed }
        let validationEpochs = reports.filter { $0.values["validation_rmse"] != nil }.map(\.epoch)
        #expect(validationEpochs == [2, 4, 5], "every 2 epochs and after the last")
        let reported = try #require(reports.last?.values["validation_rmse"])
        func rmse(_ rows: Interactions) -> Double {
            var sum = 0.0
            for k in 0..<rows.count {
                let error = Double(model.predictRating(user: rows.users[k], item: rows.items[k])!) - Double(rows.values[k])
                sum += error * error
            }
            return (sum / Double(rows.count)).squareRoot()
        }
        let holdout = try #require(data.training.validation).rows
        #expect(abs(reported - rmse(holdout)) < 1e-5, "reported \(reported), holdout \(rmse(holdout))")
        #expect(abs(reported - rmse(data.test)) > 1e-4, "the validation figure equals the test RMSE")
    }

    /// The biases-only baseline reports the holdout RMSE of what it would predict at that epoch.
    @Test func baselineReportsItsValidationRMSE() throws {
        let data = try PreparedData.prepare(Self.request(validation: .init(fraction: 0.2, seed: 3, every: 1)))
        var model = try ModelRegistry.make("baseline", parameters: ["epochs": .int(3)], seed: 1)
        var last: [String: Double] = [:]
        try model.fit(data.training) { last = $0.values; return .proceed }
        let holdout = try #require(data.training.validation)
        let expected = holdout.rmse { model.predictRating(user: $0, item: $1)! }
        #expect(abs(try #require(last["validation_rmse"]) - expected) < 1e-6)
    }

    /// Ranking models report top-K validation figures from their scores in the middle of training.
    @Test func alsAndBprReportRankingFiguresOnTheHoldout() throws {
        let data = try PreparedData.prepare(Self.request(validation: .init(fraction: 0.2, seed: 3, every: 1)))
        for name in ["als", "bpr", "unified", "emcdr"] {
            var model = try ModelRegistry.make(name, parameters: [:], seed: 1)
            var last: [String: Double] = [:]
            try model.fit(data.training) { report in
                if report.values["validation_mrr"] != nil { last = report.values }
                return .proceed
            }
            let ndcg = try #require(last["validation_ndcg@10"], "\(name) reported \(last.keys.sorted())")
            #expect((0...1).contains(ndcg), "\(name): \(last)")
            // Better than nothing: some held-out item is ranked somewhere above the bottom.
            #expect((last["validation_mrr"] ?? 0) > 0, "\(name): \(last)")
        }
    }
}
