/// Everything that can happen to the coordinator; the only inputs of `CoordinatorCore.handle`.
public enum CoordinatorEvent: Sendable, Hashable {
    /// The sweep's durable state, read once at start-up. Nothing is leased before it arrives.
    case storeLoaded(SweepSnapshot)
    /// A decoded message; `WorkerID` is the connection's routing id (the sender as the transport
    /// knows it), which must match the id a `hello` claims.
    case workerMessage(WorkerID, WorkerMessage)
    /// A frame from this connection did not decode (`WireError.description` as `reason`).
    case malformedMessage(WorkerID, reason: String)
    /// A wake-up the core asked for (or any other moment): deadlines due by `now` are acted on.
    case tick
    /// Graceful shutdown (SIGTERM/SIGINT): stop leasing, drain running attempts, finish.
    case shutdownRequested
}
