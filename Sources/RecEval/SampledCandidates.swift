public import RecData

/// The candidate lists of the sampled-negative protocol (``SampledRankingEvaluator``): for each
/// evaluated test row (u, i), the positive i and N negatives drawn for u. Built once from the
/// split and a seed, never from a model, so every model evaluated against the same value ranks
/// exactly the same candidates.
///
/// - **Test rows**: distinct (u, i) pairs of `split.test` with value ≥ `relevanceThreshold` (every
///   row when it is nil), in ascending (user, item) order. A pair repeated in test counts once; a
///   pair whose item u also has in `split.train` is skipped (the item is not held out); both counted.
/// - **Negatives** of a row: drawn uniformly **without replacement** from the pool P (every item,
///   the items with a training row, or a stated list: `negativePool`) minus every item u has in
///   any split (train or test, any value), so never the test item, never another of u's test items
///   and never an item u interacted with. With E_u = |P \ interacted(u)| eligible items a row gets
///   min(N, E_u) negatives: a row with E_u < N gets all of them and is counted as short, a row with
///   E_u = 0 is skipped and counted. Negatives are stored in ascending item order.
/// - **Randomness**: one ``RecData/SeededGenerator`` per user, seeded from (seed, user), drawing the
///   user's rows in item order. The draws depend only on the seed, N, the pool and the user's own
///   rows: adding or removing other users does not change them. A draw is either rejection sampling
///   (when at least half the pool is eligible and E_u ≥ 2 min(N, E_u)) or a partial Fisher–Yates
///   shuffle of the eligible list; both give every min(N, E_u)-subset the same probability.
///
/// This is UniCDR's variant of the protocol (distinct negatives, never the positive), with the
/// exclusion extended to the user's test items; DisenCDR draws with replacement and may draw the
/// positive itself (see `notes/cdr-published-numbers.md`).
///
/// Usage: see ``SampledRankingEvaluator``.
/// - Complexity: O(train + test + items) to set up; per user O(|interacted(u)|) plus, per row,
///   O(N) expected draws with rejection sampling or O(|P|) with the shuffle, and O(N log N) to sort.
///   Memory O(items + rows × N).
public struct SampledCandidates: Sendable, Equatable {
    /// Where each test row went: `testRows = rowsEvaluated + rowsBelowThreshold + repeatedRows +
    /// rowsInTraining + rowsWithoutNegatives`.
    public struct Counts: Sendable, Equatable, Codable {
        /// Rows of `split.test`.
        public var testRows = 0
        /// Rows with a candidate list.
        public var rowsEvaluated = 0
        /// Skipped: value below the relevance threshold (still excluded from the user's negatives).
        public var rowsBelowThreshold = 0
        /// Skipped: repeats an earlier (user, item) test row.
        public var repeatedRows = 0
        /// Skipped: the user also has the item in training.
        public var rowsInTraining = 0
        /// Skipped: the user has interacted with every item of the pool; nothing to rank against.
        public var rowsWithoutNegatives = 0
        /// Evaluated rows with fewer than N negatives (all eligible items used).
        public var rowsShortOfNegatives = 0
        /// Σ (N − negatives) over the short rows.
        public var missingNegatives = 0

        public init() {}
    }

    public let splitName: String
    /// N, the negatives asked for per row.
    public let negativeCount: Int
    public let seed: UInt64
    /// Test rows with a value at or above it are positives; nil: every test row.
    public let relevanceThreshold: Float?
    /// P, the items negatives are drawn from (before removing the user's own).
    public let negativePool: TopKEvaluator.CandidatePolicy
    public let userCount: Int
    public let itemCount: Int
    /// User of each evaluated row, ascending (a user's rows are consecutive).
    public let rowUsers: [Int32]
    /// The held-out (positive) item of each row, ascending within a user.
    public let positiveItems: [Int32]
    /// Row r's negatives are `negativeItems[negativeStarts[r]..<negativeStarts[r + 1]]`.
    public let negativeStarts: [Int]
    /// Every row's negatives, concatenated; ascending within a row.
    public let negativeItems: [Int32]
    public let counts: Counts

    /// Samples the negatives of every test row of `split` (see the type's documentation).
    ///
    /// - Parameters:
    ///   - split: training rows (exclusions, `.itemsSeenInTraining` pool) and test rows (positives, exclusions).
    ///   - userCount, itemCount: the index spaces; every index in `split` must be below them.
    ///   - negatives: N per row (999 in DisenCDR and UniCDR).
    ///   - seed: the draw; the same seed and data give the same candidates.
    /// - Throws: ``EvaluationError`` when N < 1 or the threshold is not finite.
    public init(
        _ split: Split, userCount: Int, itemCount: Int, negatives: Int = 999, seed: UInt64,
        relevanceThreshold: Float? = nil, negativePool: TopKEvaluator.CandidatePolicy = .allItems
    ) throws(EvaluationError) {
        guard negatives >= 1 else {
            throw EvaluationError("sampled ranking", "'negatives' must be a positive integer, got \(negatives)")
        }
        if let relevanceThreshold, !relevanceThreshold.isFinite {
            throw EvaluationError(
                "sampled ranking", "'relevance threshold' must be a finite number, got \(relevanceThreshold)")
        }
        for item in split.train.items + split.test.items {
            precondition(item >= 0 && Int(item) < itemCount, "item \(item) out of 0..<\(itemCount) in \(split.name)")
        }
        let train = SparseMatrix(split.train, userCount: userCount, itemCount: itemCount)
        let test = SparseMatrix(split.test, userCount: userCount, itemCount: itemCount)

        var inPool = [Bool](repeating: false, count: itemCount)
        switch negativePool {
        case .allItems:
            inPool = [Bool](repeating: true, count: itemCount)
        case .itemsSeenInTraining:
            for item in split.train.items { inPool[Int(item)] = true }
        case .stated(let items):
            for item in items {
                precondition(item >= 0 && Int(item) < itemCount, "stated pool item \(item) out of 0..<\(itemCount)")
                inPool[Int(item)] = true
            }
        }
        let pool = (0..<itemCount).filter { inPool[$0] }.map(Int32.init)

        var counts = Counts()
        counts.testRows = split.test.count
        var rowUsers: [Int32] = [], positiveItems: [Int32] = []
        var negativeStarts = [0], negativeItems: [Int32] = []
        // Stamps instead of clearing per user and per row: blocked[i] == user + 1 marks u's
        // interacted items, chosen[i] == row + 1 the negatives drawn for the current row.
        var blocked = [Int](repeating: 0, count: itemCount)
        var chosen = [Int](repeating: 0, count: itemCount)
        var eligibleList: [Int32] = []
        var drawn: [Int32] = []
        var rowStamp = 0

        for userIndex in 0..<userCount where test.rowLength(userIndex) > 0 {
            let userStamp = userIndex + 1
            var interactedInPool = 0
            func block(_ matrix: SparseMatrix) {
                for slot in matrix.rowRange(userIndex) {
                    let item = Int(matrix.columns[slot])
                    if blocked[item] != userStamp {
                        blocked[item] = userStamp
                        if inPool[item] { interactedInPool += 1 }
                    }
                }
            }
            block(train)
            block(test)
            let eligible = pool.count - interactedInPool
            var generator = Self.generator(seed: seed, user: userIndex)
            var previous: Int32 = -1
            for slot in test.rowRange(userIndex) {
                let item = test.columns[slot]
                if let relevanceThreshold, test.values[slot] < relevanceThreshold {
                    counts.rowsBelowThreshold += 1
                    continue
                }
                if item == previous {
                    counts.repeatedRows += 1
                    continue
                }
                previous = item
                if train.contains(row: userIndex, column: item) {
                    counts.rowsInTraining += 1
                    continue
                }
                let take = min(negatives, eligible)
                guard take > 0 else {
                    counts.rowsWithoutNegatives += 1
                    continue
                }
                rowStamp += 1
                drawn.removeAll(keepingCapacity: true)
                if eligible >= 2 * take && 2 * eligible >= pool.count {
                    // Rejection sampling: each accepted draw is uniform over the eligible items not
                    // drawn yet. Blocked items are at most half the pool and drawn ones at most half
                    // the eligible, so a draw is accepted with probability ≥ 1/4: O(take) expected.
                    while drawn.count < take {
                        let candidate = pool[generator.next(below: pool.count)]
                        let index = Int(candidate)
                        guard blocked[index] != userStamp, chosen[index] != rowStamp else { continue }
                        chosen[index] = rowStamp
                        drawn.append(candidate)
                    }
                } else {
                    // Partial Fisher–Yates over the eligible items.
                    eligibleList.removeAll(keepingCapacity: true)
                    for candidate in pool where blocked[Int(candidate)] != userStamp { eligibleList.append(candidate) }
                    for position in 0..<take {
                        let other = position + generator.next(below: eligibleList.count - position)
                        eligibleList.swapAt(position, other)
                    }
                    drawn.append(contentsOf: eligibleList[0..<take])
                }
                drawn.sort()
                if take < negatives {
                    counts.rowsShortOfNegatives += 1
                    counts.missingNegatives += negatives - take
                }
                rowUsers.append(Int32(userIndex))
                positiveItems.append(item)
                negativeItems.append(contentsOf: drawn)
                negativeStarts.append(negativeItems.count)
                counts.rowsEvaluated += 1
            }
        }

        self.splitName = split.name
        self.negativeCount = negatives
        self.seed = seed
        self.relevanceThreshold = relevanceThreshold
        self.negativePool = negativePool
        self.userCount = userCount
        self.itemCount = itemCount
        self.rowUsers = rowUsers
        self.positiveItems = positiveItems
        self.negativeStarts = negativeStarts
        self.negativeItems = negativeItems
        self.counts = counts
    }

    /// Evaluated rows.
    public var rowCount: Int { rowUsers.count }

    /// The negatives of row `row`, ascending.
    public func negatives(ofRow row: Int) -> ArraySlice<Int32> {
        negativeItems[negativeStarts[row]..<negativeStarts[row + 1]]
    }

    /// The generator of `user`'s draws: SplitMix64 started at a hash of (seed, user), so users'
    /// streams are unrelated (seeding with seed + user would make user u + 1's stream user u's
    /// shifted by one draw).
    static func generator(seed: UInt64, user: Int) -> SeededGenerator {
        var mixer = SeededGenerator(seed: seed ^ (UInt64(user) &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }
}
