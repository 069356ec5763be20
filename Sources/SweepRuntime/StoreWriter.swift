import Foundation
import SweepStore
import SweepWire

/// Commits the coordinator core's `persist` commands: one transaction per batch, durable (see
/// `SweepStore`'s durability note) before `commit` returns, which is what lets the coordinator
/// send the batch's messages right after. Keeps the figures a benchmark or status view wants.
final class StoreWriter {
    /// Where a simulated crash strikes, relative to one batch's commit (tests only).
    enum CrashPoint: Sendable, Hashable {
        /// The batch is lost and nothing of it is sent.
        case beforeCommit(batch: Int)
        /// The batch is durable, and nothing of it is sent.
        case afterCommit(batch: Int)
    }

    /// Thrown by `commit` at the configured crash point: the coordinator stops at once, sends
    /// nothing more and flushes nothing more, as a SIGKILL would.
    struct SimulatedCrash: Error, CustomStringConvertible {
        var point: CrashPoint
        var description: String { "simulated crash \(point)" }
    }

    let store: SweepStore
    private let crashPoint: CrashPoint?
    /// Batches that carried at least one command.
    private(set) var batches = 0
    private(set) var commands = 0
    private(set) var commitSeconds = 0.0
    private(set) var longestCommitSeconds = 0.0

    /// The sweep an adaptive search's suggestions join.
    let sweep: SweepID?

    init(store: SweepStore, sweep: SweepID? = nil, crashPoint: CrashPoint? = nil) {
        self.store = store
        self.sweep = sweep
        self.crashPoint = crashPoint
    }

    /// Makes `batch` durable in one transaction (nothing for an empty batch).
    func commit(_ batch: [StoreCommand]) throws {
        guard !batch.isEmpty else { return }
        batches += 1
        if crashPoint == .beforeCommit(batch: batches) { throw SimulatedCrash(point: crashPoint!) }
        let start = ContinuousClock.now
        try store.apply(batch, sweep: sweep)
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        let elapsed = Double(seconds) + Double(attoseconds) * 1e-18
        commitSeconds += elapsed
        longestCommitSeconds = max(longestCommitSeconds, elapsed)
        commands += batch.count
        if crashPoint == .afterCommit(batch: batches) { throw SimulatedCrash(point: crashPoint!) }
    }
}
