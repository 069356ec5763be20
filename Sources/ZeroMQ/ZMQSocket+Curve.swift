import CZeroMQ

/// CURVE security (ZeroMQ RFC 26): encryption and server authentication, with client
/// authentication through a ZAP handler (`ZAPAuthenticator`).
///
/// Call these before `bind`/`connect`; they apply to connections made afterwards. Same threading
/// contract as the socket.
extension ZMQSocket {
    /// Makes this socket a CURVE server (`ZMQ_CURVE_SERVER` = 1, `ZMQ_CURVE_SECRETKEY`).
    ///
    /// Clients must know the matching public key. Any client key is accepted unless a ZAP handler
    /// (`ZAPAuthenticator`) is bound in the same context.
    /// - Throws: `CurveKeyError` for a malformed key; `ZMQError` (`notSupported`) without CURVE.
    public func makeCurveServer(secretKey: String) throws {
        try CurveKeyPair.validate(secretKey, role: "CURVE server secret key")
        try ZMQ.requireCurve(for: "zmq_setsockopt(ZMQ_CURVE_SERVER)")
        try setInt32Option(ZMQ_CURVE_SERVER, 1, name: "ZMQ_CURVE_SERVER")
        try setCurveKey(ZMQ_CURVE_SECRETKEY, secretKey, name: "ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE server with `keyPair`'s secret key; see `makeCurveServer(secretKey:)`.
    public func makeCurveServer(keyPair: CurveKeyPair) throws {
        try makeCurveServer(secretKey: keyPair.secretKey)
    }

    /// Makes this socket a CURVE client (`ZMQ_CURVE_SERVERKEY`, `ZMQ_CURVE_PUBLICKEY`, `ZMQ_CURVE_SECRETKEY`).
    ///
    /// A wrong `serverPublicKey` does not fail here: the handshake fails, and messages are never
    /// delivered (libzmq keeps retrying), so pair it with a receive timeout.
    /// - Throws: `CurveKeyError` for a malformed key; `ZMQError` (`notSupported`) without CURVE.
    public func makeCurveClient(serverPublicKey: String, clientKeyPair: CurveKeyPair) throws {
        try CurveKeyPair.validate(serverPublicKey, role: "CURVE server public key")
        try ZMQ.requireCurve(for: "zmq_setsockopt(ZMQ_CURVE_SERVERKEY)")
        try setCurveKey(ZMQ_CURVE_SERVERKEY, serverPublicKey, name: "ZMQ_CURVE_SERVERKEY")
        try setCurveKey(ZMQ_CURVE_PUBLICKEY, clientKeyPair.publicKey, name: "ZMQ_CURVE_PUBLICKEY")
        try setCurveKey(ZMQ_CURVE_SECRETKEY, clientKeyPair.secretKey, name: "ZMQ_CURVE_SECRETKEY")
    }

    /// `ZMQ_CURVE_SERVER`: whether this socket is a CURVE server.
    public var isCurveServer: Bool {
        get throws(ZMQError) { try int32Option(ZMQ_CURVE_SERVER, name: "ZMQ_CURVE_SERVER") != 0 }
    }

    private func setCurveKey(_ option: Int32, _ key: String, name: String) throws(ZMQError) {
        // 41 bytes = 40 Z85 characters plus the terminating NUL, which libzmq reads as Z85 text.
        // The key itself is never put into error messages.
        try setOption(option, bytes: Array(key.utf8) + [0], name: name, shown: "<Z85 key>")
    }
}
