import Foundation
@testable import RecData
import RecEval
import Testing

@Suite("MIND impression protocol")
struct ImpressionEvaluatorTests {
    /// Six impressions: two scorable, one of each skip reason.
    static func makeLog() -> MINDImpressionLog {
        var log = MINDImpressionLog(split: "dev")
        func add(_ user: Int32, history: [Int32], candidates: [(Int32, Int8)]) {
            log.beginImpression(id: .number(Int64(log.count + 1)), user: user, time: 0)
            for news in history { log.appendHistory(news) }
            for (news, label) in candidates { log.appendCandidate(news, label: label) }
            log.endImpression()
        }
        add(0, history: [5, 6], candidates: [(1, 1), (2, 0), (3, 0)])
        add(1, history: [], candidates: [(4, -1), (1, -1)])
        add(0, history: [5, 6, 1], candidates: [(2, 0), (3, 0)])
        add(2, history: [7], candidates: [(1, 1), (4, 1)])
        add(1, history: [2], candidates: [(3, 0), (1, 1), (2, 0), (4, 1)])
        add(3, history: [], candidates: [])
        return log
    }

    @Test("official figures on the scorable impressions; skips counted by reason; scorer sees own history only")
    func evaluate() {
        let log = Self.makeLog()
        var calls: [(Int32, [Int32], [Int32])] = []
        let result = ImpressionEvaluator().evaluate(log) { user, history, candidates, scores in
            calls.append((user, Array(history), Array(candidates)))
            for (slot, news) in candidates.enumerated() {
                scores[slot] = history.contains(news) ? 1 : Float(news) / 10
            }
        }
        #expect(calls.count == 2)
        #expect(calls.map(\.0) == [0, 1])
        #expect(calls.map(\.1) == [[5, 6], [2]])
        #expect(calls.map(\.2) == [[1, 2, 3], [3, 1, 2, 4]])
        #expect(result.impressions == [0, 4])
        // Impression 0: the click scores lowest. Impression 4: scores 0.3, 0.1, 1.0, 0.4.
        #expect(result.auc == [0, 0.25])
        #expect(close(result.mrr, [1.0 / 3, 0.375]))
        #expect(close(result.ndcg5, [0.5, 0.6509209298071326]))
        #expect(close(result.ndcg10, [0.5, 0.6509209298071326]))
        #expect(close(result.value("auc")!, 0.125))
        #expect(close(result.value("mrr")!, (1.0 / 3 + 0.375) / 2))
        var counts = ImpressionEvaluation.Counts()
        counts.impressions = 6
        counts.impressionsScored = 2
        counts.skippedNoCandidates = 1
        counts.skippedUnlabeled = 1
        counts.skippedNoClick = 1
        counts.skippedAllClicked = 1
        #expect(result.counts == counts)
        #expect(result.counts.skipped == 4)
        let report = result.report
        #expect(report[count: "skipped: unlabeled"] == 1)
        #expect(close(report[metric: "ndcg@10"]!, (0.5 + 0.6509209298071326) / 2))
    }

    @Test("unset scores are NaN, ranked last and counted")
    func unsetScores() {
        let result = ImpressionEvaluator().evaluate(Self.makeLog()) { _, _, _, scores in scores[0] = 1 }
        #expect(result.counts.nanScores == 2 + 3)
        // Impression 0: the click alone is scored. Impression 4 (labels 0, 1, 0, 1): the unclicked
        // candidate 0 scores 1, the rest tie at −∞ with average rank 2, so AUC = (2 + 2 − 3)/4.
        #expect(result.auc == [1, 0.25])
    }

    @Test("the reference impressions through the protocol give the reference means")
    func referenceThroughProtocol() {
        var log = MINDImpressionLog(split: "dev")
        var scoreTable: [[Float]] = []
        for (index, impression) in ReferenceFixtures.impressions.enumerated() {
            log.beginImpression(id: .number(Int64(index)), user: Int32(index % 7), time: 0)
            for (slot, label) in impression.labels.enumerated() { log.appendCandidate(Int32(slot), label: label) }
            log.endImpression()
            scoreTable.append(impression.scores)
        }
        var next = 0
        let result = ImpressionEvaluator().evaluate(log) { _, _, candidates, scores in
            for slot in 0..<candidates.count { scores[slot] = scoreTable[next][slot] }
            next += 1
        }
        let count = Double(ReferenceFixtures.impressions.count)
        #expect(result.counts.impressionsScored == ReferenceFixtures.impressions.count)
        #expect(close(result.value("auc")!, ReferenceFixtures.impressions.map(\.auc).reduce(0, +) / count, 1e-9))
        #expect(close(result.value("ndcg@10")!, ReferenceFixtures.impressions.map(\.ndcg10).reduce(0, +) / count, 1e-9))
    }
}
