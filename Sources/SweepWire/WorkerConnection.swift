/// Where the worker stands with the coordinator.
public enum WorkerConnection: Sendable, Hashable {
    /// No `.connected` yet.
    case notConnected
    /// `hello` or `reattach` sent, no `welcome` yet: results are held back.
    case awaitingWelcome
    /// Welcomed: heartbeats and reports flow.
    case connected
    /// The coordinator went silent; `reconnect` was requested and `.connected` is awaited.
    case reconnecting
}
