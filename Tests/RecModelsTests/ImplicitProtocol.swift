import Foundation
import RecData
import RecModels

/// Top-K figures for one model, each a mean over the evaluated users.
struct RankingMetrics: Sendable, CustomStringConvertible {
    var ndcg: Double
    var precision: Double
    var recall: Double
    var hitRate: Double
    var users: Int

    var description: String {
        "ndcg@10 \(ndcg), precision@10 \(precision), recall@10 \(recall), hit rate@10 \(hitRate), users \(users)"
    }
}

/// The implicit top-K protocol the model goals are stated in (a test helper until RecEval has it):
/// every training row is a positive; a user's candidates are the items with at least one training
/// row minus the user's own training items; relevant = the user's test rows with value ≥
/// `minimumRelevance` on candidates; users with no relevant item are skipped; ties go to the
/// smaller item index. NDCG uses binary gains, rel/log2(rank + 1).
enum ImplicitProtocol {
    static func evaluate(
        data: TrainingData, test: Interactions, cutoff: Int = 10, minimumRelevance: Float = 4,
        score: (Int32, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> RankingMetrics {
        var relevantByUser: [Int32: Set<Int32>] = [:]
        for k in 0..<test.count where test.values[k] >= minimumRelevance {
            let user = test.users[k], item = test.items[k]
            guard Int(item) < data.itemCount, data.byItem.rowLength(Int(item)) > 0 else { continue }
            if Int(user) < data.userCount && data.byUser.contains(row: Int(user), column: item) { continue }
            relevantByUser[user, default: []].insert(item)
        }
        var totals = (ndcg: 0.0, precision: 0.0, recall: 0.0, hits: 0.0)
        var scores = [Float](repeating: 0, count: data.itemCount)
        for (user, relevant) in relevantByUser.sorted(by: { $0.key < $1.key }) {
            scores.withUnsafeMutableBufferPointer { score(user, $0) }
            // The top `cutoff` candidates by (score descending, item ascending), by insertion.
            var top: [(score: Float, item: Int32)] = []
            top.reserveCapacity(cutoff + 1)
            for item in 0..<data.itemCount where data.byItem.rowLength(item) > 0 {
                if Int(user) < data.userCount && data.byUser.contains(row: Int(user), column: Int32(item)) { continue }
                let score = scores[item]
                if top.count == cutoff && !(score > top[cutoff - 1].score) { continue }
                var slot = top.count
                while slot > 0 && score > top[slot - 1].score { slot -= 1 }
                top.insert((score, Int32(item)), at: slot)
                if top.count > cutoff { top.removeLast() }
            }
            var dcg = 0.0, hits = 0
            for (rank, candidate) in top.enumerated() where relevant.contains(candidate.item) {
                dcg += 1 / log2(Double(rank + 2))
                hits += 1
            }
            var ideal = 0.0
            for rank in 0..<min(cutoff, relevant.count) { ideal += 1 / log2(Double(rank + 2)) }
            totals.ndcg += dcg / ideal
            totals.precision += Double(hits) / Double(cutoff)
            totals.recall += Double(hits) / Double(relevant.count)
            totals.hits += hits > 0 ? 1 : 0
        }
        let n = Double(max(relevantByUser.count, 1))
        return RankingMetrics(
            ndcg: totals.ndcg / n, precision: totals.precision / n, recall: totals.recall / n, hitRate: totals.hits / n,
            users: relevantByUser.count)
    }

    static func evaluate(
        model: some Recommender, data: TrainingData, test: Interactions, cutoff: Int = 10, minimumRelevance: Float = 4
    ) -> RankingMetrics {
        evaluate(data: data, test: test, cutoff: cutoff, minimumRelevance: minimumRelevance) {
            model.scoreAll(user: $0, into: $1)
        }
    }

    static func evaluate(
        model: AnyRecommender, data: TrainingData, test: Interactions, cutoff: Int = 10, minimumRelevance: Float = 4
    ) -> RankingMetrics {
        evaluate(data: data, test: test, cutoff: cutoff, minimumRelevance: minimumRelevance) {
            model.scoreAll(user: $0, into: $1)
        }
    }
}
