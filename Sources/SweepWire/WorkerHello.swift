/// A worker introducing itself: sent in `hello` on first contact and in `reattach` after a
/// reconnect.
public struct WorkerHello: Sendable, Hashable {
    /// The protocol the worker speaks (`WireCodec.protocolVersion` of its build). The coordinator
    /// rejects a worker whose version differs from its own.
    public var protocolVersion: Int
    public var workerID: WorkerID
    public var host: String
    /// The worker's software version, for logs and the store.
    public var version: String
    /// How many trials the worker runs at once.
    public var slots: Int
    /// Model names the worker can run; the coordinator leases only trials of these models.
    public var models: [String]
    public var pid: Int

    public init(
        protocolVersion: Int = WireCodec.protocolVersion, workerID: WorkerID, host: String, version: String,
        slots: Int, models: [String], pid: Int
    ) {
        self.protocolVersion = protocolVersion
        self.workerID = workerID
        self.host = host
        self.version = version
        self.slots = slots
        self.models = models
        self.pid = pid
    }
}
