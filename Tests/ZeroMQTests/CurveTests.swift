import Testing
import ZeroMQ

@Suite("CURVE", .enabled(if: ZMQ.has("curve"), "libzmq was built without CURVE"))
struct CurveTests {
    @Test func clientWithServerPublicKeyTalks() throws {
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let server = try makeTestSocket(context, .rep)
        try server.makeCurveServer(secretKey: serverKeys.secretKey)
        #expect(try server.isCurveServer)
        let endpoint = try bindEphemeralTCP(server)

        let client = try makeTestSocket(context, .req)
        try client.makeCurveClient(serverPublicKey: serverKeys.publicKey, clientKeyPair: try CurveKeyPair.generate())
        #expect(try client.isCurveServer == false)
        try client.connect(endpoint)

        try client.send("secret ping")
        #expect(text(try server.receive()) == "secret ping")
        try server.send("secret pong")
        #expect(text(try client.receive()) == "secret pong")
    }

    @Test func clientWithWrongServerPublicKeyGetsNoReply() throws {
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let server = try makeTestSocket(context, .rep)
        try server.makeCurveServer(keyPair: serverKeys)
        try server.setReceiveTimeout(.milliseconds(300))
        let endpoint = try bindEphemeralTCP(server)

        let impostorKey = try CurveKeyPair.generate().publicKey
        let client = try makeTestSocket(context, .req)
        try client.makeCurveClient(serverPublicKey: impostorKey, clientKeyPair: try CurveKeyPair.generate())
        try client.setReceiveTimeout(.milliseconds(300))
        try client.connect(endpoint)

        try client.send("anyone there?")
        #expect(try server.receive() == nil, "the server must not accept a handshake made with the wrong key")
        #expect(try client.receive() == nil)
    }

    @Test func plainClientCannotTalkToCurveServer() throws {
        let context = try ZMQContext()
        let server = try makeTestSocket(context, .rep)
        try server.makeCurveServer(secretKey: try CurveKeyPair.generate().secretKey)
        try server.setReceiveTimeout(.milliseconds(300))
        let endpoint = try bindEphemeralTCP(server)
        let client = try makeTestSocket(context, .req)
        try client.connect(endpoint)
        try client.send("no keys")
        #expect(try server.receive() == nil)
    }

    @Test func malformedKeysAreRejectedBeforeTouchingTheSocket() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .rep)
        #expect(throws: CurveKeyError.wrongLength(role: "CURVE server secret key", length: 3)) {
            try socket.makeCurveServer(secretKey: "abc")
        }
        #expect(try socket.isCurveServer == false)
        let valid = try CurveKeyPair.generate()
        #expect(throws: CurveKeyError.self) {
            try socket.makeCurveClient(serverPublicKey: String(repeating: "~", count: 40), clientKeyPair: valid)
        }
    }
}
