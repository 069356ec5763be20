internal import RecData

/// Scoring by item-to-item weights kept as sparse lists (item-kNN's neighbours, EASE with
/// `neighbors`): row j of the lists holds the items i that j points to and w(j → i), in
/// `starts[j]..<starts[j + 1]` of `targets` and `weights`.
enum ItemNeighborScoring {
    /// Whether `rows` (training rows by user) has a row for `user`: else the model falls back to
    /// ``PopularityFallback``.
    static func hasRows(_ rows: SparseMatrix, user: Int32) -> Bool {
        let u = Int(user)
        return u >= 0 && u < rows.rowCount && rows.rowLength(u) > 0
    }

    /// score(i) = Σ_(j∈I(u)) x_uj · w(j → i) for every item i < scores.count, with x_uj the rating
    /// (explicit) or 1, in the order of u's rows and then of j's list. O(items + Σ_(j∈I(u)) |list(j)|).
    static func scoreAll(
        rows: SparseMatrix, user: Int32, isExplicit: Bool, starts: [Int], targets: [Int32], weights: [Float],
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<scores.count { scores[i] = 0 }
        starts.withUnsafeBufferPointer { starts in
            targets.withUnsafeBufferPointer { targets in
                weights.withUnsafeBufferPointer { weights in
                    for k in rows.rowRange(Int(user)) {
                        let x = isExplicit ? rows.values[k] : 1
                        let j = Int(rows.columns[k])
                        for e in starts[j]..<starts[j + 1] where Int(targets[e]) < scores.count {
                            scores[Int(targets[e])] += x * weights[e]
                        }
                    }
                }
            }
        }
    }

    /// The MIND impression protocol: score(c) = Σ over the history's items h of w(h → c), each
    /// click counting 1. `history` must hold valid item indices. O(Σ |list(h)| + candidates).
    static func scoreCandidates(
        history: [Int32], candidates: ArraySlice<Int32>, starts: [Int], targets: [Int32], weights: [Float],
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        for k in 0..<candidates.count { scores[k] = 0 }
        var positions: [Int32: [Int]] = [:]
        for (k, item) in candidates.enumerated() { positions[item, default: []].append(k) }
        for h in history {
            for e in starts[Int(h)]..<starts[Int(h) + 1] {
                guard let slots = positions[targets[e]] else { continue }
                for k in slots { scores[k] += weights[e] }
            }
        }
    }
}
