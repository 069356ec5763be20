/// Why a worker exits, in `WorkerAction.exit`.
public enum WorkerExit: Sendable, Hashable {
    /// Shut down gracefully (asked by the coordinator or by a signal), after reporting or handing
    /// back its attempts.
    case completed
    /// The coordinator refused it for good (protocol version mismatch, or shutting down).
    case rejected(Rejection)
    /// No coordinator ever answered within `WorkerCore.Configuration.giveUpAfter`; the text says
    /// what to check.
    case unreachable(String)
}
