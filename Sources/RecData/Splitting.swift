/// Train/test splits of one ``Interactions`` table. Every split is deterministic: seeded
/// splits use ``SeededGenerator``, ties in time keep file order.
///
/// Each returns a ``Split`` over the same index space; rows keep their file order within
/// train and within test.
public enum Splitting {
    /// Each row goes to test with probability `testFraction` (exactly `round(n × f)` rows, chosen
    /// by a seeded shuffle).
    public static func randomHoldout(_ interactions: Interactions, testFraction: Double, seed: UInt64) throws(DataError) -> Split {
        try check(testFraction)
        var order = Array(0..<interactions.count)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        let testCount = Int((Double(interactions.count) * testFraction).rounded())
        var isTest = [Bool](repeating: false, count: interactions.count)
        for row in order.prefix(testCount) { isTest[row] = true }
        return make("random-\(testFraction)-seed\(seed)", interactions, isTest)
    }

    /// Per user: `round(n_u × f)` of the user's rows go to test, at least `minimumTrain` stay in
    /// training (users with fewer rows stay wholly in training).
    public static func perUserHoldout(
        _ interactions: Interactions, testFraction: Double, seed: UInt64, minimumTrain: Int = 1
    ) throws(DataError) -> Split {
        try check(testFraction)
        var generator = SeededGenerator(seed: seed)
        var isTest = [Bool](repeating: false, count: interactions.count)
        for rows in rowsByUser(interactions) {
            var shuffled = rows
            generator.shuffle(&shuffled)
            let wanted = Int((Double(rows.count) * testFraction).rounded())
            let testCount = min(wanted, max(0, rows.count - minimumTrain))
            for row in shuffled.prefix(testCount) { isTest[row] = true }
        }
        return make("per-user-\(testFraction)-seed\(seed)", interactions, isTest)
    }

    /// Cold-start users: `round(n × f)` of the n eligible users (those with rows, and with
    /// `eligible[u]` true when a mask is given), drawn by a seeded shuffle, have *all* their rows in
    /// test; every other user keeps all theirs in training. A model then meets those users with no
    /// history in this domain: only what it knows from elsewhere (another domain) can help.
    /// `fold` k ≥ 1 takes the next users of the same shuffle instead (``ColdUserFolds``); the
    /// split's `coldUserFolds` says how many there are.
    public static func coldUsers(
        _ interactions: Interactions, testFraction: Double, seed: UInt64, eligible: [Bool]? = nil, fold: Int = 0
    ) throws(DataError) -> Split {
        try check(testFraction)
        let groups = rowsByUser(interactions)
        let candidates = groups.indices.filter { user in
            !groups[user].isEmpty && (eligible.map { user < $0.count && $0[user] } ?? true)
        }
        let folds = ColdUserFolds(candidates: candidates, testFraction: testFraction, seed: seed)
        var isTest = [Bool](repeating: false, count: interactions.count)
        for user in try folds.users(fold) { for row in groups[user] { isTest[row] = true } }
        var split = make(coldUsersName("cold-users-\(testFraction)-seed\(seed)", fold: fold), interactions, isTest)
        split.coldUserFolds = folds.count
        return split
    }

    /// Per user: the latest `count` rows by timestamp go to test (file order breaks ties: a later
    /// row is later). Users with `count` rows or fewer stay wholly in training.
    public static func leaveLastOut(_ interactions: Interactions, count: Int = 1) throws(DataError) -> Split {
        guard count >= 1 else {
            throw DataError(.invalidArgument, file: "<split>", fieldName: "count", message: "leave-last-out needs count ≥ 1, got \(count)")
        }
        var isTest = [Bool](repeating: false, count: interactions.count)
        for rows in rowsByUser(interactions) where rows.count > count {
            let ordered = rows.sorted { (interactions.timestamps[$0], $0) < (interactions.timestamps[$1], $1) }
            for row in ordered.suffix(count) { isTest[row] = true }
        }
        return make("leave-last-\(count)", interactions, isTest)
    }

    /// Global temporal split: rows at or after `cutoff` (Unix seconds) go to test.
    public static func temporal(_ interactions: Interactions, cutoff: Int64) -> Split {
        let isTest = interactions.timestamps.map { $0 >= cutoff }
        return make("temporal-\(cutoff)", interactions, isTest)
    }

    /// Global temporal split at the time quantile that puts about `testFraction` of rows in test:
    /// the cutoff is the timestamp of the row at position `n × (1 − f)` in time order, so rows
    /// sharing that timestamp all go to test.
    public static func temporal(_ interactions: Interactions, testFraction: Double) throws(DataError) -> Split {
        try check(testFraction)
        guard !interactions.isEmpty else { return temporal(interactions, cutoff: 0) }
        let sorted = interactions.timestamps.sorted()
        let position = min(sorted.count - 1, Int((Double(sorted.count) * (1 - testFraction)).rounded()))
        var split = temporal(interactions, cutoff: sorted[position])
        split.name = "temporal-\(testFraction)"
        return split
    }

    // MARK: Helpers

    static func check(_ fraction: Double) throws(DataError) {
        guard fraction > 0 && fraction < 1 else {
            throw DataError(.invalidArgument, file: "<split>", fieldName: "test fraction", message: "must be in (0, 1), got \(fraction)")
        }
    }

    /// Row numbers grouped by user, users in index order, rows in file order.
    static func rowsByUser(_ interactions: Interactions) -> [[Int]] {
        let userCount = Int(interactions.users.max() ?? -1) + 1
        var groups = [[Int]](repeating: [], count: userCount)
        for (row, user) in interactions.users.enumerated() { groups[Int(user)].append(row) }
        return groups
    }

    static func make(_ name: String, _ interactions: Interactions, _ isTest: [Bool]) -> Split {
        let testCount = isTest.reduce(0) { $0 + ($1 ? 1 : 0) }
        var train = Interactions(), test = Interactions()
        train.reserveCapacity(interactions.count - testCount)
        test.reserveCapacity(testCount)
        for row in 0..<interactions.count {
            let (u, i, v, t) = (interactions.users[row], interactions.items[row], interactions.values[row], interactions.timestamps[row])
            if isTest[row] { test.append(user: u, item: i, value: v, timestamp: t) } else { train.append(user: u, item: i, value: v, timestamp: t) }
        }
        return Split(name: name, train: train, test: test)
    }
}
