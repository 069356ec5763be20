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

    /// Slots that start on the same data together prepare it once: the others wait for it.
    @Test func concurrentTrialsOnNewDataPrepareItOnce() throws {
        let runner = TrialRunner()
        let request = DatasetSpec(source: .synthetic(SyntheticDatasetSpec(users: 300, movies: 60, news: 60, seed: 77)))
        let model = TrialConfig(model: "popularity", parameters: [:], seed: 1)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            if case .failure(let failure) = runner.run(model, dataset: request, cancel: CancellationFlag()) {
                failures.append("\(failure)")
            }
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        #expect(runner.dataCacheCounts == TrialRunner.DataCacheCounts(hits: 5, misses: 1))
    }

    /// The cache keeps the most recently used data sets.
    @Test func theLeastRecentlyUsedDataIsEvicted() throws {
        let runner = TrialRunner(maximumCachedData: 2)
        let model = TrialConfig(model: "popularity", parameters: [:], seed: 1)
        let sets = (0..<3).map { DatasetSpec(source: .synthetic(SyntheticDatasetSpec(users: 200, movies: 40, news: 40, seed: 90 + UInt64($0)))) }
        for index in [0, 1, 0, 2, 0, 1] {  // 2 evicts 1 (0 was used since), so 0 is still there and 1 is not
            _ = try runner.run(model, dataset: sets[index], cancel: CancellationFlag()).get()
        }
        #expect(runner.dataCacheCounts == TrialRunner.DataCacheCounts(hits: 2, misses: 4))
    }
}

/// Failure texts gathered from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ text: String) { lock.withLock { list.append(text) } }
    var values: [String] { lock.withLock { list } }
}
