/// One ZAP authentication request (ZeroMQ RFC 27) that libzmq sent for a connecting peer.
///
/// On the wire, after the REQ envelope's empty delimiter, which the handler's REP socket removes:
///
/// | frame | content |
/// | --- | --- |
/// | 0 | version, `"1.0"` |
/// | 1 | request id, opaque, echoed in the reply |
/// | 2 | domain, the server socket's `ZMQ_ZAP_DOMAIN` (often empty) |
/// | 3 | address, the peer's IP address as text |
/// | 4 | routing id the peer announced (often empty) |
/// | 5 | mechanism, `"NULL"`, `"PLAIN"` or `"CURVE"` |
/// | 6… | credentials: none for NULL; user name and password for PLAIN; the client's 32-byte public key for CURVE |
///
/// - Threading: a plain value; `Sendable`.
public struct ZAPRequest: Sendable, Hashable {
    public var version: String
    public var requestID: [UInt8]
    public var domain: String
    public var address: String
    public var routingID: [UInt8]
    public var mechanism: String
    public var credentials: [[UInt8]]

    public init(
        version: String = "1.0",
        requestID: [UInt8],
        domain: String,
        address: String,
        routingID: [UInt8],
        mechanism: String,
        credentials: [[UInt8]]
    ) {
        self.version = version
        self.requestID = requestID
        self.domain = domain
        self.address = address
        self.routingID = routingID
        self.mechanism = mechanism
        self.credentials = credentials
    }

    /// Parses the frames of a request; `nil` unless there are at least six frames.
    init?(frames: [[UInt8]]) {
        guard frames.count >= 6 else { return nil }
        func text(_ index: Int) -> String { String(decoding: frames[index], as: UTF8.self) }
        self.init(
            version: text(0),
            requestID: frames[1],
            domain: text(2),
            address: text(3),
            routingID: frames[4],
            mechanism: text(5),
            credentials: Array(frames.dropFirst(6))
        )
    }

    /// The client's public key in Z85 when the mechanism is CURVE, else `nil`.
    public var curvePublicKey: String? {
        guard mechanism == "CURVE", credentials.count == 1 else { return nil }
        return CurveKeyPair.encode(credentials[0])
    }

    /// The reply frames: version, request id, status code, status text, user id, metadata (empty).
    func replyFrames(statusCode: String, statusText: String, userID: String) -> [[UInt8]] {
        [Array("1.0".utf8), requestID, Array(statusCode.utf8), Array(statusText.utf8), Array(userID.utf8), []]
    }
}
