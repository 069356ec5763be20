import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed libzmq call: which operation failed, the `errno` code libzmq reported and its text.
///
/// The code is read with `zmq_errno()` right after the failing call returns, before any other
/// call can overwrite it. `description` reads like
/// `zmq_bind("tcp://nonsense") failed: Invalid argument (errno 22, EINVAL)`.
///
/// - Threading: a plain value; `Sendable`.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, with its arguments, for example `zmq_bind("tcp://127.0.0.1:*")`.
    public let operation: String
    /// The `errno` value (libzmq's own codes such as `ETERM` included).
    public let code: Int32
    /// `zmq_strerror(code)`, or a more specific explanation for errors raised by this module.
    public let message: String

    /// Makes an error from a code; `message` defaults to `zmq_strerror(code)`.
    init(operation: String, code: Int32, message: String? = nil) {
        self.operation = operation
        self.code = code
        self.message = message ?? String(cString: zmq_strerror(code))
    }

    /// Reads `zmq_errno()` first, then builds the operation text. Call it as the very next thing
    /// after a libzmq call returned failure.
    static func last(_ operation: @autoclosure () -> String) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(operation: operation(), code: code)
    }

    /// The error raised when a closed socket is used.
    static func closedSocket(_ operation: String) -> ZMQError {
        ZMQError(operation: operation, code: ENOTSOCK, message: "the socket was already closed")
    }

    /// Broad classes of errors callers act on differently.
    public enum Kind: Sendable, Equatable {
        /// `EAGAIN`: the call would block (non-blocking mode, or a send/receive timeout expired).
        case wouldBlock
        /// `EINTR`: a signal interrupted a blocking call.
        case interrupted
        /// `ETERM`: the context was shut down or terminated; close the socket and stop.
        case contextTerminated
        /// `EHOSTUNREACH`: a ROUTER with `ZMQ_ROUTER_MANDATORY` has no peer with that routing id.
        case hostUnreachable
        /// `EINVAL`: a bad argument, endpoint or option value.
        case invalidArgument
        /// `EADDRINUSE`: the endpoint is already bound.
        case addressInUse
        /// `EADDRNOTAVAIL`: the address is not local.
        case addressNotAvailable
        /// `EPROTONOSUPPORT`: unknown transport in an endpoint.
        case protocolNotSupported
        /// `ENOTSUP`: the operation or capability (for example CURVE) is not available.
        case notSupported
        /// `EFSM`: the call is not allowed in the socket's current state (for example REQ sending twice).
        case invalidState
        /// `ENOTSOCK`: the socket was closed.
        case socketClosed
        /// Any other code; see `code`.
        case other
    }

    /// The class of this error.
    public var kind: Kind {
        switch code {
        case EAGAIN: .wouldBlock
        case EINTR: .interrupted
        case ETERM: .contextTerminated
        case EHOSTUNREACH: .hostUnreachable
        case EINVAL: .invalidArgument
        case EADDRINUSE: .addressInUse
        case EADDRNOTAVAIL: .addressNotAvailable
        case EPROTONOSUPPORT: .protocolNotSupported
        case ENOTSUP: .notSupported
        case EFSM: .invalidState
        case ENOTSOCK: .socketClosed
        default: .other
        }
    }

    /// True for `EAGAIN` and `EINTR`: calling again may succeed.
    public var isRetryable: Bool {
        code == EAGAIN || code == EINTR
    }

    /// True for `ETERM`: the context was shut down; the socket must be closed.
    public var isContextTerminated: Bool {
        code == ETERM
    }

    public var description: String {
        let name = symbolicName.map { ", \($0)" } ?? ""
        return "\(operation) failed: \(message) (errno \(code)\(name))"
    }

    private var symbolicName: String? {
        switch code {
        case EAGAIN: "EAGAIN"
        case EINTR: "EINTR"
        case ETERM: "ETERM"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case EINVAL: "EINVAL"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EPROTONOSUPPORT: "EPROTONOSUPPORT"
        case ENOTSUP: "ENOTSUP"
        case EFSM: "EFSM"
        case ENOTSOCK: "ENOTSOCK"
        case EMFILE: "EMFILE"
        case ENODEV: "ENODEV"
        case ECONNREFUSED: "ECONNREFUSED"
        case EMTHREAD: "EMTHREAD"
        default: nil
        }
    }
}
