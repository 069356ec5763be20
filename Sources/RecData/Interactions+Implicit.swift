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
