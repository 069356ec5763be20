/// Everything the coordinator asks its shell to do; the only outputs of `CoordinatorCore.handle`.
///
/// The shell carries the actions out in order and must make each `persist` durable before
/// carrying out any action after it: a crash then never leaves a worker holding a lease, or the
/// sweep counting a result, that the store does not know about.
public enum CoordinatorAction: Sendable, Hashable {
    case send(WorkerID, CoordinatorMessage)
    case persist(StoreCommand)
    /// Deliver `.tick` at (or soon after) this instant. Each one replaces the previous request;
    /// the core emits a new one only when its earliest deadline changes.
    case scheduleWakeUp(at: ProtocolInstant)
    /// Metadata keys are stable: `sweep.id`, `trial.id`, `worker.id`, `attempt`, `lease.epoch`.
    case log(LogLevel, String, metadata: [String: String])
    /// The sweep is over (completed, or interrupted by a shutdown). Emitted once; afterwards the
    /// core persists nothing and answers every worker message with `shutdown`.
    case sweepFinished(SweepSummary)
}
