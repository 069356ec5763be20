/// A registered worker as the coordinator sees it (for status displays and tests).
public struct WorkerStatus: Sendable, Hashable {
    public var id: WorkerID
    /// The connection it is bound to now.
    public var connection: ConnectionID
    public var hello: WorkerHello
    /// Slots the worker offers now (from `hello`, then from each heartbeat).
    public var slots: Int
    /// Its current leases, in trial order.
    public var leases: [LeaseTicket]
    /// How many leases it may hold at once right now (slow start: it grows as the worker
    /// acknowledges leases, up to its slots times the prefetch depth).
    public var allowance: Int
    /// It has acknowledged at least one lease (listed it in a heartbeat or reported on it).
    public var proven: Bool
    public var lastHeard: ProtocolInstant

    public init(
        id: WorkerID, connection: ConnectionID, hello: WorkerHello, slots: Int, leases: [LeaseTicket], allowance: Int,
        proven: Bool, lastHeard: ProtocolInstant
    ) {
        self.id = id
        self.connection = connection
        self.hello = hello
        self.slots = slots
        self.leases = leases
        self.allowance = allowance
        self.proven = proven
        self.lastHeard = lastHeard
    }
}
