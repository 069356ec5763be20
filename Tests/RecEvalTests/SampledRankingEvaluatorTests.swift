import Foundation
import RecData
import RecEval
import Testing

@Suite("Sampled-negative protocol")
struct SampledRankingEvaluatorTests {
    /// 6 items, 3 users, N = 3. Train: u0 {0, 1}, u1 {3, 4}, u2 {0}. Test: u0 → 2, u1 → 5,
    /// u2 → 1 and 2. Each user has exactly 3 items left, so the negatives are known without the
    /// draw: u0 {3, 4, 5}, u1 {0, 1, 2}, u2 {3, 4, 5} for both of its rows.
    let handSplit = Split(
        name: "hand",
        train: Interactions(
            users: [0, 0, 1, 1, 2], items: [0, 1, 3, 4, 0], values: [1, 1, 1, 1, 1], timestamps: [0, 0, 0, 0, 0]),
        test: Interactions(users: [0, 1, 2, 2], items: [2, 5, 1, 2], values: [1, 1, 1, 1], timestamps: [0, 0, 0, 0]))

    /// Item scores 0.1, 0.9, 0.5, 0.5, 0.2, 0.7 for every user.
    func handScore(_ user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) {
        let base: [Float] = [0.1, 0.9, 0.5, 0.5, 0.2, 0.7]
        for item in 0..<6 { scores[item] = base[item] }
    }

    @Test("hand-computed HR, NDCG and MRR, ties as the expectation over their order")
    func handComputed() throws {
        let candidates = try SampledCandidates(handSplit, userCount: 3, itemCount: 6, negatives: 3, seed: 7)
        #expect(candidates.rowUsers == [0, 1, 2, 2])
        #expect(candidates.positiveItems == [2, 5, 1, 2])
        #expect(
            (0..<4).map { Array(candidates.negatives(ofRow: $0)) } == [[3, 4, 5], [0, 1, 2], [3, 4, 5], [3, 4, 5]])
        #expect(candidates.counts.rowsShortOfNegatives == 0)

        let result = try SampledRankingEvaluator(ks: [2, 1]).evaluate(candidates, score: handScore)
        // Row (u0, 2): positive 0.5 against 0.5 (item 3, tied), 0.2, 0.7 (above): g = 1, t = 1, so
        //   the rank is 1 or 2 with probability ½ each: HR@1 = 0, HR@2 = ½,
        //   NDCG@2 = ½ · 1/log2(3) ≈ 0.3155, MRR = ½ (1/2 + 1/3) = 5/12.
        // Row (u1, 5): positive 0.7 against 0.1, 0.9, 0.5: rank 1: HR@1 = 0, HR@2 = 1,
        //   NDCG@2 = 1/log2(3) ≈ 0.6309, MRR = 1/2.
        // Row (u2, 1): positive 0.9 above 0.5, 0.2, 0.7: rank 0: every metric 1.
        // Row (u2, 2): as row (u0, 2).
        let c = 1 / log2(3.0)
        #expect(result.ks == [1, 2])
        #expect(result.ranks == [1.5, 1, 0, 1.5])
        #expect(result.perRow("hit_rate@1") == [0, 0, 1, 0])
        #expect(result.perRow("hit_rate@2") == [0.5, 1, 1, 0.5])
        #expect(close(result.perRow("ndcg@2")!, [c / 2, c, 1, c / 2]))
        #expect(close(result.perRow("mrr")!, [5.0 / 12, 0.5, 1, 5.0 / 12]))
        // Means over the 4 rows.
        #expect(result.value("hit_rate@1") == 0.25)
        #expect(result.value("hit_rate@2") == 0.75)
        #expect(result.value("ndcg@1") == 0.25)
        #expect(close(result.value("ndcg@2")!, (2 * c + 1) / 4))
        #expect(close(result.value("mrr")!, 7.0 / 12))
        // Per user: u2 averages its two rows.
        #expect(result.users == [0, 1, 2])
        let userMRR: [Double] = [5.0 / 12, 0.5, 17.0 / 24]  // u2: (1 + 5/12) / 2
        #expect(close(result.perUser("mrr")!, userMRR))
        #expect(result.perUser("hit_rate@2") == [0.5, 1, 0.75])
        #expect(result.counts.rowsWithTies == 2)
        #expect(result.perRow("recall@2") == nil && result.value("ndcg@5") == nil)
        #expect(result.metricNames == ["hit_rate@1", "hit_rate@2", "ndcg@1", "ndcg@2", "mrr"])
        #expect(result.report[metric: "mrr"].map { close($0, 7.0 / 12) } == true)
    }

    @Test("pessimistic ties: each tied negative ranks above the positive")
    func pessimisticTies() throws {
        let candidates = try SampledCandidates(handSplit, userCount: 3, itemCount: 6, negatives: 3, seed: 7)
        let result = try SampledRankingEvaluator(ks: [1, 2], ties: .pessimistic).evaluate(candidates, score: handScore)
        // Rows (u0, 2) and (u2, 2) now rank 2: HR@2 = 0, MRR = 1/3.
        #expect(result.ranks == [2, 1, 0, 2])
        #expect(result.perRow("hit_rate@2") == [0, 1, 1, 0])
        let mrr: Double = 13.0 / 24  // (1/3 + 1/2 + 1 + 1/3) / 4
        #expect(close(result.value("mrr")!, mrr))
    }

    @Test("a constant scorer ranks at chance (expected ties) or last (pessimistic), never well")
    func constantScorer() throws {
        let split = Self.randomSplit(users: 300, items: 400, rowsPerUser: 12, seed: 3)
        let n = 99
        let candidates = try SampledCandidates(split, userCount: 300, itemCount: 400, negatives: n, seed: 1)
        #expect(candidates.counts.rowsShortOfNegatives == 0)
        let constant: (Int32, UnsafeMutableBufferPointer<Float>) -> Void = { _, scores in scores.update(repeating: 1) }
        let expected = try SampledRankingEvaluator(ks: [1, 10]).evaluate(candidates, score: constant)
        // Rank uniform on 0…99: HR@K = K/100, MRR = H_100 / 100.
        let harmonic = (1...(n + 1)).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(close(expected.value("hit_rate@10")!, 10.0 / Double(n + 1)))
        #expect(close(expected.value("hit_rate@1")!, 1.0 / Double(n + 1)))
        #expect(close(expected.value("mrr")!, harmonic / Double(n + 1)))
        #expect(expected.ranks.allSatisfy { $0 == Double(n) / 2 })
        #expect(expected.counts.rowsWithTies == candidates.rowCount)
        let pessimistic = try SampledRankingEvaluator(ks: [1, 10], ties: .pessimistic).evaluate(
            candidates, score: constant)
        #expect(pessimistic.value("hit_rate@10") == 0)
        #expect(close(pessimistic.value("mrr")!, 1.0 / Double(n + 1)))
    }

    @Test("a random scorer over many rows gives HR@10 close to 10 / (N + 1)")
    func randomScorer() throws {
        let split = Self.randomSplit(users: 2000, items: 500, rowsPerUser: 6, seed: 5)
        let n = 99
        let candidates = try SampledCandidates(split, userCount: 2000, itemCount: 500, negatives: n, seed: 11)
        var generator = SeededGenerator(seed: 99)
        let result = try SampledRankingEvaluator(ks: [10]).evaluate(candidates) { _, scores in
            for item in scores.indices { scores[item] = Float(generator.nextUnit()) }
        }
        // 2,000+ rows: the standard error of HR@10 is about √(0.1 · 0.9 / 2000) ≈ 0.0067.
        #expect(candidates.rowCount >= 2000)
        #expect(abs(result.value("hit_rate@10")! - 10.0 / Double(n + 1)) < 0.025)
        let harmonic = (1...(n + 1)).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(abs(result.value("mrr")! - harmonic / Double(n + 1)) < 0.015)
        #expect(result.counts.nanScores == 0)
    }

    @Test("negatives: distinct, min(N, eligible) of them, never the test item or anything the user touched")
    func negativesExcludeInteractions() throws {
        let users = 120, items = 150
        let split = Self.randomSplit(users: users, items: items, rowsPerUser: 20, seed: 8)
        for n in [10, 100] {
            let candidates = try SampledCandidates(split, userCount: users, itemCount: items, negatives: n, seed: 4)
            var interacted = [Set<Int32>](repeating: [], count: users)
            for rows in [split.train, split.test] {
                for (user, item) in zip(rows.users, rows.items) { interacted[Int(user)].insert(item) }
            }
            for row in 0..<candidates.rowCount {
                let user = Int(candidates.rowUsers[row])
                let negatives = Array(candidates.negatives(ofRow: row))
                #expect(!negatives.contains(candidates.positiveItems[row]))
                #expect(Set(negatives).isDisjoint(with: interacted[user]))
                #expect(negatives == negatives.sorted() && Set(negatives).count == negatives.count)
                #expect(negatives.count == min(n, items - interacted[user].count))
            }
            // With N = 100 and up to 20 items per user out of 150, both draws (rejection and shuffle) run.
            #expect(candidates.counts.rowsShortOfNegatives == 0)
        }
    }

    @Test("the same seed gives the same negatives, another seed other ones")
    func determinism() throws {
        let split = Self.randomSplit(users: 200, items: 300, rowsPerUser: 10, seed: 2)
        let first = try SampledCandidates(split, userCount: 200, itemCount: 300, negatives: 50, seed: 2040)
        let again = try SampledCandidates(split, userCount: 200, itemCount: 300, negatives: 50, seed: 2040)
        let other = try SampledCandidates(split, userCount: 200, itemCount: 300, negatives: 50, seed: 2041)
        #expect(first == again)
        #expect(first.rowUsers == other.rowUsers && first.positiveItems == other.positiveItems)
        #expect(first.negativeItems != other.negativeItems)
        // Almost every row differs, not just a few.
        let differing = (0..<first.rowCount).filter { first.negatives(ofRow: $0) != other.negatives(ofRow: $0) }
        #expect(differing.count > first.rowCount * 9 / 10)
    }

    @Test("a user's negatives depend on their own rows only, not on other users")
    func negativesArePerUser() throws {
        let split = Self.randomSplit(users: 50, items: 300, rowsPerUser: 10, seed: 6)
        let full = try SampledCandidates(split, userCount: 50, itemCount: 300, negatives: 40, seed: 9)
        // Drop every test row of users 0…24: users 25…49 keep their negatives.
        let kept = (0..<split.test.count).filter { split.test.users[$0] >= 25 }
        let reduced = Split(name: "reduced", train: split.train, test: split.test.subset(kept))
        let partial = try SampledCandidates(reduced, userCount: 50, itemCount: 300, negatives: 40, seed: 9)
        let offset = full.rowUsers.firstIndex { $0 >= 25 }!
        #expect(partial.rowCount == full.rowCount - offset)
        for row in 0..<partial.rowCount {
            #expect(partial.negatives(ofRow: row) == full.negatives(ofRow: row + offset))
        }
    }

    @Test("two models are ranked against identical candidates; scores outside them do not matter")
    func sameNegativesForTwoModels() throws {
        let split = Self.randomSplit(users: 100, items: 200, rowsPerUser: 8, seed: 12)
        let candidates = try SampledCandidates(split, userCount: 100, itemCount: 200, negatives: 30, seed: 3)
        var isCandidate = [Set<Int32>](repeating: [], count: 100)
        for row in 0..<candidates.rowCount {
            let user = Int(candidates.rowUsers[row])
            isCandidate[user].insert(candidates.positiveItems[row])
            isCandidate[user].formUnion(candidates.negatives(ofRow: row))
        }
        // Model A: item index as score. Model A′: the same on candidates, noise elsewhere.
        // Model B: the reverse order.
        let evaluator = try SampledRankingEvaluator(ks: [1, 5, 10])
        var asked: [Int32] = []
        let a = evaluator.evaluate(candidates) { user, scores in
            asked.append(user)
            for item in scores.indices { scores[item] = Float(item) }
        }
        let aPrime = evaluator.evaluate(candidates) { user, scores in
            for item in scores.indices {
                scores[item] = isCandidate[Int(user)].contains(Int32(item)) ? Float(item) : Float((item * 7919) % 1000)
            }
        }
        let b = evaluator.evaluate(candidates) { _, scores in
            for item in scores.indices { scores[item] = Float(-item) }
        }
        #expect(a == aPrime)
        #expect(asked == a.users)  // one score call per user
        #expect(a.users == b.users && a.rowUsers == b.rowUsers && a.positiveItems == b.positiveItems)
        #expect(a.value("mrr") != b.value("mrr"))
        let comparison = PairedComparison(
            metric: "ndcg@10", a.perUser("ndcg@10")!, b.perUser("ndcg@10")!, resamples: 200)
        #expect(comparison.count == a.users.count)
    }

    @Test("fewer eligible items than N: all of them are used, and the row is counted as short")
    func fewerThanN() throws {
        // 5 items. u0 trained on {0, 1}, tests 2: 2 eligible (3, 4). u1 trained on {0, 1, 2, 3},
        // tests 4: nothing left, skipped. u2 tests 0 with nothing in training: 4 eligible = N.
        let split = Split(
            name: "short",
            train: Interactions(
                users: [0, 0, 1, 1, 1, 1], items: [0, 1, 0, 1, 2, 3], values: [1, 1, 1, 1, 1, 1],
                timestamps: [0, 0, 0, 0, 0, 0]),
            test: Interactions(users: [0, 1, 2], items: [2, 4, 0], values: [1, 1, 1], timestamps: [0, 0, 0]))
        let candidates = try SampledCandidates(split, userCount: 3, itemCount: 5, negatives: 4, seed: 1)
        #expect(candidates.rowUsers == [0, 2])
        #expect(Array(candidates.negatives(ofRow: 0)) == [3, 4])
        #expect(Array(candidates.negatives(ofRow: 1)) == [1, 2, 3, 4])
        #expect(candidates.counts.rowsShortOfNegatives == 1)
        #expect(candidates.counts.missingNegatives == 2)
        #expect(candidates.counts.rowsWithoutNegatives == 1)
        let report = try SampledRankingEvaluator().evaluate(candidates, score: handScoreFive).report
        #expect(report[count: "rows short of negatives"] == 1)
        #expect(report[count: "rows skipped: no negative left"] == 1)
    }

    func handScoreFive(_ user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) {
        for item in scores.indices { scores[item] = Float(item) }
    }

    @Test("threshold, repeated rows, rows already in training, and the pool of training items")
    func skippedRowsAndPool() throws {
        // 6 items; item 5 has no training row. u0: train {0}; test 1 (5★), 1 again, 2 (2★), 0 (in
        // training). u1: train {1}; test 3.
        let split = Split(
            name: "skips",
            train: Interactions(users: [0, 1, 1], items: [0, 1, 4], values: [5, 5, 5], timestamps: [0, 0, 0]),
            test: Interactions(
                users: [0, 0, 0, 0, 1], items: [1, 1, 2, 0, 3], values: [5, 5, 2, 4, 4], timestamps: [0, 0, 0, 0, 0]))
        let candidates = try SampledCandidates(
            split, userCount: 2, itemCount: 6, negatives: 10, seed: 1, relevanceThreshold: 4,
            negativePool: .itemsSeenInTraining)
        #expect(candidates.rowUsers == [0, 1])
        #expect(candidates.positiveItems == [1, 3])
        // Pool {0, 1, 4}: u0 touched 0, 1, 2 → {4}; u1 touched 1, 4, 3 → {0}. Item 2 (below the
        // threshold) is still never a negative of u0.
        #expect(Array(candidates.negatives(ofRow: 0)) == [4])
        #expect(Array(candidates.negatives(ofRow: 1)) == [0])
        var counts = SampledCandidates.Counts()
        counts.testRows = 5
        counts.rowsEvaluated = 2
        counts.rowsBelowThreshold = 1
        counts.repeatedRows = 1
        counts.rowsInTraining = 1
        counts.rowsShortOfNegatives = 2
        counts.missingNegatives = 18
        #expect(candidates.counts == counts)
    }

    @Test("both draws are uniform: every eligible item is picked about N / eligible of the time")
    func uniformDraws() throws {
        // One user trained on items 0 and 1, testing item 2. With 40 items and N = 5 the rejection
        // draw runs; with 12 items and N = 5 (9 eligible < 2 · 5) the shuffle runs.
        for items in [40, 12] {
            let split = Split(
                name: "one user",
                train: Interactions(users: [0, 0], items: [0, 1], values: [1, 1], timestamps: [0, 0]),
                test: Interactions(users: [0], items: [2], values: [1], timestamps: [0]))
            var picks = [Int](repeating: 0, count: items)
            let draws = 3000
            for seed in 0..<UInt64(draws) {
                let candidates = try SampledCandidates(split, userCount: 1, itemCount: items, negatives: 5, seed: seed)
                for item in candidates.negatives(ofRow: 0) { picks[Int(item)] += 1 }
            }
            let eligible = items - 3
            let expected = Double(draws) * 5 / Double(eligible)
            #expect(picks[0] == 0 && picks[1] == 0 && picks[2] == 0)
            for item in 3..<items {
                // Binomial standard deviation at most √(3000 · 0.56 · 0.44) ≈ 27; allow 5σ.
                #expect(abs(Double(picks[item]) - expected) < 5 * (expected * (1 - 5 / Double(eligible))).squareRoot())
            }
        }
    }

    @Test("settings are checked")
    func invalidSettings() {
        #expect(throws: EvaluationError("sampled ranking", "'negatives' must be a positive integer, got 0")) {
            try SampledCandidates(handSplit, userCount: 3, itemCount: 6, negatives: 0, seed: 1)
        }
        #expect(throws: EvaluationError.self) {
            try SampledCandidates(handSplit, userCount: 3, itemCount: 6, seed: 1, relevanceThreshold: .nan)
        }
        #expect(
            throws: EvaluationError(
                "sampled ranking", "'ks' must be a non-empty list of positive integers, got [0, 10]")
        ) {
            try SampledRankingEvaluator(ks: [0, 10])
        }
    }

    /// `rowsPerUser` distinct random items per user; about a fifth of each user's rows in test.
    static func randomSplit(users: Int, items: Int, rowsPerUser: Int, seed: UInt64) -> Split {
        var generator = SeededGenerator(seed: seed)
        var train = Interactions(), test = Interactions()
        for user in 0..<users {
            var pool = Array(0..<items)
            for position in 0..<rowsPerUser {
                pool.swapAt(position, position + generator.next(below: items - position))
            }
            for (position, item) in pool.prefix(rowsPerUser).enumerated() {
                let toTest = position < max(1, rowsPerUser / 5)
                if toTest {
                    test.append(user: Int32(user), item: Int32(item), value: 1, timestamp: 0)
                } else {
                    train.append(user: Int32(user), item: Int32(item), value: 1, timestamp: 0)
                }
            }
        }
        return Split(name: "random", train: train, test: test)
    }
}
