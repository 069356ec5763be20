public import RecData

/// Top-K protocol: ranks every candidate item for each test user and scores the ranking against
/// the user's relevant test items.
///
/// For user u:
/// - **Candidates** C_u = the policy's candidate set C minus the items u has in `split.train`.
///   C is every item (`.allItems`), the items with at least one training row
///   (`.itemsSeenInTraining`), or a stated list (`.stated`).
/// - **Relevant** items Rel_u = distinct items of u's test rows with value ≥ `relevanceThreshold`
///   (every test row when the threshold is nil), restricted to C_u. Relevant rows outside C_u are
///   dropped and counted (already in u's training, or outside C); repeated (u, i) rows count once.
/// - **Evaluated users**: users with |Rel_u| ≥ 1. Users with test rows but no relevant candidate are
///   skipped, counted by reason, and never scored.
/// - **Ranking**: `score(u, buffer)` fills one score per item (the buffer is NaN-filled first; NaN
///   counts as −∞ and is counted); candidates are ordered by descending score, ties by the smaller
///   item index (``TopKSelector``). The top max(K) come from a heap; MRR uses the full ranking.
/// - **Metrics** per user as in ``RankingMetrics`` (precision@K, recall@K, nDCG@K, hit rate@K,
///   AP@K, RR over the full ranking), reported as unweighted means over evaluated users;
///   coverage@K as in ``CatalogCoverage`` over evaluated users, with |C| as the denominator.
///
/// Users without training rows are still evaluated (the model must score them) and counted.
/// - Complexity: O(train + test + items) to set up; per evaluated user one `score` call plus
///   O(items + m log K + |Rel_u| + |train_u|), and O(items) more when no relevant item is in the
///   top max(K). Memory O(items) allocated once: no allocation per user beyond the result arrays.
public struct TopKEvaluator: Sendable {
    public enum CandidatePolicy: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
        /// Every item not in the user's training rows.
        case allItems
        /// Items with at least one training row (any user), minus the user's own.
        case itemsSeenInTraining
        /// The listed items, minus the user's own training items.
        case stated([Int32])

        public var description: String {
            switch self {
            case .allItems: return "all items not in the user's training"
            case .itemsSeenInTraining: return "items seen in training, minus the user's own"
            case .stated(let items): return "a stated set of \(Set(items).count) items, minus the user's own"
            }
        }
    }

    /// The relevance threshold crossrec's top-K protocol uses on explicit ratings (a rating of 4 or
    /// more on a 1–5 scale is a liked item; implicit data has none: every held-out row counts).
    public static let explicitRelevanceThreshold: Float = 4

    /// Cutoffs, ascending and distinct.
    public let ks: [Int]
    /// Test rows with a value at or above it are relevant; nil: every test row.
    public let relevanceThreshold: Float?
    public let candidatePolicy: CandidatePolicy

    /// - Throws: ``EvaluationError`` when `ks` is empty or holds a K below 1.
    public init(
        ks: [Int] = [5, 10, 20], relevanceThreshold: Float? = nil, candidatePolicy: CandidatePolicy = .allItems
    ) throws(EvaluationError) {
        guard !ks.isEmpty, ks.allSatisfy({ $0 >= 1 }) else {
            throw EvaluationError("top-K", "'ks' must be a non-empty list of positive integers, got \(ks)")
        }
        if let relevanceThreshold, !relevanceThreshold.isFinite {
            throw EvaluationError("top-K", "'relevance threshold' must be a finite number, got \(relevanceThreshold)")
        }
        self.ks = Array(Set(ks)).sorted()
        self.relevanceThreshold = relevanceThreshold
        self.candidatePolicy = candidatePolicy
    }

    /// Evaluates the scores `score(user, buffer)` writes (one per item, `buffer.count == itemCount`).
    ///
    /// - Parameters:
    ///   - split: training rows (exclusions, candidate set) and test rows (relevance).
    ///   - userCount, itemCount: the index spaces; every index in `split` must be below them.
    /// - Throws: whatever `score` throws.
    public func evaluate<E: Error>(
        _ split: Split, userCount: Int, itemCount: Int,
        score: (_ user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) throws(E) -> Void
    ) throws(E) -> TopKEvaluation {
        let train = SparseMatrix(split.train, userCount: userCount, itemCount: itemCount)
        let test = SparseMatrix(split.test, userCount: userCount, itemCount: itemCount)
        let maxK = ks.last!

        // Items outside the candidate set C, for every user.
        var outsideCandidateSet = [Bool](repeating: false, count: itemCount)
        switch candidatePolicy {
        case .allItems:
            break
        case .itemsSeenInTraining:
            var seen = [Bool](repeating: false, count: itemCount)
            for item in split.train.items { seen[Int(item)] = true }
            for item in 0..<itemCount { outsideCandidateSet[item] = !seen[item] }
        case .stated(let items):
            outsideCandidateSet = [Bool](repeating: true, count: itemCount)
            for item in items {
                precondition(item >= 0 && Int(item) < itemCount, "stated candidate \(item) out of 0..<\(itemCount)")
                outsideCandidateSet[Int(item)] = false
            }
        }
        let candidateCount = outsideCandidateSet.reduce(0) { $0 + ($1 ? 0 : 1) }

        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: itemCount)
        let excluded = UnsafeMutableBufferPointer<Bool>.allocate(capacity: itemCount)
        let relevantMask = UnsafeMutableBufferPointer<Bool>.allocate(capacity: itemCount)
        let hits = UnsafeMutableBufferPointer<Bool>.allocate(capacity: maxK)
        defer {
            scores.deallocate()
            excluded.deallocate()
            relevantMask.deallocate()
            hits.deallocate()
        }
        for item in 0..<itemCount { excluded[item] = outsideCandidateSet[item] }
        relevantMask.initialize(repeating: false)
        hits.initialize(repeating: false)
        var longestTestRow = 0
        var usersWithTestRows = 0
        for user in 0..<userCount where test.rowLength(user) > 0 {
            usersWithTestRows += 1
            longestTestRow = max(longestTestRow, test.rowLength(user))
        }
        var relevantItems: [Int32] = []
        relevantItems.reserveCapacity(longestTestRow)
        var selector = TopKSelector(capacity: maxK)
        var coverage = CatalogCoverage(itemCount: itemCount, candidateCount: candidateCount)

        var counts = TopKEvaluation.Counts()
        counts.usersWithTestRows = usersWithTestRows
        counts.candidateItems = candidateCount
        var evaluatedUsers: [Int32] = []
        var relevantCounts: [Int] = []
        var reciprocalRanks: [Double] = []
        func makeTable() -> [[Double]] {
            var table = [[Double]](repeating: [], count: ks.count)
            for index in table.indices { table[index].reserveCapacity(usersWithTestRows) }
            return table
        }
        var precision = makeTable(), recall = makeTable(), ndcg = makeTable()
        var hitRate = makeTable(), averagePrecision = makeTable()
        evaluatedUsers.reserveCapacity(usersWithTestRows)
        relevantCounts.reserveCapacity(usersWithTestRows)
        reciprocalRanks.reserveCapacity(usersWithTestRows)

        for userIndex in 0..<userCount where test.rowLength(userIndex) > 0 {
            let user = Int32(userIndex)
            let trainRange = train.rowRange(userIndex)
            for slot in trainRange { excluded[Int(train.columns[slot])] = true }
            defer {
                for slot in trainRange {
                    let item = Int(train.columns[slot])
                    excluded[item] = outsideCandidateSet[item]
                }
            }

            // Relevant candidates: distinct test items at or above the threshold, inside C_u.
            relevantItems.removeAll(keepingCapacity: true)
            var passedThreshold = 0
            var previous: Int32 = -1
            for slot in test.rowRange(userIndex) {
                let item = test.columns[slot]
                if let relevanceThreshold, test.values[slot] < relevanceThreshold {
                    counts.testRowsBelowThreshold += 1
                    continue
                }
                passedThreshold += 1
                if item == previous {
                    counts.repeatedRelevantRows += 1
                    continue
                }
                previous = item
                if excluded[Int(item)] {
                    if train.contains(row: userIndex, column: item) {
                        counts.relevantInTraining += 1
                    } else {
                        counts.relevantOutsideCandidateSet += 1
                    }
                    continue
                }
                relevantMask[Int(item)] = true
                relevantItems.append(item)
            }
            defer { for item in relevantItems { relevantMask[Int(item)] = false } }
            guard !relevantItems.isEmpty else {
                if passedThreshold == 0 {
                    counts.usersSkippedNoRelevantRows += 1
                } else {
                    counts.usersSkippedNoRelevantCandidate += 1
                }
                continue
            }

            scores.update(repeating: .nan)
            try score(user, scores)
            let selected = selector.select(
                maxK, scores: UnsafeBufferPointer(scores), excluded: UnsafeBufferPointer(excluded))
            counts.nanScores += selector.nanCount
            var firstHit: Int? = nil
            var position = 0
            for item in selector.selectedItems {
                hits[position] = relevantMask[Int(item)]
                if hits[position] && firstHit == nil { firstHit = position + 1 }
                position += 1
            }
            let userHits = UnsafeBufferPointer(rebasing: hits[0..<selected])
            let relevantCount = relevantItems.count
            for (index, k) in ks.enumerated() {
                precision[index].append(RankingMetrics.precision(hits: userHits, k: k))
                recall[index].append(RankingMetrics.recall(hits: userHits, k: k, relevantCount: relevantCount))
                ndcg[index].append(RankingMetrics.ndcg(hits: userHits, k: k, relevantCount: relevantCount))
                hitRate[index].append(RankingMetrics.hitRate(hits: userHits, k: k))
                averagePrecision[index].append(
                    RankingMetrics.averagePrecision(hits: userHits, k: k, relevantCount: relevantCount))
            }
            // RR over the full ranking: the first relevant item is the best-ranked relevant one.
            if firstHit == nil {
                var best = relevantItems[0]
                var bestKey = TopKSelector.key(scores[Int(best)])
                for item in relevantItems.dropFirst() {
                    let key = TopKSelector.key(scores[Int(item)])
                    if TopKSelector.ranksBefore(key, item, bestKey, best) {
                        best = item
                        bestKey = key
                    }
                }
                firstHit = TopKSelector.rank(
                    of: best, scores: UnsafeBufferPointer(scores), excluded: UnsafeBufferPointer(excluded))
            }
            reciprocalRanks.append(RankingMetrics.reciprocalRank(firstRelevantRank: firstHit))
            coverage.record(selector.selectedItems)
            evaluatedUsers.append(user)
            relevantCounts.append(relevantCount)
            counts.usersEvaluated += 1
            counts.relevantItems += relevantCount
            if trainRange.isEmpty { counts.usersEvaluatedWithoutTraining += 1 }
        }

        return TopKEvaluation(
            splitName: split.name, ks: ks, relevanceThreshold: relevanceThreshold, candidatePolicy: candidatePolicy,
            users: evaluatedUsers, relevantCounts: relevantCounts, precision: precision, recall: recall, ndcg: ndcg,
            hitRate: hitRate, averagePrecision: averagePrecision, reciprocalRank: reciprocalRanks,
            coverage: ks.map { coverage.coverage(k: $0) }, counts: counts)
    }
}
