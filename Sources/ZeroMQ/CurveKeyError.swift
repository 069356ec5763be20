/// A CURVE key that cannot be used, with what is wrong and how to fix it.
public enum CurveKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key is not 40 characters long.
    case wrongLength(role: String, length: Int)
    /// The key has a character outside the Z85 alphabet, at a 0-based offset.
    case invalidCharacter(role: String, character: Character, offset: Int)
    /// The key has only Z85 characters but does not decode to 32 bytes (a 5-character group exceeds 2³²−1).
    case notDecodable(role: String)
    /// The public key is not the one derived from the secret key.
    case mismatchedKeyPair

    public var description: String {
        switch self {
        case .wrongLength(let role, let length):
            "\(role) must be 40 Z85 characters (a 32-byte CURVE key, as made by `CurveKeyPair.generate()`), "
                + "got \(length) characters"
        case .invalidCharacter(let role, let character, let offset):
            "\(role) has '\(character)' at offset \(offset), which is not a Z85 character "
                + "(allowed: 0-9 a-z A-Z . - : + = ^ ! / * ? & < > ( ) [ ] { } @ % $ #)"
        case .notDecodable(let role):
            "\(role) is not a valid Z85 encoding of 32 bytes (a 5-character group is larger than 2^32-1)"
        case .mismatchedKeyPair:
            "the public key does not belong to the secret key (zmq_curve_public derives a different one); "
                + "check that both come from the same key pair"
        }
    }
}
