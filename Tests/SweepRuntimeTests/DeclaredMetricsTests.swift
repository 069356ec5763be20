import Foundation
import ParameterSpecs
import RecData
import Sweep
import Testing

@testable import SweepRuntime

/// The coordinator refuses a result that carries a metric its model does not declare (a forged
/// or broken worker's). So every name a real trial reports must be declared: this runs every
/// model of the catalog on small synthetic data, with a per-user, a MIND and a cold-items split, and checks.
@Suite("Declared metrics")
struct DeclaredMetricsTests {
    static let splits: [(String, SplitSpec)] = [
        ("per-user", .perUser(testFraction: 0.2, seed: 1)),
        ("mind", .mind(train: "train", evaluate: "dev")),
        // Items without a training row: every model must still score them (no crash, no new names).
        ("cold-items", .coldItems(testFraction: 0.2, seed: 1, by: .random)),
    ]

    @Test(arguments: TrialRunner.catalog.models.map(\.name))
    func everyMetricATrialReportsIsDeclared(model: String) throws {
        let declared = try #require(CoordinatorService.declaredMetrics()[model])
        let runner = TrialRunner()
        var ran = 0
        for (label, split) in Self.splits {
            let request = DatasetSpec(
                source: .synthetic(SyntheticDatasetSpec(users: 60, movies: 30, news: 30)), split: split)
            var parameters: [String: ParameterValue] = [:]
            if model == "content" { parameters["min_df"] = .int(1) }
            if model == "hybrid" { parameters["content.min_df"] = .int(1) }
            let outcome = runner.run(
                TrialConfig(model: model, parameters: parameters, seed: 1), dataset: request, cancel: CancellationFlag()
            ) { _ in }
            guard case .success(let metrics) = outcome else {
                // A model that cannot run on this split (e.g. a rating model on clicks) says so;
                // it reports nothing that could be refused.
                continue
            }
            ran += 1
            let undeclared = Set(metrics.values.keys).subtracting(declared).sorted()
            #expect(undeclared.isEmpty, "\(model) on the \(label) split reports undeclared \(undeclared)")
            #expect(!metrics.values.isEmpty, "\(model) on the \(label) split reported nothing")
        }
        #expect(ran > 0, "\(model) ran on none of the splits: the check above never looked at it")
    }
}
