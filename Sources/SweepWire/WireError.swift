/// Why a frame could not be decoded (or a message could not be encoded). Every hostile input —
/// random bytes, truncated frames, another framing version, oversized or out-of-range fields —
/// ends here; decoding never traps.
///
/// `description` names the message and field and says what was expected, e.g.
/// `'heartbeat' field 'slots': must be in 0…1024, got -3`.
public enum WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer bytes than the two-byte header (framing version, message type).
    case truncatedFrame(byteCount: Int)
    case frameTooLarge(byteCount: Int, limit: Int)
    /// The first byte names a framing version this build does not speak.
    case unsupportedFrameVersion(UInt8, supported: UInt8)
    /// The type byte names no message at all.
    case unknownMessageType(tag: UInt8)
    /// A valid message type for the other direction (a coordinator message sent to the coordinator).
    case wrongDirection(message: String, expected: String)
    /// The payload does not have the fields the message type needs (truncated, trailing bytes,
    /// invalid UTF-8, a bad type byte…); `detail` names the field.
    case malformedPayload(message: String, detail: String)
    case fieldTooLarge(message: String, field: String, size: Int, limit: Int)
    case invalidField(message: String, field: String, detail: String)
    /// Encoding failed (a programmer error surfaced as a value: the message breaks the limits).
    case unencodable(message: String, detail: String)

    public var description: String {
        switch self {
        case .truncatedFrame(let count):
            return "truncated frame: \(count) byte(s), a frame needs at least 2 (framing version, message type)"
        case .frameTooLarge(let count, let limit):
            return "frame of \(count) bytes exceeds the limit of \(limit) bytes"
        case .unsupportedFrameVersion(let version, let supported):
            return "unsupported framing version \(version) (this build speaks version \(supported)); "
                + "upgrade the older side"
        case .unknownMessageType(let tag):
            return "unknown message type 0x\(String(tag, radix: 16))"
        case .wrongDirection(let message, let expected):
            return "'\(message)' is not a \(expected) message"
        case .malformedPayload(let message, let detail):
            return "'\(message)' payload is malformed: \(detail)"
        case .fieldTooLarge(let message, let field, let size, let limit):
            return "'\(message)' field '\(field)': \(size) exceeds the limit of \(limit)"
        case .invalidField(let message, let field, let detail):
            return "'\(message)' field '\(field)': \(detail)"
        case .unencodable(let message, let detail):
            return "cannot encode '\(message)': \(detail)"
        }
    }
}
