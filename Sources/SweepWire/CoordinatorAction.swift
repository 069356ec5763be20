/// Everything the coordinator asks its shell to do; the only outputs of `CoordinatorCore.handle`.
///
/// The shell carries the actions out in order, except that it may hold sends back: every
/// `persist` must be durable before any `send` that follows it leaves the process. A shell that
/// batches commits the batch's commands in one transaction and only then sends the batch's
/// messages. A crash then never leaves a worker holding a lease, or a worker told that its result
/// is recorded, that the store does not know about.
public enum CoordinatorAction: Sendable, Hashable {
    /// Send this message on this connection (dropped if the connection is gone).
    case send(ConnectionID, CoordinatorMessage)
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
