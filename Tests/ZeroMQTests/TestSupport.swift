import ZeroMQ

/// Short timeouts keep a broken test from hanging: every blocking call gives up after this long.
let testTimeout: Duration = .seconds(2)

/// A socket for tests: linger 0 so closing never waits, and bounded send/receive timeouts.
func makeTestSocket(_ context: ZMQContext, _ type: ZMQSocketType) throws -> ZMQSocket {
    let socket = try context.socket(type)
    try socket.setLinger(.zero)
    try socket.setSendTimeout(testTimeout)
    try socket.setReceiveTimeout(testTimeout)
    return socket
}

/// Binds `socket` to an ephemeral loopback TCP port and returns the resolved endpoint.
func bindEphemeralTCP(_ socket: ZMQSocket) throws -> String {
    try socket.bind("tcp://127.0.0.1:*")
    guard let endpoint = try socket.lastEndpoint else {
        struct MissingEndpoint: Error {}
        throw MissingEndpoint()
    }
    return endpoint
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

/// A unique inproc endpoint per call, so tests running in parallel never share one.
func uniqueInprocEndpoint(_ name: String = #function) -> String {
    "inproc://\(name)-\(UInt64.random(in: 0...UInt64.max))"
}
