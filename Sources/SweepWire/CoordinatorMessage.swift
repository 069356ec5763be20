/// Everything the coordinator sends to a worker. Encoded by `WireCodec` as one frame each.
public enum CoordinatorMessage: Sendable, Hashable {
    /// Accepts a `hello`/`reattach`. The worker heartbeats every `heartbeatInterval` and declares
    /// the coordinator lost after `liveness` intervals without hearing from it.
    /// The interval travels in whole milliseconds.
    case welcome(heartbeatInterval: Duration, liveness: Int)
    /// Refuses the last message (malformed) or the worker itself (version, shutting down, unknown).
    case reject(Rejection)
    /// One attempt to run.
    case lease(TrialLease)
    /// Stop running this attempt; its result would not count. `reason` is for the worker's log.
    case cancel(LeaseTicket, reason: String)
    /// These results and failure reports are durable in the store (counted, or recorded as not
    /// counting): the worker forgets them. Until then it keeps each report and sends it again
    /// after a reconnect, so a report is never lost with a connection or a coordinator crash.
    case confirm([LeaseTicket])
    /// The coordinator is alive.
    case heartbeat
    /// No more leases will come: finish running attempts, report them, say goodbye and exit.
    case shutdown

    /// The case name (`welcome`, `lease`, …) for logs and errors.
    public var kind: String {
        switch self {
        case .welcome: return "welcome"
        case .reject: return "reject"
        case .lease: return "lease"
        case .cancel: return "cancel"
        case .confirm: return "confirm"
        case .heartbeat: return "heartbeat"
        case .shutdown: return "shutdown"
        }
    }
}
