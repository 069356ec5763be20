import Testing
import ZeroMQ

@Suite("ZAP", .enabled(if: ZMQ.has("curve"), "libzmq was built without CURVE"))
struct ZAPAuthenticatorTests {
    /// A CURVE REP server bound on loopback TCP, and its key pair.
    private func makeServer(_ context: ZMQContext) throws -> (ZMQSocket, CurveKeyPair, String) {
        let keys = try CurveKeyPair.generate()
        let server = try makeTestSocket(context, .rep)
        try server.makeCurveServer(secretKey: keys.secretKey)
        return (server, keys, try bindEphemeralTCP(server))
    }

    private func makeClient(
        _ context: ZMQContext,
        serverKey: String,
        keys: CurveKeyPair,
        endpoint: String
    ) throws -> ZMQSocket {
        let client = try makeTestSocket(context, .req)
        try client.makeCurveClient(serverPublicKey: serverKey, clientKeyPair: keys)
        try client.connect(endpoint)
        return client
    }

    @Test func allowListAdmitsKnownKeyAndRefusesOthersOnTheCallingThread() throws {
        let context = try ZMQContext()
        let authenticator = try ZAPAuthenticator(context: context)
        let (server, serverKeys, endpoint) = try makeServer(context)
        let allowedKeys = try CurveKeyPair.generate()
        let strangerKeys = try CurveKeyPair.generate()
        let allow = ZAPAuthenticator.allowingCurveKeys([allowedKeys.publicKey])

        // Allowed client: the handshake waits for our answer, then the request gets through.
        let allowedClient = try makeClient(
            context, serverKey: serverKeys.publicKey, keys: allowedKeys, endpoint: endpoint)
        try allowedClient.send("hello from a friend")
        let outcome = try authenticator.handleOne(timeout: testTimeout, allow: allow)
        guard case .allowed(let request) = outcome else {
            Issue.record("expected the allowed client's ZAP request, got \(String(describing: outcome))")
            return
        }
        #expect(request.version == "1.0")
        #expect(request.mechanism == "CURVE")
        #expect(request.address == "127.0.0.1")
        #expect(request.curvePublicKey == allowedKeys.publicKey)
        #expect(!request.requestID.isEmpty)
        #expect(text(try server.receive()) == "hello from a friend")
        try server.send("welcome")
        #expect(text(try allowedClient.receive()) == "welcome")

        // Unknown client: refused with 400, so its message never reaches the server.
        let stranger = try makeClient(context, serverKey: serverKeys.publicKey, keys: strangerKeys, endpoint: endpoint)
        try stranger.send("let me in")
        let refusal = try authenticator.handleOne(timeout: testTimeout, allow: allow)
        guard case .denied(let refused) = refusal else {
            Issue.record("expected the stranger's ZAP request to be denied, got \(String(describing: refusal))")
            return
        }
        #expect(refused.curvePublicKey == strangerKeys.publicKey)
        try server.setReceiveTimeout(.milliseconds(300))
        try stranger.setReceiveTimeout(.milliseconds(300))
        #expect(try server.receive() == nil)
        #expect(try stranger.receive() == nil)
    }

    @Test func backgroundHandlerEnforcesAllowList() throws {
        let context = try ZMQContext()
        let allowedKeys = try CurveKeyPair.generate()
        let handler = try ZAPAuthenticator.startInBackground(
            context: context,
            allow: ZAPAuthenticator.allowingCurveKeys([allowedKeys.publicKey])
        )
        defer { handler.stop() }
        let (server, serverKeys, endpoint) = try makeServer(context)

        let friend = try makeClient(context, serverKey: serverKeys.publicKey, keys: allowedKeys, endpoint: endpoint)
        try friend.send("ping")
        #expect(text(try server.receive()) == "ping")
        try server.send("pong")
        #expect(text(try friend.receive()) == "pong")

        let stranger = try makeClient(
            context,
            serverKey: serverKeys.publicKey,
            keys: try CurveKeyPair.generate(),
            endpoint: endpoint
        )
        try stranger.setReceiveTimeout(.milliseconds(300))
        try server.setReceiveTimeout(.milliseconds(300))
        try stranger.send("ping")
        #expect(try server.receive() == nil)
        #expect(try stranger.receive() == nil)

        handler.stop()
        #expect(handler.failure == nil)
    }

    /// A refused client learns why through its socket monitor: the handshake failed
    /// authentication with ZAP status 400; an allowed client's handshake succeeds.
    @Test func aRefusedClientSeesTheAuthenticationFailureOnItsMonitor() throws {
        let context = try ZMQContext()
        let allowedKeys = try CurveKeyPair.generate()
        let handler = try ZAPAuthenticator.startInBackground(
            context: context, allow: ZAPAuthenticator.allowingCurveKeys([allowedKeys.publicKey]))
        defer { handler.stop() }
        let (server, serverKeys, endpoint) = try makeServer(context)
        defer { withExtendedLifetime(server) {} }

        func firstHandshakeEvent(_ keys: CurveKeyPair) throws -> ZMQMonitorEvent? {
            let client = try makeTestSocket(context, .dealer)
            try client.makeCurveClient(serverPublicKey: serverKeys.publicKey, clientKeyPair: keys)
            let address = uniqueInprocEndpoint()
            try client.monitor(address, events: [.handshakeSucceeded, .handshakeFailedAuthentication])
            let events = try makeTestSocket(context, .pair)
            try events.connect(address)
            try client.connect(endpoint)
            guard let frames = try events.receiveMultipart() else { return nil }
            client.stopMonitor()
            return ZMQMonitorEvent(frames: frames)
        }
        let refused = try #require(try firstHandshakeEvent(try CurveKeyPair.generate()))
        #expect(refused.kind == .handshakeFailedAuthentication && refused.value == 400, "\(refused)")
        #expect(refused.endpoint == endpoint)
        let admitted = try #require(try firstHandshakeEvent(allowedKeys))
        #expect(admitted.kind == .handshakeSucceeded, "\(admitted)")
    }

    @Test func monitorEventsParseOnlyTheDocumentedShape() {
        #expect(ZMQMonitorEvent(frames: [[0x00, 0x40, 0x90, 0x01, 0x00, 0x00], Array("tcp://h:1".utf8)])
            == ZMQMonitorEvent(kind: .handshakeFailedAuthentication, value: 400, endpoint: "tcp://h:1"))
        #expect(ZMQMonitorEvent(frames: [[0x00, 0x40, 0x90, 0x01, 0x00]]) == nil)
        #expect(ZMQMonitorEvent(frames: [[0, 0, 0, 0, 0], Array("x".utf8)]) == nil)
    }

    @Test func secondHandlerInTheSameContextIsRefused() throws {
        let context = try ZMQContext()
        let first = try ZAPAuthenticator(context: context)
        let error = #expect(throws: ZMQError.self) { try ZAPAuthenticator(context: context) }
        #expect(error?.kind == .addressInUse)
        #expect(error?.operation.contains(ZAPAuthenticator.endpoint) == true)
        first.close()
    }

    @Test func handleOneReturnsNilWhenNoRequestArrives() throws {
        let context = try ZMQContext()
        let authenticator = try ZAPAuthenticator(context: context)
        #expect(try authenticator.handleOne(timeout: .milliseconds(20)) { _ in true } == nil)
    }
}
