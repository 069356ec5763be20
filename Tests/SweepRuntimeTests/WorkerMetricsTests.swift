import Foundation
import RecData
import Sweep
import Testing

@testable import SweepRuntime

/// A worker's metrics count its trials by outcome, their training time, and its data cache.
@Suite struct WorkerMetricsTests {
    /// The value of `name{…}` on the series whose labels include `label` (all series when nil).
    static func value(_ name: String, _ label: String? = nil, _ text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + "{") && (label.map($0.contains) ?? true) }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func trialsFitTimesAndCacheLookupsAreCountedExactly() {
        let metrics = WorkerMetrics(worker: "w-7")
        metrics.trialEnded(.finished, fitSeconds: 0.2)
        metrics.trialEnded(.finished, fitSeconds: 3.0)
        metrics.trialEnded(.finished)  // noop: no fit time
        metrics.trialEnded(.failed)
        metrics.trialEnded(.cancelled)
        metrics.followDataCache(TrialRunner.DataCacheCounts(hits: 1, misses: 2))
        metrics.followDataCache(TrialRunner.DataCacheCounts(hits: 4, misses: 2))
        metrics.followDataCache(TrialRunner.DataCacheCounts(hits: 3, misses: 2))  // never falls
        let text = metrics.text()
        #expect(Self.value("crossrec_worker_trials_total", "outcome=\"finished\"", text) == 3)
        #expect(Self.value("crossrec_worker_trials_total", "outcome=\"failed\"", text) == 1)
        #expect(Self.value("crossrec_worker_trials_total", "outcome=\"cancelled\"", text) == 1)
        #expect(Self.value("crossrec_worker_fit_seconds_count", nil, text) == 2)
        #expect(Self.value("crossrec_worker_fit_seconds_sum", nil, text).map { abs($0 - 3.2) < 1e-9 } == true)
        #expect(Self.value("crossrec_worker_fit_seconds_bucket", "le=\"0.5\"", text) == 1)
        #expect(Self.value("crossrec_worker_fit_seconds_bucket", "le=\"5.0\"", text) == 2)
        #expect(Self.value("crossrec_worker_dataset_cache_hits_total", nil, text) == 4)
        #expect(Self.value("crossrec_worker_dataset_cache_misses_total", nil, text) == 2)
        #expect((Self.value("crossrec_worker_resident_bytes", nil, text) ?? 0) > 0)
        let series = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(series.allSatisfy { $0.contains("worker=\"w-7\"") }, "every series names the worker: \(series)")
    }

    @Test func theRunnerCountsOneCacheLookupPerModelTrialAndNoneForBuiltins() throws {
        let runner = TrialRunner()
        let request = DatasetSpec(source: .synthetic(SyntheticDatasetSpec(users: 200, movies: 40, news: 40)))
        let model = TrialConfig(model: "popularity", parameters: [:], seed: 1)
        _ = try runner.run(model, dataset: request, cancel: CancellationFlag()).get()
        #expect(runner.dataCacheCounts == TrialRunner.DataCacheCounts(hits: 0, misses: 1))
        _ = try runner.run(model, dataset: request, cancel: CancellationFlag()).get()
        _ = try runner.run(TrialConfig(model: "noop", parameters: [:], seed: 1), dataset: request, cancel: CancellationFlag()).get()
        #expect(runner.dataCacheCounts == TrialRunner.DataCacheCounts(hits: 1, misses: 1))
        // A data set that cannot be prepared is a miss too (it was looked up and not found).
        let missing = DatasetSpec(source: .path("/nonexistent/crossrec-data", layout: .movielens))
        guard case .failure = runner.run(model, dataset: missing, cancel: CancellationFlag()) else {
            Issue.record("a trial on a missing data set succeeded")
            return
        }
        #expect(runner.dataCacheCounts == TrialRunner.DataCacheCounts(hits: 1, misses: 2))
    }
}
