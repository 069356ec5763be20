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
    /// A random token the worker process draws once at start and sends in every `hello` and
    /// `reattach`. Without CURVE it is what proves that a reconnecting worker is the same process
    /// that holds the leases: a second connection claiming a live worker's id with another
    /// session is refused. The coordinator keeps only its fingerprint.
    public var session: String

    public init(
        protocolVersion: Int = WireCodec.protocolVersion, workerID: WorkerID, host: String, version: String,
        slots: Int, models: [String], pid: Int, session: String
    ) {
        self.protocolVersion = protocolVersion
        self.workerID = workerID
        self.host = host
        self.version = version
        self.slots = slots
        self.models = models
        self.pid = pid
        self.session = session
    }
}
