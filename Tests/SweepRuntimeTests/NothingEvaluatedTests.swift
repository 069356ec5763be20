import Foundation
import RecData
import RecEval
import Sweep
import Testing

@testable import SweepRuntime

/// Issue 14: a tiny data set gave `rmse nan`, `users_evaluated 0` and exit 0. A rating protocol
/// that predicted nothing reports no rmse (never NaN), and a trial that measured nothing fails
/// with the reason.
@Suite("Nothing evaluated")
struct NothingEvaluatedTests {
    static func tinyRequest(_ rows: String) throws -> (DatasetSpec, String) {
        let folder = NSTemporaryDirectory() + "crossrec-tiny-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.csv"
        try rows.write(toFile: file, atomically: true, encoding: .utf8)
        return (DatasetSpec(source: .path(file, layout: .generic), split: .random(testFraction: 0.5, seed: 1)), folder)
    }

    @Test(arguments: ["mf", "popularity", "ease"])
    func aTrialThatMeasuredNothingFailsAndNoMetricIsNaN(model: String) throws {
        // 3 users, 2 items: whatever lands in test has no relevant candidate or no predicted row.
        let (request, folder) = try Self.tinyRequest("user,item,rating\n1,10,4\n2,10,3\n3,11,5\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = TrialRunner().run(TrialConfig(model: model, parameters: [:], seed: 1), dataset: request, cancel: CancellationFlag())
        switch result {
        case .success(let metrics):
            let finite = metrics.values.values.allSatisfy { $0.isFinite }
            #expect(finite, "\(metrics.values)")
            #expect((metrics.values["users_evaluated"] ?? 0) > 0 || metrics.values["rmse"] != nil, "\(metrics.values)")
        case .failure(let failure):
            #expect(failure.message.contains("nothing could be evaluated"), "\(failure.message)")
        }
    }

    @Test func aRatingProtocolThatPredictedNothingReportsNoRMSE() {
        var evaluations = TrialRunner.Evaluations()
        evaluations.rating = RatingEvaluation(
            splitName: "u1", coldRowPolicy: .predict, rmse: .nan, mae: .nan, rows: [], errors: [],
            counts: RatingEvaluation.Counts())
        #expect(evaluations.values["rmse"] == nil)
        #expect(evaluations.values["mae"] == nil)
    }
}
