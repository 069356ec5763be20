import CZeroMQ

/// A CURVE (Curve25519) key pair in Z85 text: 40 characters per 32-byte key.
///
/// Keys are validated on construction, so a `CurveKeyPair` always holds a matching pair. `description`
/// hides the secret key so that logging a key pair does not leak it.
///
/// - Threading: a plain value; `Sendable`.
public struct CurveKeyPair: Sendable, Hashable, CustomStringConvertible {
    /// The public key, 40 Z85 characters; give it to peers.
    public let publicKey: String
    /// The secret key, 40 Z85 characters; keep it private.
    public let secretKey: String

    /// The Z85 alphabet (ZeroMQ RFC 32).
    static let z85Alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8
    )

    private init(validatedPublicKey publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Makes a new random key pair (`zmq_curve_keypair`).
    /// - Throws: `ZMQError` (`notSupported`) when libzmq was built without CURVE.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        try ZMQ.requireCurve(for: "zmq_curve_keypair")
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
            throw ZMQError.last("zmq_curve_keypair")
        }
        return CurveKeyPair(
            validatedPublicKey: String(decoding: publicKey.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self),
            secretKey: String(decoding: secretKey.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        )
    }

    /// A key pair from stored keys; checks both are Z85 and that `publicKey` belongs to `secretKey`.
    /// - Throws: `CurveKeyError` for a malformed or mismatched key; `ZMQError` without CURVE support.
    public init(publicKey: String, secretKey: String) throws {
        try Self.validate(publicKey, role: "CURVE public key")
        let derived = try Self.derivePublicKey(fromSecretKey: secretKey)
        guard derived == publicKey else { throw CurveKeyError.mismatchedKeyPair }
        self.init(validatedPublicKey: publicKey, secretKey: secretKey)
    }

    /// A key pair from a stored secret key; the public key is derived (`zmq_curve_public`).
    public init(secretKey: String) throws {
        let publicKey = try Self.derivePublicKey(fromSecretKey: secretKey)
        self.init(validatedPublicKey: publicKey, secretKey: secretKey)
    }

    /// The public key belonging to `secretKey` (`zmq_curve_public`).
    /// - Throws: `CurveKeyError` for a malformed key; `ZMQError` without CURVE support.
    public static func derivePublicKey(fromSecretKey secretKey: String) throws -> String {
        try validate(secretKey, role: "CURVE secret key")
        try ZMQ.requireCurve(for: "zmq_curve_public")
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secretKey) == 0 else {
            throw ZMQError.last("zmq_curve_public")
        }
        return String(decoding: publicKey.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Checks that `key` is 40 Z85 characters encoding 32 bytes.
    /// - Parameter role: names the key in the error, for example `"server public key"`.
    /// - Throws: `CurveKeyError`.
    public static func validate(_ key: String, role: String = "CURVE key") throws(CurveKeyError) {
        let characters = Array(key)
        guard characters.count == 40 else {
            throw .wrongLength(role: role, length: characters.count)
        }
        for (offset, character) in characters.enumerated() {
            guard let ascii = character.asciiValue, z85Alphabet.contains(ascii) else {
                throw .invalidCharacter(role: role, character: character, offset: offset)
            }
        }
        var decoded = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&decoded, key) != nil else {
            throw .notDecodable(role: role)
        }
    }

    /// The 32 raw bytes of a valid Z85 key, or `nil` if `key` is not one.
    static func decode(_ key: String) -> [UInt8]? {
        guard (try? validate(key)) != nil else { return nil }
        var decoded = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&decoded, key) != nil else { return nil }
        return decoded
    }

    /// The Z85 text of a 32-byte key.
    static func encode(_ key: [UInt8]) -> String? {
        guard key.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&text, key, key.count) != nil else { return nil }
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String {
        "CurveKeyPair(publicKey: \(publicKey), secretKey: <redacted>)"
    }
}
