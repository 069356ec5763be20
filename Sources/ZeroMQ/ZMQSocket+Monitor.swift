import CZeroMQ

/// One event from a socket monitor (`zmq_socket_monitor`): what happened, its value (an errno,
/// a file descriptor, or for a failed authentication the ZAP status code such as 400) and the
/// peer endpoint it concerns.
public struct ZMQMonitorEvent: Sendable, Hashable, CustomStringConvertible {
    /// The `ZMQ_EVENT_*` bits this binding names; `events` of `monitor` is a union of them.
    public struct Kind: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let connected = Kind(rawValue: UInt16(ZMQ_EVENT_CONNECTED))
        public static let disconnected = Kind(rawValue: UInt16(ZMQ_EVENT_DISCONNECTED))
        public static let handshakeSucceeded = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
        /// The peer rejected our credentials (CURVE key not allowed): `value` is the ZAP status code.
        public static let handshakeFailedAuthentication = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH))
        /// The peers disagree on the protocol (e.g. one uses CURVE, the other does not).
        public static let handshakeFailedProtocol = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL))
        public static let handshakeFailedNoDetail = Kind(rawValue: UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
    }

    public var kind: Kind
    public var value: UInt32
    public var endpoint: String

    public init(kind: Kind, value: UInt32, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }

    /// Parses the two frames a monitor socket delivers: 6 bytes (event as UInt16 and value as
    /// UInt32, both in host order, which libzmq writes with memcpy) and the endpoint text.
    /// Returns nil for anything else.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let bytes = frames[0]
        kind = Kind(rawValue: UInt16(bytes[0]) | UInt16(bytes[1]) << 8)
        value = UInt32(bytes[2]) | UInt32(bytes[3]) << 8 | UInt32(bytes[4]) << 16 | UInt32(bytes[5]) << 24
        endpoint = String(decoding: frames[1], as: UTF8.self)
    }

    public var description: String { "event 0x\(String(kind.rawValue, radix: 16)) value \(value) at \(endpoint)" }
}

extension ZMQSocket {
    /// Starts a monitor (`zmq_socket_monitor`) that publishes `events` of this socket on the
    /// `inproc://` endpoint `address`; connect a `.pair` socket there and read them with
    /// `ZMQMonitorEvent(frames:)`. (The frame layout assumes a little-endian host, as every
    /// platform crossrec builds for is.)
    public func monitor(_ address: String, events: ZMQMonitorEvent.Kind) throws(ZMQError) {
        try withHandle("zmq_socket_monitor(\"\(address)\")") { handle throws(ZMQError) in
            if zmq_socket_monitor(handle, address, Int32(events.rawValue)) != 0 {
                throw ZMQError.last("zmq_socket_monitor(\"\(address)\")")
            }
        }
    }

    /// Stops this socket's monitor (`zmq_socket_monitor` with no address).
    public func stopMonitor() {
        guard let handle else { return }
        _ = zmq_socket_monitor(handle, nil, 0)
    }
}
