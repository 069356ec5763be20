/// Everything the worker asks its shell to do; the only outputs of `WorkerCore.handle`.
/// The shell carries them out in order.
public enum WorkerAction: Sendable, Hashable {
    case send(WorkerMessage)
    /// Run this attempt and report `trialProgress` / `trialCompleted` with its ticket.
    case startTrial(TrialLease)
    /// Stop this attempt (cooperatively); a later completion for it is ignored.
    case cancelTrial(LeaseTicket)
    /// The coordinator went silent: drop the connection, connect again, then deliver `.connected`.
    /// Running attempts keep running.
    case reconnect
    /// Deliver `.tick` at (or soon after) this instant; replaces the previous request.
    case scheduleWakeUp(at: ProtocolInstant)
    /// Metadata keys are stable: `worker.id`, `trial.id`, `attempt`, `lease.epoch`.
    case log(LogLevel, String, metadata: [String: String])
    /// The worker is done; nothing follows. The shell exits (status 0 for `completed`).
    case exit(WorkerExit)
}
