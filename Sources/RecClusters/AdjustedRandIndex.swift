/// The adjusted Rand index of two partitions of the same points (Hubert and Arabie 1985).
///
/// With the contingency table n_ij (points in cluster i of `a` and j of `b`), row sums a_i,
/// column sums b_j and N points:
///   ARI = (Σ C(n_ij, 2) − E) / (½(Σ C(a_i, 2) + Σ C(b_j, 2)) − E),  E = Σ C(a_i, 2) Σ C(b_j, 2) / C(N, 2).
/// 1 for identical partitions (up to relabelling), about 0 for independent ones, negative below
/// chance. When the denominator is 0 (both partitions one cluster, or both all singletons) it is 1,
/// as in scikit-learn. Labels are any integers.
/// - Complexity: O(N + table cells) time and memory.
public enum AdjustedRandIndex {
    /// - Precondition: `a.count == b.count`.
    public static func score(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "adjusted Rand index of \(a.count) and \(b.count) labels")
        let n = a.count
        guard n >= 2 else { return 1 }
        var table: [Pair: Int] = [:]
        var rows: [Int: Int] = [:], columns: [Int: Int] = [:]
        for k in 0..<n {
            table[Pair(a: a[k], b: b[k]), default: 0] += 1
            rows[a[k], default: 0] += 1
            columns[b[k], default: 0] += 1
        }
        func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
        let index = table.values.reduce(0) { $0 + pairs($1) }
        let rowPairs = rows.values.reduce(0) { $0 + pairs($1) }
        let columnPairs = columns.values.reduce(0) { $0 + pairs($1) }
        let expected = rowPairs * columnPairs / pairs(n)
        let maximum = (rowPairs + columnPairs) / 2
        guard maximum != expected else { return 1 }
        return (index - expected) / (maximum - expected)
    }

    struct Pair: Hashable {
        var a: Int
        var b: Int
    }
}
