/// The coordinator's global lease counter: every lease it ever grants gets the next epoch.
///
/// Epochs only grow, across coordinator restarts too (the store keeps the last one issued), so a
/// result carrying an epoch that is not the trial's current lease is provably stale.
public struct LeaseEpoch: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public init(integerLiteral value: UInt64) { rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The epoch after this one. Saturates at `UInt64.max` (unreachable in practice).
    public var next: LeaseEpoch { LeaseEpoch(rawValue == .max ? .max : rawValue + 1) }

    public var description: String { "e\(rawValue)" }

    public static func < (lhs: LeaseEpoch, rhs: LeaseEpoch) -> Bool { lhs.rawValue < rhs.rawValue }
}
