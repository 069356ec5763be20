import RecData
import RecEval
import Testing

@Suite("Top-K protocol")
struct TopKEvaluatorTests {
    /// 5 items, 4 users. Train: u0 has items 0, 1; u1 has item 2; u2 and u3 have nothing.
    /// Test: u0 → 2 (5★), 3 (2★), 1 (5★, already in training); u1 → 4 (4★) twice;
    /// u2 → 0 (5★); u3 → 3 (1★).
    let split = Split(
        name: "tiny",
        train: Interactions(users: [0, 0, 1], items: [0, 1, 2], values: [3, 4, 5], timestamps: [0, 0, 0]),
        test: Interactions(
            users: [0, 0, 0, 1, 1, 2, 3], items: [2, 3, 1, 4, 4, 0, 3], values: [5, 2, 5, 4, 5, 5, 1],
            timestamps: [0, 0, 0, 0, 0, 0, 0]))

    /// Item scores 0.1, 0.9, 0.5, 0.5, 0.2; u2 also scores item 0 at 0.9 (tied with item 1).
    func score(_ user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) {
        let base: [Float] = [0.1, 0.9, 0.5, 0.5, 0.2]
        for item in 0..<5 { scores[item] = base[item] }
        if user == 2 { scores[0] = 0.9 }
    }

    @Test("all items, threshold 4: hand-computed means, MRR over the full ranking, coverage")
    func allItems() throws {
        let evaluator = try TopKEvaluator(ks: [2, 1], relevanceThreshold: 4)
        #expect(evaluator.ks == [1, 2])
        let result = evaluator.evaluate(split, userCount: 4, itemCount: 5, score: score)
        // u0 ranks [2, 3, 4] (2 and 3 tie: smaller index first), relevant {2}.
        // u1 ranks [1, 3, 4, 0], relevant {4} at rank 3, beyond max K = 2.
        // u2 ranks [0, 1, 2, 3, 4] (0 and 1 tie), relevant {0}.
        #expect(result.users == [0, 1, 2])
        #expect(result.relevantCounts == [1, 1, 1])
        #expect(result.perUser("precision@1") == [1, 0, 1])
        #expect(result.perUser("precision@2") == [0.5, 0, 0.5])
        #expect(result.perUser("recall@2") == [1, 0, 1])
        #expect(result.perUser("ndcg@2") == [1, 0, 1])
        #expect(result.perUser("hit_rate@1") == [1, 0, 1])
        #expect(result.perUser("map@2") == [1, 0, 1])
        #expect(close(result.perUser("mrr")!, [1, 1.0 / 3, 1]))
        #expect(close(result.value("mrr")!, 7.0 / 9))
        #expect(close(result.value("precision@2")!, 1.0 / 3))
        #expect(close(result.value("ndcg@1")!, 2.0 / 3))
        // Top 1: {2, 1, 0}; top 2: {2, 3, 1, 0}; 5 candidate items.
        #expect(result.value("coverage@1") == 0.6)
        #expect(result.value("coverage@2") == 0.8)
        var counts = TopKEvaluation.Counts()
        counts.usersWithTestRows = 4
        counts.usersEvaluated = 3
        counts.usersSkippedNoRelevantRows = 1
        counts.usersEvaluatedWithoutTraining = 1
        counts.relevantItems = 3
        counts.testRowsBelowThreshold = 2
        counts.repeatedRelevantRows = 1
        counts.relevantInTraining = 1
        counts.candidateItems = 5
        #expect(result.counts == counts)
    }

    @Test("items seen in training: candidates {0, 1, 2}; u1's relevant item 4 falls outside")
    func itemsSeenInTraining() throws {
        let evaluator = try TopKEvaluator(ks: [1, 2], relevanceThreshold: 4, candidatePolicy: .itemsSeenInTraining)
        let result = evaluator.evaluate(split, userCount: 4, itemCount: 5, score: score)
        #expect(result.users == [0, 2])
        #expect(result.perUser("precision@2") == [0.5, 0.5])
        #expect(result.value("mrr") == 1)
        #expect(close(result.value("coverage@1")!, 2.0 / 3))
        #expect(result.value("coverage@2") == 1)
        #expect(result.counts.usersSkippedNoRelevantCandidate == 1)
        #expect(result.counts.usersSkippedNoRelevantRows == 1)
        #expect(result.counts.relevantOutsideCandidateSet == 1)
        #expect(result.counts.relevantInTraining == 1)
        #expect(result.counts.candidateItems == 3)
    }

    @Test("no threshold: every test row is relevant, u3 is evaluated")
    func noThreshold() throws {
        let result = try TopKEvaluator(ks: [2]).evaluate(split, userCount: 4, itemCount: 5, score: score)
        #expect(result.users == [0, 1, 2, 3])
        // u0: relevant {2, 3} ranked first and second; u3 ranks [1, 2, 3, 4, 0]: item 3 third.
        #expect(result.relevantCounts == [2, 1, 1, 1])
        #expect(result.perUser("precision@2") == [1, 0, 0.5, 0])
        #expect(close(result.perUser("mrr")!, [1, 1.0 / 3, 1, 1.0 / 3]))
        #expect(result.counts.testRowsBelowThreshold == 0)
        #expect(result.counts.usersEvaluatedWithoutTraining == 2)
    }

    @Test("a stated candidate set {0, 2, 4}")
    func statedCandidates() throws {
        let evaluator = try TopKEvaluator(ks: [5], relevanceThreshold: 4, candidatePolicy: .stated([0, 2, 4]))
        let result = evaluator.evaluate(split, userCount: 4, itemCount: 5, score: score)
        // u0: candidates {2, 4}, relevant {2}; u1: {0, 4}, relevant {4}, ranked [4, 0]; u2: {0, 2, 4}.
        #expect(result.users == [0, 1, 2])
        #expect(result.perUser("mrr") == [1, 1, 1])
        #expect(result.perUser("precision@5") == [0.2, 0.2, 0.2])
        #expect(result.counts.candidateItems == 3)
        #expect(result.value("coverage@5") == 1)
    }

    @Test("unset scores are NaN, ranked last and counted")
    func unsetScores() throws {
        let result = try TopKEvaluator(ks: [1]).evaluate(split, userCount: 4, itemCount: 5) { _, scores in
            scores[4] = 1
        }
        #expect(result.counts.nanScores > 0)
        #expect(result.perUser("hit_rate@1") == [0, 1, 0, 0])
    }

    @Test("bad settings throw an error naming the setting")
    func badSettings() {
        #expect(throws: EvaluationError.self) { try TopKEvaluator(ks: []) }
        #expect(throws: EvaluationError.self) { try TopKEvaluator(ks: [0, 10]) }
        #expect(throws: EvaluationError.self) { try TopKEvaluator(relevanceThreshold: .nan) }
    }

    @Test("two models pair user by user")
    func pairedModels() throws {
        let evaluator = try TopKEvaluator(ks: [2], relevanceThreshold: 4)
        let first = evaluator.evaluate(split, userCount: 4, itemCount: 5, score: score)
        let second = evaluator.evaluate(split, userCount: 4, itemCount: 5) { user, scores in
            for item in 0..<5 { scores[item] = Float(item) }
        }
        #expect(first.users == second.users)
        let comparison = PairedComparison(
            metric: "mrr", first.perUser("mrr")!, second.perUser("mrr")!, resamples: 200, seed: 1)
        #expect(comparison.count == 3)
    }

    @Test("a million-item catalogue: planted items found at their exact ranks")
    func millionItems() throws {
        let itemCount = 1_000_000
        // u0 trained on item 7; relevant 999_999 (score 2, rank 1) and 500_000 (rank 4 of the rest).
        let split = Split(
            name: "large",
            train: Interactions(users: [0, 1], items: [7, 3], values: [1, 1], timestamps: [0, 0]),
            test: Interactions(
                users: [0, 0, 1], items: [999_999, 500_000, 12], values: [1, 1, 1], timestamps: [0, 0, 0]))
        let result = try TopKEvaluator(ks: [1, 10]).evaluate(split, userCount: 2, itemCount: itemCount) {
            user, scores in
            for item in 0..<scores.count { scores[item] = Float(item % 1000) / 1000 }
            scores[7] = 5  // excluded for u0 (training)
            if user == 0 { scores[999_999] = 2 } else { scores[12] = -1 }
        }
        #expect(result.users == [0, 1])
        // u0: rank 1 is 999_999; 500_000 scores 0 like 999 others, below every non-zero score.
        #expect(result.perUser("hit_rate@1") == [1, 0])
        #expect(result.perUser("recall@10") == [0.5, 0])
        // u1: item 7 (5.0) first, then 999 items at 0.999 …; item 12 at −1 is last of 999_999 candidates.
        #expect(close(result.perUser("mrr")!, [1, 1.0 / 999_999]))
    }
}
