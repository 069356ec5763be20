/// How many user clusters `crossrec analyze --clusters` looks for: a fixed k, or `auto` (the k of
/// a range with the best silhouette).
public enum ClusterCount: Sendable, Hashable, CustomStringConvertible {
    case fixed(Int)
    case auto(ClosedRange<Int>)

    /// The range `auto` searches: 2…10 (capped by the number of users clustered).
    public static let autoRange = 2...10

    /// `K` (an integer ≥ 1) or `auto`.
    /// - Throws: ``EvaluationError`` naming what is accepted.
    public init(parsing text: String) throws(EvaluationError) {
        if text.lowercased() == "auto" {
            self = .auto(Self.autoRange)
        } else if let k = Int(text), k >= 1, k <= 100 {
            self = .fixed(k)
        } else {
            throw EvaluationError("clusters", "expected a number of clusters 1…100 or 'auto', got '\(text)'")
        }
    }

    public var description: String {
        switch self {
        case .fixed(let k): "\(k)"
        case .auto: "auto"
        }
    }
}
