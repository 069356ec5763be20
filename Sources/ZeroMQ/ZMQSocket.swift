import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libzmq socket (`zmq_socket`).
///
/// - Threading: libzmq sockets are not thread-safe, so this class is deliberately not `Sendable`:
///   the compiler keeps each socket in the isolation region (thread, actor or task) that created
///   it. Create a socket on the thread that runs its loop, and use it only there; to wake that loop
///   from elsewhere, send it a message over an `inproc://` socket pair, or call
///   `ZMQContext.shutdown()`. The `ZMQContext` is the one thread-safe object.
/// - Lifetime: the socket keeps its context alive. `close()` (or `deinit`) calls `zmq_close`; unsent
///   messages are then flushed in the background for up to `linger`, which also bounds how long
///   `ZMQContext`'s `deinit` waits. Every call on a closed socket throws `ZMQError.Kind.socketClosed`.
/// - Blocking: `send` and `receive` block unless given `.dontWait`, for at most `sendTimeout` /
///   `receiveTimeout`; when they would block or time out they return `false` / `nil` instead of
///   throwing. Use `ZMQPoller` to wait on several sockets.
public final class ZMQSocket {
    /// The context the socket was created in; kept alive by the socket.
    public let context: ZMQContext
    /// The socket's pattern.
    public let type: ZMQSocketType
    /// The libzmq handle; `nil` once closed.
    private(set) var handle: UnsafeMutableRawPointer?

    /// Flags for `send` and `sendMultipart`.
    public struct SendFlags: OptionSet, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `ZMQ_DONTWAIT`: fail with `false` instead of blocking when the message cannot be queued.
        public static let dontWait = SendFlags(rawValue: ZMQ_DONTWAIT)
        /// `ZMQ_SNDMORE`: more frames of the same message follow.
        public static let sendMore = SendFlags(rawValue: ZMQ_SNDMORE)
    }

    /// Flags for `receive` and `receiveMultipart`.
    public struct ReceiveFlags: OptionSet, Sendable, Hashable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `ZMQ_DONTWAIT`: return `nil` instead of blocking when no message is queued.
        public static let dontWait = ReceiveFlags(rawValue: ZMQ_DONTWAIT)
    }

    /// Opens a socket of `type` in `context`.
    public init(context: ZMQContext, type: ZMQSocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket(\(type))")
        }
        self.context = context
        self.type = type
        self.handle = handle
    }

    deinit {
        if let handle { zmq_close(handle) }
    }

    /// Whether `close` was called.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket (`zmq_close`). Pending outgoing messages are flushed in the background for up
    /// to the socket's `linger`. Idempotent.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    /// Sets `ZMQ_LINGER` to `linger` (`nil`: until delivered), then closes the socket.
    /// `close(linger: .zero)` drops unsent messages at once.
    public func close(linger: Duration?) {
        try? setLinger(linger)
        close()
    }

    /// Runs `body` with the open handle, or throws `socketClosed` naming `operation`.
    func withHandle<Result>(
        _ operation: @autoclosure () -> String,
        _ body: (UnsafeMutableRawPointer) throws(ZMQError) -> Result
    ) throws(ZMQError) -> Result {
        guard let handle else { throw ZMQError.closedSocket(operation()) }
        return try body(handle)
    }

    // MARK: - Endpoints

    /// Binds to `endpoint` (`zmq_bind`), for example `tcp://127.0.0.1:5555`, `tcp://127.0.0.1:*`
    /// (an ephemeral port; read it back with `lastEndpoint`) or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try withHandle("zmq_bind(\"\(endpoint)\")") { handle throws(ZMQError) in
            if zmq_bind(handle, endpoint) != 0 { throw ZMQError.last("zmq_bind(\"\(endpoint)\")") }
        }
    }

    /// Connects to `endpoint` (`zmq_connect`). Returns before the connection exists; libzmq connects and
    /// reconnects in the background (see `setReconnectInterval` and `setImmediate`).
    public func connect(_ endpoint: String) throws(ZMQError) {
        try withHandle("zmq_connect(\"\(endpoint)\")") { handle throws(ZMQError) in
            if zmq_connect(handle, endpoint) != 0 { throw ZMQError.last("zmq_connect(\"\(endpoint)\")") }
        }
    }

    /// Stops listening on an endpoint given to `bind` (`zmq_unbind`). With a wildcard bind, pass the
    /// resolved endpoint from `lastEndpoint`.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try withHandle("zmq_unbind(\"\(endpoint)\")") { handle throws(ZMQError) in
            if zmq_unbind(handle, endpoint) != 0 { throw ZMQError.last("zmq_unbind(\"\(endpoint)\")") }
        }
    }

    /// Drops a connection made by `connect` (`zmq_disconnect`).
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try withHandle("zmq_disconnect(\"\(endpoint)\")") { handle throws(ZMQError) in
            if zmq_disconnect(handle, endpoint) != 0 { throw ZMQError.last("zmq_disconnect(\"\(endpoint)\")") }
        }
    }

    /// The endpoint of the last `bind` or `connect` with wildcards resolved (`ZMQ_LAST_ENDPOINT`),
    /// for example `tcp://127.0.0.1:41234` after binding `tcp://127.0.0.1:*`; `nil` before either.
    public var lastEndpoint: String? {
        get throws(ZMQError) {
            let bytes = try bytesOption(ZMQ_LAST_ENDPOINT, name: "ZMQ_LAST_ENDPOINT", capacity: 1024)
            let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            return text.isEmpty ? nil : text
        }
    }

    // MARK: - Sending

    /// Sends one frame (`zmq_send`; the bytes are copied).
    /// - Returns: `false` if the message could not be queued without blocking (`.dontWait`) or
    ///   within `sendTimeout` (`EAGAIN`); `true` once libzmq queued it (not: delivered).
    /// - Throws: `ZMQError`, for example `hostUnreachable` from a ROUTER with `routerMandatory`,
    ///   `invalidState` for a REQ sending twice, `contextTerminated` after `ZMQContext.shutdown()`.
    @discardableResult
    public func send(_ frame: [UInt8], flags: SendFlags = []) throws(ZMQError) -> Bool {
        try withHandle("zmq_send(\(type))") { handle throws(ZMQError) in
            let sent = frame.withUnsafeBytes { bytes in
                zmq_send(handle, bytes.baseAddress, bytes.count, flags.rawValue)
            }
            guard sent >= 0 else {
                let error = ZMQError.last("zmq_send(\(type), \(frame.count) bytes)")
                if error.code == EAGAIN { return false }
                throw error
            }
            return true
        }
    }

    /// Sends the UTF-8 bytes of `text` as one frame; see `send(_:flags:)`.
    @discardableResult
    public func send(_ text: String, flags: SendFlags = []) throws(ZMQError) -> Bool {
        try send(Array(text.utf8), flags: flags)
    }

    /// Sends `frames` as one multipart message: every frame but the last with `ZMQ_SNDMORE`.
    ///
    /// libzmq delivers a multipart message whole or not at all. With `.dontWait` (or a send timeout)
    /// only the first frame can be refused, and then nothing was sent and the result is `false`.
    /// `.sendMore` in `flags` leaves the message open after the last frame.
    /// - Precondition: `frames` is not empty.
    @discardableResult
    public func sendMultipart(_ frames: [[UInt8]], flags: SendFlags = []) throws(ZMQError) -> Bool {
        precondition(!frames.isEmpty, "sendMultipart needs at least one frame; a ZeroMQ message has 1 or more")
        let waitFlags = flags.intersection(.dontWait)
        for (index, frame) in frames.enumerated() {
            let isLast = index == frames.count - 1
            let frameFlags = isLast ? flags : waitFlags.union(.sendMore)
            guard try send(frame, flags: frameFlags) else {
                if index == 0 { return false }
                // Unreachable with libzmq's atomic multipart delivery, but never report half a message as sent.
                throw ZMQError(
                    operation: "zmq_send(\(type), frame \(index + 1) of \(frames.count))",
                    code: EAGAIN,
                    message: "libzmq refused a later frame of a multipart message whose first frame it accepted"
                )
            }
        }
        return true
    }

    // MARK: - Receiving

    /// Receives one frame (`zmq_msg_recv`).
    /// - Returns: the frame, or `nil` if none arrived without blocking (`.dontWait`) or within
    ///   `receiveTimeout` (`EAGAIN`). Check `hasMoreFrames` for further frames of the same message.
    /// - Throws: `ZMQError`, for example `contextTerminated` after `ZMQContext.shutdown()`.
    public func receive(flags: ReceiveFlags = []) throws(ZMQError) -> [UInt8]? {
        try withHandle("zmq_msg_recv(\(type))") { handle throws(ZMQError) in
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            guard zmq_msg_recv(&message, handle, flags.rawValue) >= 0 else {
                let error = ZMQError.last("zmq_msg_recv(\(type))")
                if error.code == EAGAIN { return nil }
                throw error
            }
            let size = zmq_msg_size(&message)
            guard size > 0, let data = zmq_msg_data(&message) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: data, count: size))
        }
    }

    /// Receives all frames of one message, reading `ZMQ_RCVMORE` after each frame.
    /// - Returns: the frames (at least one), or `nil` if no message arrived without blocking
    ///   (`.dontWait`) or within `receiveTimeout`.
    public func receiveMultipart(flags: ReceiveFlags = []) throws(ZMQError) -> [[UInt8]]? {
        guard let first = try receive(flags: flags) else { return nil }
        var frames = [first]
        while try hasMoreFrames {
            // The rest of a multipart message arrives together with its first frame.
            guard let frame = try receive(flags: flags) else {
                throw ZMQError(
                    operation: "zmq_msg_recv(\(type), frame \(frames.count + 1))",
                    code: EFSM,
                    message: "ZMQ_RCVMORE announced another frame, but none was queued"
                )
            }
            frames.append(frame)
        }
        return frames
    }

    /// `ZMQ_RCVMORE`: whether the frame just received is followed by more frames of the same message.
    public var hasMoreFrames: Bool {
        get throws(ZMQError) { try int32Option(ZMQ_RCVMORE, name: "ZMQ_RCVMORE") != 0 }
    }

    /// `ZMQ_EVENTS`: whether a message can be received (`.readable`) or sent (`.writable`) now,
    /// without blocking.
    public var events: ZMQPollEvents {
        get throws(ZMQError) {
            ZMQPollEvents(rawValue: Int16(truncatingIfNeeded: try int32Option(ZMQ_EVENTS, name: "ZMQ_EVENTS")))
        }
    }

    // MARK: - Raw options (C types stay inside the module)

    func setInt32Option(_ option: Int32, _ value: Int32, name: String) throws(ZMQError) {
        var value = value
        try setOption(option, pointer: &value, size: MemoryLayout<Int32>.size, name: name, shown: "\(value)")
    }

    func setInt64Option(_ option: Int32, _ value: Int64, name: String) throws(ZMQError) {
        var value = value
        try setOption(option, pointer: &value, size: MemoryLayout<Int64>.size, name: name, shown: "\(value)")
    }

    func setOption(_ option: Int32, bytes: [UInt8], name: String, shown: String) throws(ZMQError) {
        try withHandle("zmq_setsockopt(\(name), \(shown))") { handle throws(ZMQError) in
            let status = bytes.withUnsafeBytes { buffer in
                zmq_setsockopt(handle, option, buffer.baseAddress, buffer.count)
            }
            if status != 0 { throw ZMQError.last("zmq_setsockopt(\(name), \(shown))") }
        }
    }

    private func setOption(
        _ option: Int32,
        pointer: UnsafeRawPointer,
        size: Int,
        name: String,
        shown: String
    ) throws(ZMQError) {
        try withHandle("zmq_setsockopt(\(name), \(shown))") { handle throws(ZMQError) in
            if zmq_setsockopt(handle, option, pointer, size) != 0 {
                throw ZMQError.last("zmq_setsockopt(\(name), \(shown))")
            }
        }
    }

    func int32Option(_ option: Int32, name: String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try withHandle("zmq_getsockopt(\(name))") { handle throws(ZMQError) in
            if zmq_getsockopt(handle, option, &value, &size) != 0 { throw ZMQError.last("zmq_getsockopt(\(name))") }
        }
        return value
    }

    func int64Option(_ option: Int32, name: String) throws(ZMQError) -> Int64 {
        var value: Int64 = 0
        var size = MemoryLayout<Int64>.size
        try withHandle("zmq_getsockopt(\(name))") { handle throws(ZMQError) in
            if zmq_getsockopt(handle, option, &value, &size) != 0 { throw ZMQError.last("zmq_getsockopt(\(name))") }
        }
        return value
    }

    func bytesOption(_ option: Int32, name: String, capacity: Int) throws(ZMQError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try withHandle("zmq_getsockopt(\(name))") { handle throws(ZMQError) in
            let status = bytes.withUnsafeMutableBytes { buffer in
                zmq_getsockopt(handle, option, buffer.baseAddress, &size)
            }
            if status != 0 { throw ZMQError.last("zmq_getsockopt(\(name))") }
        }
        return Array(bytes.prefix(size))
    }
}
