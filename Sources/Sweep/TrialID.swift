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
        rawValue = Fingerprint.sha256Hex(canonical)
    }

    public var description: String { rawValue }

    public static func < (lhs: TrialID, rhs: TrialID) -> Bool { lhs.rawValue < rhs.rawValue }
}
