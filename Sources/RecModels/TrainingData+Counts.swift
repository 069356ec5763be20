extension TrainingData {
    /// Training rows per item (repeated rows counted), as scores: the popularity ranking and the
    /// fallback ranking for users a model knows nothing about.
    /// - Complexity: O(nnz + items).
    func itemRowCounts() -> [Float] {
        var counts = [Float](repeating: 0, count: itemCount)
        for item in 0..<itemCount { counts[item] = Float(byItem.rowLength(item)) }
        return counts
    }

    /// Per user: whether it has at least one training row.
    func usersWithRows() -> [Bool] { (0..<userCount).map { byUser.rowLength($0) > 0 } }

    /// Per user: whether any of ``otherDomains`` has a row of theirs (users outside `userCount`
    /// ignored): the users a cross-domain model can serve without evaluated-domain rows.
    func usersWithOtherDomainRows() -> [Bool] {
        var known = [Bool](repeating: false, count: userCount)
        for other in otherDomains {
            for user in other.interactions.users where user >= 0 && Int(user) < userCount { known[Int(user)] = true }
        }
        return known
    }

    /// The smallest and largest training value (0...0 when there are no rows).
    func valueRange() -> ClosedRange<Float> {
        guard let lower = interactions.values.min(), let upper = interactions.values.max() else { return 0...0 }
        return lower...upper
    }
}
