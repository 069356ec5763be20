/// Whether a smaller or a larger value of a metric is better.
public enum MetricDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Smaller is better (`rmse`, `mae`).
    case minimize
    /// Larger is better (`ndcg@10`, `auc`, `recall@20`).
    case maximize

    /// True when `lhs` is strictly better than `rhs` in this direction.
    public func isBetter(_ lhs: Double, than rhs: Double) -> Bool {
        switch self {
        case .minimize: return lhs < rhs
        case .maximize: return lhs > rhs
        }
    }
}
