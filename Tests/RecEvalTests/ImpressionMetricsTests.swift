import Foundation
import RecEval
import Testing

@Suite("MIND impression metrics")
struct ImpressionMetricsTests {
    // Candidates 0…3, clicked 0 and 2; candidates 0 and 1 tie at 0.9.
    let labels: [Int8] = [1, 0, 1, 0]
    let scores: [Float] = [0.9, 0.9, 0.3, 0.5]

    @Test("AUC uses average ranks for ties: (3.5 + 1 − 3) / (2·2) = 0.375")
    func aucWithTies() {
        #expect(ImpressionMetrics.auc(labels: labels, scores: scores) == 0.375)
        #expect(ImpressionMetrics.auc(labels: [1, 0], scores: [0.5, 0.5]) == 0.5)
        #expect(ImpressionMetrics.auc(labels: [0, 1, 1], scores: [0.1, 0.2, 0.3]) == 1)
    }

    @Test("MRR ranks the later of tied candidates first: order 1, 0, 3, 2 gives (1/2 + 1/4)/2")
    func mrrWithTies() {
        #expect(ImpressionMetrics.mrr(labels: labels, scores: scores) == 0.375)
        // Swapping the tied pair's labels puts the click first.
        #expect(ImpressionMetrics.mrr(labels: [0, 1, 1, 0], scores: scores) == (1 + 0.25) / 2)
    }

    @Test("nDCG@k: gains 2^l − 1, discount log2(p + 2), ideal from sorted labels")
    func ndcgWithTies() {
        #expect(close(ImpressionMetrics.ndcg(labels: labels, scores: scores, k: 5)!, 0.6509209298071326))
        #expect(close(ImpressionMetrics.ndcg(labels: labels, scores: scores, k: 10)!, 0.6509209298071326))
        #expect(ImpressionMetrics.ndcg(labels: labels, scores: scores, k: 1) == 0)
        #expect(ImpressionMetrics.ndcg(labels: [0, 1, 1, 0], scores: scores, k: 1) == 1)
    }

    @Test("tie-averaged nDCG matches sklearn ndcg_score: 0.7640681225725908")
    func tieAveragedNDCG() {
        #expect(close(ImpressionMetrics.ndcgTieAveraged(labels: labels, scores: scores, k: 5)!, 0.7640681225725908))
    }

    @Test("undefined figures are nil: AUC needs both classes, MRR and nDCG a click")
    func undefined() {
        #expect(ImpressionMetrics.auc(labels: [1, 1], scores: [0.1, 0.2]) == nil)
        #expect(ImpressionMetrics.auc(labels: [0, 0], scores: [0.1, 0.2]) == nil)
        #expect(ImpressionMetrics.mrr(labels: [0, 0], scores: [0.1, 0.2]) == nil)
        #expect(ImpressionMetrics.ndcg(labels: [0, 0], scores: [0.1, 0.2], k: 5) == nil)
        #expect(ImpressionMetrics.mrr(labels: [1, 1], scores: [0.1, 0.2]) == 0.75)
        #expect(ImpressionMetrics.ndcg(labels: [1, 1], scores: [0.1, 0.2], k: 5) == 1)
    }

    @Test(
        "skip reasons follow where the official scorer fails",
        arguments: [
            ([Int8](), ImpressionScorer.SkipReason.noCandidates),
            ([1, -1, 0], .unlabeled),
            ([-1, -1], .unlabeled),
            ([0, 0, 0], .noClick),
            ([1, 1], .allClicked),
        ])
    func skipReasons(labels: [Int8], reason: ImpressionScorer.SkipReason) {
        let found = labels.withUnsafeBufferPointer { ImpressionScorer.skipReason(labels: $0) }
        #expect(found == reason)
        var scorer = ImpressionScorer()
        let scores = [Float](repeating: 0, count: labels.count)
        let outcome = labels.withUnsafeBufferPointer { labelBuffer in
            scores.withUnsafeBufferPointer { scorer.score(labels: labelBuffer, scores: $0) }
        }
        #expect(outcome == .skipped(reason))
    }

    @Test("NaN scores rank as −∞ and are counted")
    func nanScores() {
        #expect(ImpressionMetrics.auc(labels: [1, 0], scores: [.nan, 0.2]) == 0)
        #expect(ImpressionMetrics.auc(labels: [1, 0], scores: [.nan, -.infinity]) == 0.5)
        #expect(ImpressionMetrics.mrr(labels: [1, 0], scores: [.nan, 0.2]) == 0.5)
    }

    @Test("one scorer reused across impressions of different lengths")
    func reuse() {
        var scorer = ImpressionScorer()
        let long: [Int8] = Array(repeating: 0, count: 30) + [1]
        let longScores = (0..<31).map { Float($0 % 7) }
        let short: [Int8] = [0, 1]
        let shortScores: [Float] = [0.2, 0.1]
        for _ in 0..<2 {
            let first = long.withUnsafeBufferPointer { l in
                longScores.withUnsafeBufferPointer { scorer.score(labels: l, scores: $0) }
            }
            guard case .scored(let values) = first else {
                Issue.record("long impression skipped")
                return
            }
            // Score 30 % 7 = 2; above it 3, 4, 5, 6 four times each (16), ties with 2 later: none.
            #expect(values.mrr == 1.0 / 17)
            let second = short.withUnsafeBufferPointer { l in
                shortScores.withUnsafeBufferPointer { scorer.score(labels: l, scores: $0) }
            }
            #expect(
                second
                    == .scored(ImpressionScorer.Values(auc: 0, mrr: 0.5, ndcg5: 1 / log2(3.0), ndcg10: 1 / log2(3.0))))
        }
    }
}
