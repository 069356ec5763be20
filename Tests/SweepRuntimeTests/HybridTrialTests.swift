import Foundation
import ParameterSpecs
import RecData
import Sweep
import SweepRuntime
import Testing

@Suite("Hybrid trials")
struct HybridTrialTests {
    static let request = DatasetSpec(
        source: .synthetic(SyntheticDatasetSpec(users: 80, movies: 40, news: 40)),
        split: .perUser(testFraction: 0.2, seed: 1))

    /// A trial reports the weight the stack learned and its validation scores beside the test
    /// metrics, and the catalog declares them so a sweep may rank or record by them.
    @Test func aStackedTrialReportsItsLearnedWeightBesideTheTestMetrics() throws {
        let values = try TrialRunner().run(
            TrialConfig(model: "hybrid", parameters: ["content.min_df": .int(1)], seed: 3), dataset: Self.request,
            cancel: CancellationFlag()
        ) { _ in }.get().values
        let weight = try #require(values["content_weight"])
        #expect((0...1).contains(weight))
        #expect(values["validation_ndcg@10"] != nil && values["validation_users"].map { $0 > 0 } == true, "\(values)")
        #expect(values["ndcg@10"] != nil, "the test metrics are still there: \(values)")
        let declared = try #require(TrialRunner.catalog.model(named: "hybrid")).metrics
        for name in ["content_weight", "validation_ndcg@10", "ndcg@10", "mind_auc"] {
            #expect(declared.contains(name), "\(name) is not declared: \(declared)")
        }
    }

    @Test func aBlendedTrialRunsTheNamedCFComponent() throws {
        let runner = TrialRunner()
        func ndcg(_ parameters: [String: ParameterValue], model: String = "hybrid") throws -> Double {
            try #require(
                try runner.run(
                    TrialConfig(model: model, parameters: parameters, seed: 3), dataset: Self.request,
                    cancel: CancellationFlag()
                ) { _ in }.get().values["ndcg@10"])
        }
        let blendedAtZero = try ndcg([
            "cf": .string("itemknn"), "combination": .string("blend"), "content_weight": .double(0),
        ])
        #expect(blendedAtZero == (try ndcg([:], model: "itemknn")))
    }
}

@Suite("Model comparison")
struct ModelComparisonTests {
    @Test func pairsTheSameUsersAndReportsBothModels() throws {
        let comparison = try TrialRunner().compare(
            TrialConfig(model: "hybrid", parameters: [:], seed: 3), TrialConfig(model: "ease", parameters: [:], seed: 3),
            dataset: HybridTrialTests.request, metrics: ["ndcg@10", "mrr", "mind_auc", "coverage@10"], resamples: 200
        ).get()
        #expect(comparison.comparisons.map(\.metric) == ["ndcg@10", "mrr"])
        #expect(comparison.skipped.keys.sorted() == ["coverage@10", "mind_auc"])
        let ndcg = try #require(comparison.comparisons.first)
        #expect(ndcg.meanA == comparison.metricsA.values["ndcg@10"] && ndcg.meanB == comparison.metricsB.values["ndcg@10"])
        #expect(ndcg.count == Int(comparison.metricsA.values["users_evaluated"]!))
        #expect(comparison.metricsA.values["content_weight"] != nil, "the hybrid's fit summary is reported")
        #expect(comparison.metricsA.timings["fit"] != nil)
    }

    @Test func aFailingModelIsAFailureNotACrash() {
        let result = TrialRunner().compare(
            TrialConfig(model: "ease", parameters: ["lambda": .double(-1)], seed: 1),
            TrialConfig(model: "popularity", parameters: [:], seed: 1), dataset: HybridTrialTests.request)
        guard case .failure(let failure) = result else {
            Issue.record("a negative lambda was accepted")
            return
        }
        #expect(failure.message.contains("lambda"), "\(failure.message)")
    }
}
