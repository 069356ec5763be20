import Foundation
import Prometheus
public import SweepWire

/// The coordinator's Prometheus metrics: trials by state, workers connected, results, leases
/// issued and expired, duplicates, refused handshakes, rejected frames by reason, store commit
/// latency, resident memory. Updated by the coordinator's loop from what it persists (so the
/// counters count what the store holds) and from its core's refusal counts, and read by
/// ``MetricsServer`` on its own thread (the registry is thread-safe).
public final class CoordinatorMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let trials: [String: Gauge]
    private let workers: Gauge
    private let resident: Gauge
    private let results: Counter
    private let leases: Counter
    private let expired: Counter
    private let duplicates: Counter
    private let failures: Counter
    let refusedHandshakes: Counter
    /// `crossrec_rejected_frames_total{reason}`, one series per ``RefusalReason`` (all exposed
    /// from the start, at 0): the label set is fixed, whatever peers send.
    private let rejectedFrames: [RefusalReason: MirroredCounter]
    private let commits: DurationHistogram

    public init(sweep: String) {
        let labels = [("sweep", sweep)]
        let registry = self.registry
        /// `crossrec_NAME_UNIT` with its help text.
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "crossrec", metricName: metric, unitName: unit, helpText: help)
        }
        trials = Dictionary(
            uniqueKeysWithValues: ["pending", "running", "finished", "failed", "stopped"].map { state in
                (state, registry.makeGauge(descriptor: name("trials", "", "Trials of the sweep by state."), labels: labels + [("state", state)]))
            })
        workers = registry.makeGauge(descriptor: name("workers_connected", "", "Workers registered and alive."), labels: labels)
        resident = registry.makeGauge(descriptor: name("coordinator_resident", "bytes", "Resident memory of the coordinator."))
        results = registry.makeCounter(
            descriptor: name("results_recorded", "total", "Results recorded in the store (one per trial)."), labels: labels)
        leases = registry.makeCounter(descriptor: name("leases_issued", "total", "Leases given to workers."), labels: labels)
        expired = registry.makeCounter(
            descriptor: name(
                "leases_expired", "total",
                "Leases that ended without a result: returned by a lost worker or failed for infrastructure reasons."),
            labels: labels)
        duplicates = registry.makeCounter(
            descriptor: name("duplicate_results", "total", "Results for a trial already counted (kept, never counted)."),
            labels: labels)
        failures = registry.makeCounter(
            descriptor: name("trial_failures", "total", "Trials that ended failed after their retries."), labels: labels)
        refusedHandshakes = registry.makeCounter(
            descriptor: name("refused_handshakes", "total", "CURVE handshakes refused (key not on the allow-list)."))
        rejectedFrames = Dictionary(
            uniqueKeysWithValues: RefusalReason.allCases.map { reason in
                let counter = registry.makeCounter(
                    descriptor: name(
                        "rejected_frames", "total",
                        "Frames the coordinator refused, by reason: "
                            + RefusalReason.allCases.map(\.label).joined(separator: ", ") + "."),
                    labels: labels + [("reason", reason.label)])
                return (reason, MirroredCounter(counter))
            })
        commits = registry.makeDurationHistogram(
            descriptor: name(
                "store_commit", "seconds",
                "Time to commit one batch of the coordinator's commands to the store (fsync included)."),
            labels: labels,
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ])
    }

    /// One persisted command.
    public func observe(_ command: StoreCommand) {
        switch command {
        case .trialLeased: leases.increment()
        case .trialFinished: results.increment()
        case .duplicateResult: duplicates.increment()
        case .trialReturned: expired.increment()
        case .trialFailed(_, _, let failure, let willRetry):
            if failure.kind == .infrastructure { expired.increment() }
            if !willRetry { failures.increment() }
        default: break
        }
    }

    func committed(in duration: Duration) { commits.record(duration) }

    func update(_ status: CoordinatorService.Status, refusedFrames: [RefusalReason: Int]) {
        setTrials(
            pending: status.pending, running: status.running, finished: status.finished, failed: status.failed,
            stopped: status.stopped, workers: status.workers)
        followRefusals(refusedFrames)
    }

    /// The rejected-frames counters follow the core's running totals (``CoordinatorCore/refusedFrames``):
    /// each rises by what its reason gained since the last call.
    public func followRefusals(_ refusedFrames: [RefusalReason: Int]) {
        for (reason, total) in refusedFrames { rejectedFrames[reason]?.follow(total) }
    }

    /// The state gauges (the loop sets them every 200 ms from its status).
    public func setTrials(pending: Int, running: Int, finished: Int, failed: Int, stopped: Int, workers: Int) {
        trials["pending"]?.set(to: Double(pending))
        trials["running"]?.set(to: Double(running))
        trials["finished"]?.set(to: Double(finished))
        trials["failed"]?.set(to: Double(failed))
        trials["stopped"]?.set(to: Double(stopped))
        self.workers.set(to: Double(workers))
    }

    /// The exposition text (Prometheus text format 0.0.4).
    public func text() -> String {
        if let bytes = ResidentMemory.bytes() { resident.set(to: Double(bytes)) }
        return registry.emitToString()
    }
}
