import CZeroMQ

/// Waits until one of several sockets can receive or send (`zmq_poll`).
///
/// ```swift
/// var poller = ZMQPoller()
/// let jobs = poller.register(jobsSocket, for: .readable)
/// let control = poller.register(controlSocket, for: .readable)
/// for ready in try poller.poll(timeout: .milliseconds(500)) where ready.index == jobs { ... }
/// ```
///
/// - Threading: holds its sockets, so it is not `Sendable`; use it on the thread that owns them.
/// - Cost: one `zmq_poll` call per `poll`, O(registered sockets).
public struct ZMQPoller {
    /// One registered socket and the events to wait for.
    public struct Item {
        public let socket: ZMQSocket
        public var events: ZMQPollEvents
    }

    /// A socket that is ready.
    public struct Ready {
        /// The position returned by `register`.
        public let index: Int
        public let socket: ZMQSocket
        /// The subset of the requested events that holds now.
        public let events: ZMQPollEvents
    }

    /// The registered sockets in registration order.
    public private(set) var items: [Item] = []

    public init() {}

    /// Adds `socket`, to be polled for `events`, and returns its index for `Ready.index`.
    @discardableResult
    public mutating func register(_ socket: ZMQSocket, for events: ZMQPollEvents = .readable) -> Int {
        items.append(Item(socket: socket, events: events))
        return items.count - 1
    }

    /// Changes what the socket at `index` is polled for; `[]` keeps it registered but ignored.
    public mutating func update(_ index: Int, events: ZMQPollEvents) {
        items[index].events = events
    }

    /// Waits until at least one registered socket is ready or `timeout` passes.
    /// - Parameter timeout: `nil` waits forever, `.zero` only checks. Rounded up to whole milliseconds.
    /// - Returns: the ready sockets in registration order; empty when the timeout passed.
    /// - Throws: `ZMQError`: `interrupted` (`EINTR`, retryable) when a signal arrived,
    ///   `contextTerminated` after `ZMQContext.shutdown()`, `socketClosed` for a closed socket.
    public func poll(timeout: Duration?) throws(ZMQError) -> [Ready] {
        try Self.poll(items, timeout: timeout)
    }

    /// Polls `items` once; see `poll(timeout:)`.
    public static func poll(_ items: [Item], timeout: Duration?) throws(ZMQError) -> [Ready] {
        var pollItems: [zmq_pollitem_t] = []
        pollItems.reserveCapacity(items.count)
        for item in items {
            let handle = try item.socket.withHandle("zmq_poll(\(item.socket.type))") { handle in handle }
            pollItems.append(zmq_pollitem_t(socket: handle, fd: 0, events: item.events.rawValue, revents: 0))
        }
        let milliseconds = timeout.map { Int($0.zmqMilliseconds) } ?? -1
        let count = zmq_poll(&pollItems, Int32(pollItems.count), milliseconds)
        guard count >= 0 else {
            throw ZMQError.last("zmq_poll(\(items.count) sockets, timeout \(milliseconds) ms)")
        }
        var ready: [Ready] = []
        for (index, pollItem) in pollItems.enumerated() where pollItem.revents != 0 {
            let events = ZMQPollEvents(rawValue: pollItem.revents).intersection(items[index].events)
            if events.isEmpty { continue }
            ready.append(Ready(index: index, socket: items[index].socket, events: events))
        }
        // Sockets stay alive until zmq_poll returned: `items` holds them.
        withExtendedLifetime(items) {}
        return ready
    }
}

extension ZMQPoller.Item {
    /// An item for `ZMQPoller.poll(_:timeout:)`.
    public init(_ socket: ZMQSocket, _ events: ZMQPollEvents = .readable) {
        self.init(socket: socket, events: events)
    }
}
