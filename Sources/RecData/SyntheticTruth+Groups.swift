extension SyntheticTruth {
    /// Each user's planted group by the data set's user index (`users`, the ids a linked folder
    /// loads: the MovieLens id when the user has one, else the MIND id); nil for users the truth
    /// does not place in a group. Empty when the data has no planted groups.
    /// - Complexity: O(truth users + users).
    public func plantedGroups(in users: IDMap) -> [Int?] {
        guard groupPrototypes != nil else { return [] }
        var groups = [Int?](repeating: nil, count: users.count)
        for (id, group) in plantedGroupsByID {
            guard let index = users.index(of: id) else { continue }
            groups[Int(index)] = group
        }
        return groups
    }

    /// Each grouped user's planted group by the id a linked folder loads (the MovieLens id when
    /// the user has one, else the MIND id); empty when the data has no planted groups.
    public var plantedGroupsByID: [String: Int] {
        Dictionary(
            users.compactMap { user in (user.movielensUser ?? user.mindUser).flatMap { id in user.group.map { (id, $0) } } },
            uniquingKeysWith: { first, _ in first })
    }
}
