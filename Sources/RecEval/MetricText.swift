import Foundation
import RecData

/// How metric names are ordered and their values written for people: rating errors first, then the
/// ranking metrics by family with their cut-offs in numeric order (`ndcg@5`, `ndcg@10`, `ndcg@20`,
/// not the string order `@10, @20, @5`), then MIND and sampled-negative metrics, the figures a model
/// reports of its own fit, and counts last, written as integers (`users_evaluated 456`).
public enum MetricText {
    /// `names` in reading order (see the type's comment); ties by name.
    public static func sorted(_ names: some Sequence<String>) -> [String] {
        names.map { (key: sortKey($0), name: $0) }.sorted { $0.key < $1.key }.map(\.name)
    }

    /// True for figures that count things (users, rows, impressions, terms, dimensions).
    public static func isCount(_ name: String) -> Bool { MetricNames.isCount(name) }

    /// The value as text: counts as integers when they are whole, everything else with four
    /// decimals; `nan`, `inf` and `-inf` as such.
    public static func value(_ value: Double, of name: String) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if isCount(name), value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4f", value)
    }

    private struct SortKey: Comparable {
        var group: Int
        var family: String
        var cutoff: Int
        var name: String

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            (lhs.group, lhs.family, lhs.cutoff, lhs.name) < (rhs.group, rhs.family, rhs.cutoff, rhs.name)
        }
    }

    private static func sortKey(_ name: String) -> SortKey {
        var family = name
        var cutoff = 0
        if let at = name.lastIndex(of: "@"), let k = Int(name[name.index(after: at)...]) {
            family = String(name[..<at])
            cutoff = k
        }
        let group: Int
        if isCount(name) {
            group = 6
        } else if ["rmse", "mae"].contains(name) {
            group = 0
        } else if name.hasPrefix("mind_") {
            group = 2
        } else if name.hasPrefix("sampled_") {
            group = 3
        } else if name.hasPrefix("validation") {
            group = 4
        } else if cutoff > 0 || ["mrr", "auc"].contains(name) {
            group = 1
        } else {
            group = 5
        }
        return SortKey(group: group, family: family, cutoff: cutoff, name: name)
    }
}
