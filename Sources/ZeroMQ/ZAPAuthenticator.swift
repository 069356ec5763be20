import CZeroMQ
import Foundation

/// A ZAP handler (ZeroMQ RFC 27): decides which peers may connect to the CURVE (or PLAIN) servers of
/// one context, for example by an allow-list of client public keys.
///
/// It binds a REP socket on `inproc://zeromq.zap.01` in the given context. While it is bound, every
/// security handshake of a server socket in that context waits for its answer, so keep answering:
/// call `handleOne` in the loop that owns it, or run it on its own thread with `startInBackground`.
/// Only one handler can be bound per context (a second bind throws `addressInUse`).
///
/// Replies (frames: version `"1.0"`, request id, status code, status text, user id, empty metadata):
/// `200 "OK"` with the CURVE public key (Z85) as user id when `allow` returns `true`, otherwise
/// `400 "Not allowed"` with an empty user id; `500` for a request that is not ZAP 1.0.
///
/// - Threading: owns a socket, so not `Sendable`; use it on one thread (see `ZMQSocket`).
public final class ZAPAuthenticator {
    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"

    /// What `handleOne` did with a request.
    public enum Outcome: Sendable, Hashable {
        /// Answered 200.
        case allowed(ZAPRequest)
        /// Answered 400.
        case denied(ZAPRequest)
        /// Answered 500: fewer than six frames or a version other than 1.0.
        case malformed(frames: [[UInt8]])
    }

    private let socket: ZMQSocket

    /// Binds the handler's REP socket in `context`.
    /// - Throws: `ZMQError`, `addressInUse` when the context already has a ZAP handler.
    public init(context: ZMQContext) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .rep)
        try socket.setLinger(.zero)
        try socket.bind(Self.endpoint)
    }

    /// Closes the handler's socket; later handshakes in the context no longer consult ZAP.
    public func close() {
        socket.close()
    }

    /// Waits up to `timeout` (`nil`: forever) for one request and answers it with `allow`'s decision.
    /// - Returns: what was decided, or `nil` if no request arrived in time.
    /// - Throws: `ZMQError`, `contextTerminated` after `ZMQContext.shutdown()`.
    @discardableResult
    public func handleOne(timeout: Duration?, allow: (ZAPRequest) -> Bool) throws(ZMQError) -> Outcome? {
        guard try !ZMQPoller.poll([.init(socket, .readable)], timeout: timeout).isEmpty,
            let frames = try socket.receiveMultipart(flags: .dontWait)
        else { return nil }

        guard let request = ZAPRequest(frames: frames), request.version == "1.0" else {
            // REP must answer before it can receive again; echo the request id when there is one.
            let requestID = frames.count > 1 ? frames[1] : []
            try socket.sendMultipart([
                Array("1.0".utf8), requestID, Array("500".utf8), Array("Malformed ZAP request".utf8), [], [],
            ])
            return .malformed(frames: frames)
        }
        if allow(request) {
            let userID = request.curvePublicKey ?? ""
            try socket.sendMultipart(request.replyFrames(statusCode: "200", statusText: "OK", userID: userID))
            return .allowed(request)
        } else {
            try socket.sendMultipart(request.replyFrames(statusCode: "400", statusText: "Not allowed", userID: ""))
            return .denied(request)
        }
    }

    /// An `allow` function that admits CURVE clients whose Z85 public key is in `publicKeys`,
    /// and nothing else.
    public static func allowingCurveKeys(_ publicKeys: Set<String>) -> @Sendable (ZAPRequest) -> Bool {
        { request in request.curvePublicKey.map(publicKeys.contains) ?? false }
    }

    /// Binds a handler in `context` on the calling thread (so bind errors are thrown here), then answers
    /// requests on a new thread until `stop()`, the handle's release, or `ZMQContext.shutdown()`.
    /// - Parameters:
    ///   - pollInterval: how often the thread checks for `stop()`; bounds how long `stop()` blocks.
    ///   - allow: decides each request; runs on the handler's thread.
    public static func startInBackground(
        context: ZMQContext,
        pollInterval: Duration = .milliseconds(50),
        allow: @escaping @Sendable (ZAPRequest) -> Bool
    ) throws(ZMQError) -> BackgroundHandler {
        let transfer = OwnershipTransfer(try ZAPAuthenticator(context: context))
        let state = BackgroundHandler.State()
        let thread = Thread {
            let authenticator = transfer.take()
            defer {
                authenticator.close()
                state.markFinished()
            }
            while !state.isStopRequested {
                do throws(ZMQError) {
                    try authenticator.handleOne(timeout: pollInterval, allow: allow)
                } catch  where error.isRetryable {
                    continue
                } catch  where error.isContextTerminated {
                    return
                } catch {
                    state.record(error)
                    return
                }
            }
        }
        thread.name = "ZAPAuthenticator"
        thread.start()
        return BackgroundHandler(state: state)
    }

    /// Controls a handler started by `startInBackground`.
    ///
    /// - Threading: `Sendable`; `stop()` may be called from any thread.
    public final class BackgroundHandler: Sendable {
        private let state: State

        fileprivate init(state: State) {
            self.state = state
        }

        /// Asks the handler thread to close its socket and waits until it did (at most about one poll interval).
        public func stop() {
            state.requestStop()
            state.waitUntilFinished()
        }

        /// The error that ended the handler thread early, if any (`ETERM` after shutdown is not an error).
        public var failure: ZMQError? { state.failure }

        deinit {
            stop()
        }

        fileprivate final class State: @unchecked Sendable {
            // @unchecked: every stored property is read and written only while `condition` is locked.
            private let condition = NSCondition()
            private var stopRequested = false
            private var finished = false
            private var storedFailure: ZMQError?

            var isStopRequested: Bool { condition.withLock { stopRequested } }
            var failure: ZMQError? { condition.withLock { storedFailure } }

            func requestStop() { condition.withLock { stopRequested = true } }

            func record(_ error: ZMQError) { condition.withLock { storedFailure = error } }

            func markFinished() {
                condition.withLock {
                    finished = true
                    condition.broadcast()
                }
            }

            func waitUntilFinished() {
                condition.lock()
                defer { condition.unlock() }
                while !finished { condition.wait() }
            }
        }
    }
}

/// Moves a non-`Sendable` value to another thread exactly once.
///
/// @unchecked: the creator gives the value up when it makes the transfer and never touches it again;
/// `take()` is called once, on the receiving thread, so the value is owned by one thread at a time.
private final class OwnershipTransfer<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) { self.value = value }

    func take() -> Value {
        guard let value else { preconditionFailure("OwnershipTransfer.take() called twice") }
        self.value = nil
        return value
    }
}
