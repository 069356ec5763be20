import RecEval
import Testing

@Suite("Ranking metrics")
struct RankingMetricsTests {
    /// Ranks 2 and 4 relevant among 5 listed items; 3 relevant items in all.
    let hits = [false, true, false, true, false]

    @Test("K = 5: P = 2/5, R = 2/3, nDCG = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/2), AP = (1/2 + 2/4)/3")
    func atFive() {
        #expect(RankingMetrics.precision(hits: hits, k: 5) == 0.4)
        #expect(close(RankingMetrics.recall(hits: hits, k: 5, relevantCount: 3), 2.0 / 3))
        #expect(close(RankingMetrics.ndcg(hits: hits, k: 5, relevantCount: 3), 0.49818925746641285))
        #expect(RankingMetrics.hitRate(hits: hits, k: 5) == 1)
        #expect(close(RankingMetrics.averagePrecision(hits: hits, k: 5, relevantCount: 3), 1.0 / 3))
        #expect(RankingMetrics.reciprocalRank(hits: hits) == 0.5)
    }

    @Test("K = 3 truncates: P = 1/3, R = 1/3, nDCG = (1/log2 3) / IDCG@3, AP = (1/2)/3")
    func atThree() {
        #expect(close(RankingMetrics.precision(hits: hits, k: 3), 1.0 / 3))
        #expect(close(RankingMetrics.recall(hits: hits, k: 3, relevantCount: 3), 1.0 / 3))
        #expect(close(RankingMetrics.ndcg(hits: hits, k: 3, relevantCount: 3), 0.2960819109658652))
        #expect(close(RankingMetrics.averagePrecision(hits: hits, k: 3, relevantCount: 3), 1.0 / 6))
        #expect(RankingMetrics.hitRate(hits: hits, k: 1) == 0)
    }

    @Test("K beyond the list: missing positions are misses, precision still divides by K")
    func kLargerThanList() {
        #expect(RankingMetrics.precision(hits: hits, k: 10) == 0.2)
        #expect(close(RankingMetrics.recall(hits: hits, k: 10, relevantCount: 3), 2.0 / 3))
        #expect(close(RankingMetrics.ndcg(hits: hits, k: 10, relevantCount: 3), 0.49818925746641285))
        #expect(close(RankingMetrics.averagePrecision(hits: hits, k: 10, relevantCount: 3), 1.0 / 3))
    }

    @Test("ideal DCG and AP normalise by min(R, K)")
    func normalisedByMinimum() {
        // Both top positions relevant, 5 relevant in all: perfect at K = 2.
        #expect(RankingMetrics.ndcg(hits: [true, true], k: 2, relevantCount: 5) == 1)
        #expect(RankingMetrics.averagePrecision(hits: [true, true], k: 2, relevantCount: 5) == 1)
        #expect(close(RankingMetrics.recall(hits: [true, true], k: 2, relevantCount: 5), 0.4))
        #expect(close(RankingMetrics.idealDCG(relevantCount: 2, k: 10), 1 + 0.6309297535714575))
    }

    @Test("empty relevance gives 0 everywhere")
    func emptyRelevance() {
        let none = [false, false, false]
        #expect(RankingMetrics.precision(hits: none, k: 3) == 0)
        #expect(RankingMetrics.recall(hits: none, k: 3, relevantCount: 0) == 0)
        #expect(RankingMetrics.ndcg(hits: none, k: 3, relevantCount: 0) == 0)
        #expect(RankingMetrics.averagePrecision(hits: none, k: 3, relevantCount: 0) == 0)
        #expect(RankingMetrics.hitRate(hits: none, k: 3) == 0)
        #expect(RankingMetrics.reciprocalRank(hits: none) == 0)
        #expect(RankingMetrics.reciprocalRank(firstRelevantRank: nil) == 0)
        #expect(RankingMetrics.reciprocalRank(firstRelevantRank: 4) == 0.25)
        #expect(RankingMetrics.precision(hits: [Bool](), k: 5) == 0)
    }

    @Test("coverage@K counts distinct items in any top K over the candidate items")
    func coverage() {
        var coverage = CatalogCoverage(itemCount: 10, candidateCount: 8)
        coverage.record([3, 1, 4] as [Int32])
        coverage.record([1, 5, 9] as [Int32])
        coverage.record([Int32]())
        #expect(coverage.distinctItems(k: 1) == 2)
        #expect(coverage.coverage(k: 1) == 0.25)
        #expect(coverage.coverage(k: 2) == 3.0 / 8)
        #expect(coverage.coverage(k: 3) == 5.0 / 8)
        #expect(coverage.coverage(k: 50) == 5.0 / 8)
        #expect(CatalogCoverage(itemCount: 3, candidateCount: 0).coverage(k: 5) == 0)
    }
}
