/// One transport connection to the coordinator: the ZeroMQ routing id of the peer's pipe.
///
/// It names a connection, not a worker: a worker that reconnects gets a new one, and a worker's
/// name (`WorkerID`, from its `hello`) is bound to exactly one live connection at a time. The
/// shell writes routing ids as lowercase hex, so a hostile or random id prints readably in logs;
/// tests may use any string.
public struct ConnectionID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { rawValue = value }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The connection whose routing id is `bytes`, written as hex.
    public init(routingID bytes: some Collection<UInt8>) {
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * bytes.count)
        for byte in bytes {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        rawValue = String(decoding: hex, as: UTF8.self)
    }

    /// The routing id bytes of a connection made by `init(routingID:)`; nil if `rawValue` is not
    /// an even number of hex digits.
    public var routingID: [UInt8]? {
        let digits = Array(rawValue.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    public var description: String { rawValue }

    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.rawValue < rhs.rawValue }
}
