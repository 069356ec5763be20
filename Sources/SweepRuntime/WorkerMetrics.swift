import Foundation
import Prometheus

/// A worker's Prometheus metrics: the trials it ran by how they ended, training time per trial,
/// its prepared-data cache's hits and misses, resident memory; every series carries the worker's
/// id as the `worker` label (its own `--id`, one value per process, never a peer's text).
/// Updated by the worker's loop as each trial ends and read by ``MetricsServer`` on its own
/// thread (the registry is thread-safe).
public final class WorkerMetrics: Sendable {
    /// How a trial ended on this worker: the `outcome` label of `crossrec_worker_trials_total`.
    public enum TrialEnd: String, Sendable, CaseIterable {
        /// It reported a result.
        case finished
        /// It reported a failure (the coordinator decides whether it runs again).
        case failed
        /// The coordinator cancelled it (early stopping, a lease timeout, a drain, a lease it took
        /// back); whatever it reported is dropped.
        case cancelled
    }

    let registry = PrometheusCollectorRegistry()
    private let trials: [TrialEnd: Counter]
    private let fit: ValueHistogram
    private let cacheHits: MirroredCounter
    private let cacheMisses: MirroredCounter
    private let resident: Gauge

    /// Upper bounds of the training-time buckets, in seconds: a built-in trial's milliseconds to a
    /// large model's hour.
    static let fitBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600]

    public init(worker: String) {
        let labels = [("worker", worker)]
        let registry = self.registry
        /// `crossrec_worker_NAME_UNIT` with its help text.
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "crossrec", subsystem: "worker", metricName: metric, unitName: unit, helpText: help)
        }
        trials = Dictionary(
            uniqueKeysWithValues: TrialEnd.allCases.map { end in
                let counter = registry.makeCounter(
                    descriptor: name(
                        "trials", "total", "Trials this worker ran, by outcome: finished, failed, or cancelled by the coordinator."),
                    labels: labels + [("outcome", end.rawValue)])
                return (end, counter)
            })
        fit = registry.makeValueHistogram(
            descriptor: name(
                "fit", "seconds", "Training time of each finished trial that reports one (every model; noop reports none)."),
            labels: labels, buckets: Self.fitBuckets)
        cacheHits = MirroredCounter(
            registry.makeCounter(
                descriptor: name(
                    "dataset_cache_hits", "total", "Model trials whose prepared data set was already in this worker's memory."),
                labels: labels))
        cacheMisses = MirroredCounter(
            registry.makeCounter(
                descriptor: name(
                    "dataset_cache_misses", "total",
                    "Model trials that had to load, split and prepare their data set (failed preparations included)."),
                labels: labels))
        resident = registry.makeGauge(descriptor: name("resident", "bytes", "Resident memory of the worker."), labels: labels)
    }

    /// One trial ended: `fitSeconds` is the training time it reported (finished trials), if any.
    public func trialEnded(_ end: TrialEnd, fitSeconds: Double? = nil) {
        trials[end]?.increment()
        if let fitSeconds, fitSeconds.isFinite, fitSeconds >= 0 { fit.record(fitSeconds) }
    }

    /// The cache counters follow the trial runner's running totals (``TrialRunner/dataCacheCounts``).
    public func followDataCache(_ counts: TrialRunner.DataCacheCounts) {
        cacheHits.follow(counts.hits)
        cacheMisses.follow(counts.misses)
    }

    /// The exposition text (Prometheus text format 0.0.4).
    public func text() -> String {
        if let bytes = ResidentMemory.bytes() { resident.set(to: Double(bytes)) }
        return registry.emitToString()
    }
}
