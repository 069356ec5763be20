import Testing
import ZeroMQ

@Suite("REQ/REP")
struct RequestReplyTests {
    /// One request and one reply between `client` and `server`, checking both payloads.
    private func roundTrip(client: ZMQSocket, server: ZMQSocket) throws {
        #expect(try client.send("ping"))
        #expect(text(try server.receive()) == "ping")
        #expect(try server.hasMoreFrames == false)
        #expect(try server.send(bytes("pong")))
        #expect(text(try client.receive()) == "pong")
    }

    @Test func roundTripOverInproc() throws {
        let context = try ZMQContext()
        let server = try makeTestSocket(context, .rep)
        let client = try makeTestSocket(context, .req)
        let endpoint = uniqueInprocEndpoint()
        try server.bind(endpoint)
        try client.connect(endpoint)
        try roundTrip(client: client, server: server)
    }

    @Test func roundTripOverTCPWithEphemeralPort() throws {
        let context = try ZMQContext(ioThreads: 1)
        let server = try makeTestSocket(context, .rep)
        let client = try makeTestSocket(context, .req)
        let endpoint = try bindEphemeralTCP(server)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = Int(endpoint.split(separator: ":").last ?? "")
        #expect(port.map { $0 > 0 && $0 < 65536 } == true, "ephemeral port in \(endpoint)")
        try client.connect(endpoint)
        try roundTrip(client: client, server: server)
        try roundTrip(client: client, server: server)
    }

    @Test func reqCannotSendTwiceWithoutReply() throws {
        let context = try ZMQContext()
        let client = try makeTestSocket(context, .req)
        let server = try makeTestSocket(context, .rep)
        let endpoint = uniqueInprocEndpoint()
        try server.bind(endpoint)
        try client.connect(endpoint)
        try client.send("first")
        let error = #expect(throws: ZMQError.self) { try client.send("second") }
        #expect(error?.kind == .invalidState)
    }

    @Test func emptyFramesRoundTrip() throws {
        let context = try ZMQContext()
        let server = try makeTestSocket(context, .rep)
        let client = try makeTestSocket(context, .req)
        let endpoint = uniqueInprocEndpoint()
        try server.bind(endpoint)
        try client.connect(endpoint)
        try client.send([])
        #expect(try server.receive() == [])
        try server.sendMultipart([[], [0, 1, 2]])
        #expect(try client.receiveMultipart() == [[], [0, 1, 2]])
    }
}
