import RecData
import RecModels
import Testing

@Suite("EASE on large catalogues")
struct EASEModelTests {
    /// items² × 4 bytes for the one dense buffer, plus items × min(K, items − 1) × 16 with K kept.
    @Test func theMemoryEstimateIsTheDenseMatrixPlusTheKeptWeights() {
        #expect(EASEModel.denseBuffers == 1)
        #expect(EASEModel.estimatedBytes(items: 100, neighbors: 0) == 40_000)
        #expect(EASEModel.estimatedBytes(items: 100, neighbors: 5) == 40_000 + 100 * 5 * 16)
        #expect(EASEModel.estimatedBytes(items: 100, neighbors: 1_000) == 40_000 + 100 * 99 * 16)
        #expect(EASEModel.estimatedBytes(items: 20_845, neighbors: 0) == 1_738_056_100)
        #expect(MemoryBudget.gigabytes(1_738_056_100) == "1.74 GB")
    }

    /// 600 items need 1.44 MB; a 1 MB limit refuses before allocating, naming both and the option.
    @Test func aFitAboveTheLimitIsRefusedWithTheEstimateAndTheOverride() throws {
        var interactions = Interactions()
        for user in 0..<4 { interactions.append(user: Int32(user), item: Int32(user), value: 1, timestamp: 0) }
        let data = TrainingData(interactions: interactions, userCount: 4, itemCount: 600, isExplicit: false)
        let error = try #require(throws: ModelError.self) {
            _ = try trained("ease", on: data, parameters: ["max_memory_gb": 0.001])
        }
        #expect(
            error.message.hasPrefix("600 items need a dense 600×600 Gram/inverse matrix: about 0.00144 GB"), "\(error)")
        #expect(error.message.contains("more than the 0.001 GB allowed (max_memory_gb=0.001)"), "\(error)")
        #expect(error.message.contains("set max_memory_gb=0.1 to try anyway"), "\(error)")
        // The same data fits under a limit above the estimate, and under the available memory.
        _ = try trained("ease", on: data, parameters: ["max_memory_gb": 0.002])
        _ = try trained("ease", on: data)
    }

    /// K ≥ items − 1 keeps every weight: the sparse path gives the dense model's scores exactly.
    /// A small K keeps items × K weights and changes the scores.
    @Test func neighborsKeepsTheStrongestWeightsPerItem() throws {
        let fixture = GroupedInteractions()
        let data = fixture.implicitData
        let n = data.itemCount
        var dense = EASEModel(hyperparameters: .init(lambda: 10))
        try dense.fit(data)
        var everything = EASEModel(hyperparameters: .init(lambda: 10, neighbors: n))
        try everything.fit(data)
        var sparse = EASEModel(hyperparameters: .init(lambda: 10, neighbors: 5))
        try sparse.fit(data)
        #expect(dense.storedWeightCount == n * n - n)
        #expect(everything.storedWeightCount == n * (n - 1))
        #expect(sparse.storedWeightCount == n * 5)
        var differing = 0
        for user in 0..<data.userCount {
            let full = scores(dense, user: user, itemCount: n)
            #expect(scores(everything, user: user, itemCount: n) == full, "user \(user)")
            if scores(sparse, user: user, itemCount: n) != full { differing += 1 }
        }
        #expect(differing == data.userCount, "every user's scores lose weights")
        #expect(
            ImplicitProtocol.evaluate(model: everything, data: data, test: fixture.test, minimumRelevance: 0).ndcg
                == ImplicitProtocol.evaluate(model: dense, data: data, test: fixture.test, minimumRelevance: 0).ndcg)
        // Impression scoring reads the same kept weights.
        var candidates = [Float](repeating: 0, count: n)
        let history = data.byUser.columns[data.byUser.rowRange(0)]
        candidates.withUnsafeMutableBufferPointer {
            everything.scoreCandidates(
                user: 0, history: history, candidates: ArraySlice((0..<Int32(n)).map { $0 }), itemCount: n, into: $0)
        }
        var denseCandidates = [Float](repeating: 0, count: n)
        denseCandidates.withUnsafeMutableBufferPointer {
            dense.scoreCandidates(
                user: 0, history: history, candidates: ArraySlice((0..<Int32(n)).map { $0 }), itemCount: n, into: $0)
        }
        #expect(candidates == denseCandidates)
    }
}
