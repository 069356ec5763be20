import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// One multipart message with the connection properties libzmq attached to it.
public struct ZMQReceivedMessage: Sendable, Hashable {
    public var frames: [[UInt8]]
    /// The requested properties the message carries (`zmq_msg_gets`): for example `User-Id`
    /// (the user id a ZAP handler returned; crossrec's is the client's CURVE public key) and
    /// `Peer-Address` (the remote IP address). Absent properties are left out.
    public var properties: [String: String]

    public init(frames: [[UInt8]], properties: [String: String]) {
        self.frames = frames
        self.properties = properties
    }
}

extension ZMQSocket {
    /// Receives all frames of one message, like `receiveMultipart(flags:)`, and reads the
    /// connection properties `names` from its frames (a ROUTER's routing-id frame carries none,
    /// so each frame is asked until one answers).
    /// - Returns: nil if no message arrived without blocking (`.dontWait`) or within `receiveTimeout`.
    public func receiveMultipart(flags: ReceiveFlags = [], properties names: [String]) throws(ZMQError)
        -> ZMQReceivedMessage?
    {
        try withHandle("zmq_msg_recv(\(type))") { handle throws(ZMQError) -> ZMQReceivedMessage? in
            var frames: [[UInt8]] = []
            var properties: [String: String] = [:]
            var looked = false
            while true {
                var message = zmq_msg_t()
                zmq_msg_init(&message)
                defer { zmq_msg_close(&message) }
                guard zmq_msg_recv(&message, handle, frames.isEmpty ? flags.rawValue : 0) >= 0 else {
                    let error = ZMQError.last("zmq_msg_recv(\(type), frame \(frames.count + 1))")
                    if error.code == EAGAIN, frames.isEmpty { return nil }
                    throw error
                }
                let size = zmq_msg_size(&message)
                if size > 0, let data = zmq_msg_data(&message) {
                    frames.append([UInt8](UnsafeRawBufferPointer(start: data, count: size)))
                } else {
                    frames.append([])
                }
                if !looked {
                    for name in names {
                        if let value = zmq_msg_gets(&message, name) { properties[name] = String(cString: value) }
                    }
                    looked = !properties.isEmpty
                }
                if zmq_msg_more(&message) == 0 { return ZMQReceivedMessage(frames: frames, properties: properties) }
            }
        }
    }
}
