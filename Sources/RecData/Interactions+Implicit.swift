extension Interactions {
    /// Explicit ratings as implicit positives: each row with value ≥ `threshold` (every row when
    /// nil) is kept with value 1, the others are dropped. Order, users, items and times are kept.
    ///
    /// What `--implicit` / `implicit:` applies, and the rule crossrec-bench's implicit protocol
    /// uses on MovieLens (nil on the training rows: a rating means the user saw the movie).
    /// - Complexity: O(rows).
    public func binarized(atLeast threshold: Float?) -> Interactions {
        var kept = Interactions()
        for row in 0..<count where threshold.map({ values[row] >= $0 }) ?? true {
            kept.append(user: users[row], item: items[row], value: 1, timestamp: timestamps[row])
        }
        return kept
    }
}

extension Dataset {
    /// Every explicit domain's ratings as positives (``Interactions/binarized(atLeast:)``), for
    /// commands that read a whole data set (`--implicit` on `data inspect`, `analyze`, …); domains
    /// of implicit events are left as they are. A note in the report says what was done.
    public mutating func binarizeRatings(atLeast threshold: Float?) {
        var changed: [String] = []
        for d in domains.indices where domains[d].isExplicit {
            domains[d].interactions = domains[d].interactions.binarized(atLeast: threshold)
            domains[d].isExplicit = false
            changed.append(domains[d].name)
        }
        guard !changed.isEmpty else { return }
        report.notes.append(
            "ratings of \(changed.joined(separator: ", ")) read as positives: "
                + (threshold.map { "ratings ≥ \($0) kept as 1, the others dropped" } ?? "every rating kept as 1"))
    }
}
