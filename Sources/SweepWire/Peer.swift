/// Who sent a message, as far as the transport can tell: the connection, and what the transport
/// proved about it. The coordinator's shell attaches it to every `CoordinatorEvent.workerMessage`.
public struct Peer: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var connection: ConnectionID
    /// The CURVE public key (Z85) the connection authenticated with, from ZAP (the message's
    /// `User-Id`); nil without CURVE. Under CURVE this key is the worker's identity.
    public var publicKey: String?
    /// The remote address as the transport saw it (`Peer-Address`), for logs; nil if unknown.
    public var address: String?

    public init(connection: ConnectionID, publicKey: String? = nil, address: String? = nil) {
        self.connection = connection
        self.publicKey = publicKey
        self.address = address
    }

    /// A peer with no credentials on connection `value` (tests, in-memory transports).
    public init(stringLiteral value: String) { self.init(connection: ConnectionID(value)) }

    /// `connection 0a1b… from 10.0.0.2 key Abc123…`: what a log line says about the peer.
    public var description: String {
        var text = "connection \(connection)"
        if let address, !address.isEmpty { text += " from \(address)" }
        if let publicKey { text += " key \(Self.keyFingerprint(publicKey))" }
        return text
    }

    /// The first 8 characters of a Z85 key, enough to tell keys apart in a log.
    public static func keyFingerprint(_ key: String) -> String {
        key.count > 8 ? String(key.prefix(8)) + "…" : key
    }
}
