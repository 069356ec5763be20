extension SyntheticTruth {
    /// Each user's planted group by the data set's user index (`users`, the ids a linked folder
    /// loads: the MovieLens id when the user has one, else the MIND id); nil for users the truth
    /// does not place in a group. Empty when the data has no planted groups.
    /// - Complexity: O(truth users + users).
    public func plantedGroups(in users: IDMap) -> [Int?] {
        guard groupPrototypes != nil else { return [] }
        var groups = [Int?](repeating: nil, count: users.count)
        for user in self.users {
            guard let group = user.group, let id = user.movielensUser ?? user.mindUser, let index = users.index(of: id) else {
                continue
            }
            groups[Int(index)] = group
        }
        return groups
    }
}
