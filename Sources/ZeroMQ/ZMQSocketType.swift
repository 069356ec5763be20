import CZeroMQ

/// The ZeroMQ socket patterns this module supports.
public enum ZMQSocketType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Routes by peer routing id; the first frame of every message is the peer's routing id.
    case router
    /// Asynchronous request side: round-robins outgoing messages, fair-queues incoming ones.
    case dealer
    /// Strict send/receive alternation; adds and strips an empty delimiter frame.
    case req
    /// Strict receive/send alternation; replies go to the peer of the last request.
    case rep
    /// Broadcasts to subscribers; drops messages for subscribers at their high-water mark.
    case pub
    /// Receives messages whose first frame starts with a subscribed prefix.
    case sub
    /// Exclusive one-to-one connection.
    case pair
    /// Pipeline source: round-robins to connected pullers.
    case push
    /// Pipeline sink: fair-queues from connected pushers.
    case pull

    var rawValue: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .pair: ZMQ_PAIR
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        }
    }

    init?(rawValue: Int32) {
        guard let type = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = type
    }

    public var description: String {
        switch self {
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .req: "REQ"
        case .rep: "REP"
        case .pub: "PUB"
        case .sub: "SUB"
        case .pair: "PAIR"
        case .push: "PUSH"
        case .pull: "PULL"
        }
    }
}
