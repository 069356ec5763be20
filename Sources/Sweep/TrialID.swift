import Crypto
import Foundation

/// A trial's identity: a stable hash of its resolved configuration, seed and data set
/// fingerprint. The same trial has the same id in every sweep, process and machine, so a
/// configuration is never run twice and a re-run of a sweep file skips finished trials.
///
/// Canonical form hashed (SHA-256, first 16 bytes as hex):
/// `crossrec-trial-v1\nmodel=<m>\n<name>=<type>:<value>\n…(sorted by name)\nseed=<s>\ndata=<fingerprint>\n`.
/// Doubles use their exact bit pattern in hex so `0.1` and `0.1000000001` never collide.
public struct TrialID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(config: TrialConfig, datasetFingerprint: String) {
        var canonical = "crossrec-trial-v1\nmodel=\(config.model)\n"
        for name in config.parameters.keys.sorted() {
            let value = config.parameters[name]!
            let text: String
            switch value {
            case .double(let double): text = String(double.bitPattern, radix: 16)
            default: text = value.description
            }
            canonical += "\(name)=\(value.typeName):\(text)\n"
        }
        canonical += "seed=\(config.seed)\ndata=\(datasetFingerprint)\n"
        let digest = SHA256.hash(data: Data(canonical.utf8))
        // Hex by table: `String(format:)` per byte cost more than the hash itself.
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for byte in digest.prefix(16) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        rawValue = String(decoding: hex, as: UTF8.self)
    }

    public var description: String { rawValue }

    public static func < (lhs: TrialID, rhs: TrialID) -> Bool { lhs.rawValue < rhs.rawValue }
}
