import Sweep
import SweepStore
import SweepWire

/// Counts for the progress line, kept from the store commands the core emits (after they are
/// committed) and seeded from the store's earlier results.
struct StatusTracker {
    var total: Int
    var metric: MetricSpec
    var finished = 0
    var failed = 0
    var stopped = 0
    var best: Double?

    init(total: Int, metric: MetricSpec) {
        self.total = total
        self.metric = metric
    }

    /// Counts what `store` already holds for the trials in `ids` (a resumed sweep).
    mutating func seed(from store: SweepStore, sweep: SweepID, ids: Set<TrialID>) throws {
        try store.forEachOutcome(sweep: sweep) { id, outcome in
            guard ids.contains(id) else { return }
            switch outcome {
            case .success(let metrics):
                finished += 1
                if let value = metrics.values[metric.primary] { consider(value) }
            case .failure:
                failed += 1
            }
        }
    }

    mutating func observe(_ command: StoreCommand) {
        switch command {
        case .trialFinished(_, _, let metrics, _):
            finished += 1
            if let value = metrics.values[metric.primary] { consider(value) }
        case .trialFailed(_, _, _, let willRetry):
            if !willRetry { failed += 1 }
        case .trialReopened:
            failed -= 1
        case .trialStopped:
            stopped += 1
        default:
            break
        }
    }

    mutating func consider(_ value: Double) {
        guard value.isFinite else { return }
        if let current = best, !metric.direction.isBetter(value, than: current) { return }
        best = value
    }

    func status(workers: [WorkerStatus], unclaimed: Int, elapsed: Duration) -> CoordinatorService.Status {
        CoordinatorService.Status(
            total: total, finished: finished, failed: failed,
            running: workers.reduce(0) { $0 + $1.leases.count } + unclaimed, workers: workers.count, best: best,
            elapsed: elapsed, stopped: stopped)
    }
}
