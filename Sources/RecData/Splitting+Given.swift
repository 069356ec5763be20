extension Splitting {
    /// The published split as it is: `train` and `test` (a data-set description's `path:` and
    /// `test:` files), nothing moved.
    public static func given(train: Interactions, test: Interactions) -> Split {
        Split(name: "files", train: train, test: test)
    }

    /// Cold users on top of a published split: `testFraction` of the users with rows in either
    /// file (among `eligible`, when given) become cold, and all their rows, from both files, are
    /// evaluated; the other users keep their training rows, and their test rows are left out
    /// (never trained on, not evaluated here), so no row of the published test set is ever
    /// trained on. `fold` as for ``coldUsers(_:testFraction:seed:eligible:fold:)``.
    public static func coldUsers(
        train: Interactions, givenTest: Interactions, testFraction: Double, seed: UInt64, eligible: [Bool]? = nil,
        fold: Int = 0
    ) throws(DataError) -> Split {
        try check(testFraction)
        let userCount = Int(max(train.users.max() ?? -1, givenTest.users.max() ?? -1)) + 1
        var hasRows = [Bool](repeating: false, count: userCount)
        for user in train.users { hasRows[Int(user)] = true }
        for user in givenTest.users { hasRows[Int(user)] = true }
        let candidates = (0..<userCount).filter { user in
            hasRows[user] && (eligible.map { user < $0.count && $0[user] } ?? true)
        }
        let folds = ColdUserFolds(candidates: candidates, testFraction: testFraction, seed: seed)
        let cold = try folds.mask(fold, userCount: userCount)
        var kept = Interactions(), evaluated = Interactions()
        for row in 0..<train.count {
            let (u, i, v, t) = (train.users[row], train.items[row], train.values[row], train.timestamps[row])
            if cold[Int(u)] {
                evaluated.append(user: u, item: i, value: v, timestamp: t)
            } else {
                kept.append(user: u, item: i, value: v, timestamp: t)
            }
        }
        for row in 0..<givenTest.count where cold[Int(givenTest.users[row])] {
            evaluated.append(
                user: givenTest.users[row], item: givenTest.items[row], value: givenTest.values[row],
                timestamp: givenTest.timestamps[row])
        }
        var split = Split(
            name: coldUsersName("files+cold-users-\(testFraction)-seed\(seed)", fold: fold), train: kept, test: evaluated)
        split.coldUserFolds = folds.count
        return split
    }
}
