/// A sweep's row id in one store (`sweeps.id`). Local to the store file: the sweep's name is
/// what identifies it across stores.
public struct SweepID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }

    public static func < (lhs: SweepID, rhs: SweepID) -> Bool { lhs.rawValue < rhs.rawValue }
}
