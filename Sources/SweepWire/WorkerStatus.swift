/// A registered worker as the coordinator sees it (for status displays and tests).
public struct WorkerStatus: Sendable, Hashable {
    public var id: WorkerID
    public var hello: WorkerHello
    /// Slots the worker offers now (from `hello`, then from each heartbeat).
    public var slots: Int
    /// Its current leases, in trial order.
    public var leases: [LeaseTicket]
    public var lastHeard: ProtocolInstant

    public init(id: WorkerID, hello: WorkerHello, slots: Int, leases: [LeaseTicket], lastHeard: ProtocolInstant) {
        self.id = id
        self.hello = hello
        self.slots = slots
        self.leases = leases
        self.lastHeard = lastHeard
    }
}
