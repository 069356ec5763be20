extension Splitting {
    /// How ``coldItems(_:testFraction:seed:by:)`` chooses the items it holds out.
    public enum ColdItemOrder: String, Sendable, Hashable, Codable, CaseIterable {
        /// A seeded shuffle of the items with rows.
        case random
        /// The items that arrived last: latest first-row timestamp.
        case time
    }

    /// Cold-start items: `round(n × f)` of the n items with rows have *all* their rows in test;
    /// training holds none of them, so a model can only score them from what it knows without
    /// their interactions (their content). The returned split's ``Split/coldItems`` lists them.
    ///
    /// - `.random`: the cold items are the first `round(n × f)` of the items with rows (ascending
    ///   index) after a seeded shuffle, as ``coldUsers(_:testFraction:seed:eligible:)`` draws users.
    /// - `.time`: items are ordered by the timestamp of their first row (their earliest), ties by
    ///   item index; the last `round(n × f)` are cold: the articles published after the training
    ///   period, the movies that arrived last. The seed is not used. Without timestamps (all 0)
    ///   this is the highest item indices.
    ///
    /// Test rows of users who have no training row left (every row of theirs was on a cold item)
    /// stay in test: they are part of the cold-item workload, but only an item-side signal
    /// (popularity, which is 0 for every cold item, or content with no profile) can score them.
    /// - Throws: ``DataError`` when `testFraction` is outside (0, 1), or when `round(n × f)` is 0
    ///   (nothing to evaluate) or n (nothing to train on).
    /// - Complexity: O(rows + items log items).
    public static func coldItems(
        _ interactions: Interactions, testFraction: Double, seed: UInt64, by order: ColdItemOrder = .random
    ) throws(DataError) -> Split {
        try check(testFraction)
        let itemCount = Int(interactions.items.max() ?? -1) + 1
        var hasRows = [Bool](repeating: false, count: itemCount)
        var firstTime = [Int64](repeating: .max, count: itemCount)
        for (item, time) in zip(interactions.items, interactions.timestamps) {
            hasRows[Int(item)] = true
            firstTime[Int(item)] = min(firstTime[Int(item)], time)
        }
        var candidates = (0..<itemCount).filter { hasRows[$0] }
        let coldCount = Int((Double(candidates.count) * testFraction).rounded())
        guard coldCount > 0 && coldCount < candidates.count else {
            throw DataError(
                .invalidArgument, file: "<split>", fieldName: "test fraction",
                message:
                    "cold-items holds out round(\(candidates.count) items × \(testFraction)) = \(coldCount) items; "
                    + "it needs at least 1 cold item and 1 item left for training")
        }
        let cold: [Int]
        let name: String
        switch order {
        case .random:
            var generator = SeededGenerator(seed: seed)
            generator.shuffle(&candidates)
            cold = Array(candidates.prefix(coldCount))
            name = "cold-items-\(testFraction)-seed\(seed)"
        case .time:
            candidates.sort { (firstTime[$0], $0) < (firstTime[$1], $1) }
            cold = Array(candidates.suffix(coldCount))
            name = "cold-items-time-\(testFraction)"
        }
        var isCold = [Bool](repeating: false, count: itemCount)
        for item in cold { isCold[item] = true }
        var split = make(name, interactions, interactions.items.map { isCold[Int($0)] })
        split.coldItems = cold.sorted().map { Int32($0) }
        return split
    }
}
