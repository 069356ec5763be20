extension Splitting {
    /// Cold-user folds: the eligible users, in the order of one seeded shuffle, cut into folds of
    /// `round(n × f)` users (the last takes what is left). Fold 0 is the cold-users draw itself;
    /// folds 0…K−1 together make every eligible user cold exactly once, so a comparison pooled over
    /// them measures the same thing as one draw with about 1/f times the users.
    public struct ColdUserFolds: Sendable, Equatable {
        /// Eligible users in the seeded order.
        public var order: [Int]
        /// Users per fold: `round(n × f)`, at least 1.
        public var size: Int

        public var count: Int { order.isEmpty ? 0 : (order.count + size - 1) / size }

        public init(candidates: [Int], testFraction: Double, seed: UInt64) {
            var order = candidates
            var generator = SeededGenerator(seed: seed)
            generator.shuffle(&order)
            self.order = order
            size = max(1, Int((Double(order.count) * testFraction).rounded()))
        }

        /// The users of fold `fold` (0-based), or an error naming how many folds there are.
        public func users(_ fold: Int) throws(DataError) -> ArraySlice<Int> {
            guard fold >= 0 && fold < max(count, 1) else {
                throw DataError(
                    .invalidArgument, file: "<split>", fieldName: "fold",
                    message: "cold-users fold \(fold) does not exist: \(order.count) eligible users in folds of \(size) make "
                        + "\(count) fold(s), numbered 0…\(max(count - 1, 0))")
            }
            return order[min(fold * size, order.count)..<min((fold + 1) * size, order.count)]
        }

        /// A mask of the cold users of `fold` over `userCount` users.
        func mask(_ fold: Int, userCount: Int) throws(DataError) -> [Bool] {
            var cold = [Bool](repeating: false, count: userCount)
            for user in try users(fold) { cold[user] = true }
            return cold
        }
    }

    /// The split's name: the draw's, with `-foldK` after it for K ≥ 1 (fold 0 keeps the draw's name).
    static func coldUsersName(_ base: String, fold: Int) -> String { fold == 0 ? base : "\(base)-fold\(fold)" }
}
