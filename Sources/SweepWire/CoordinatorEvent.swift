/// Everything that can happen to the coordinator; the only inputs of `CoordinatorCore.handle`.
public enum CoordinatorEvent: Sendable, Hashable {
    /// The sweep's durable state, read once at start-up. Nothing is leased before it arrives.
    case storeLoaded(SweepSnapshot)
    /// A decoded message from `Peer` (its connection and what the transport proved about it). A
    /// `hello` or `reattach` binds the worker id it names to this connection; every other message
    /// counts only from the connection its worker is bound to.
    case workerMessage(Peer, WorkerMessage)
    /// A frame from this peer did not decode (`WireError.description` as `reason`).
    case malformedMessage(Peer, reason: String)
    /// A wake-up the core asked for (or any other moment): deadlines due by `now` are acted on.
    case tick
    /// Graceful shutdown (SIGTERM/SIGINT): stop leasing, drain running attempts, finish.
    case shutdownRequested
}
