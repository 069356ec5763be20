public import RecData
import RecEval

/// Rows held out of a model's training rows (never test rows) on which a model with epochs
/// reports validation figures after every `every` epochs and after the last: what early stopping
/// and an adaptive search read. Built by the runtime from a sweep's `validation:` holdout.
///
/// Figures, each prefixed `validation_`: `rmse` (models that predict ratings, over every row),
/// and the top-K figures `ndcg@K`, `recall@K`, `precision@K`, `hit_rate@K` (K = 5, 10, 20) and
/// `mrr`, over the users with a relevant held-out row (explicit data: rating ≥ 4, as the test
/// evaluation), ranking every item the user has no training row for. Same definitions as the
/// test evaluation (RecEval's ``RankingMetrics``), on other rows.
public struct ValidationRows: Sendable {
    public var rows: Interactions
    public var every: Int
    /// Per user, the held-out items that count as relevant.
    let relevant: [Int32: [Int32]]

    public static let cutoffs = [5, 10, 20]

    public init(rows: Interactions, every: Int, isExplicit: Bool) {
        self.rows = rows
        self.every = max(1, every)
        var relevant: [Int32: [Int32]] = [:]
        for k in 0..<rows.count where !isExplicit || rows.values[k] >= TopKEvaluator.explicitRelevanceThreshold {
            relevant[rows.users[k], default: []].append(rows.items[k])
        }
        self.relevant = relevant
    }

    /// Whether the figures are due after `epoch` of `total`.
    public func isDue(epoch: Int, total: Int) -> Bool { epoch % every == 0 || epoch == total }

    /// RMSE over the held-out rows of a model whose current prediction is `predict(user, item)`.
    public func rmse(_ predict: (Int32, Int32) -> Float) -> Double {
        guard !rows.isEmpty else { return .nan }
        var sum = 0.0
        for k in 0..<rows.count {
            let error = Double(predict(rows.users[k], rows.items[k])) - Double(rows.values[k])
            sum += error * error
        }
        return (sum / Double(rows.count)).squareRoot()
    }

    /// The top-K figures of a model whose current scores `score(user, into:)` writes (one per
    /// item), ranking for each user every item without a training row in `byUser`.
    /// - Complexity: O(validation users × items × log K).
    public func ranking(
        byUser: SparseMatrix, itemCount: Int, score: (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> [String: Double] {
        guard !relevant.isEmpty, itemCount > 0 else { return [:] }
        let largest = Self.cutoffs.max()!
        var sums: [String: Double] = [:]
        var scores = [Float](repeating: 0, count: itemCount)
        var users = 0
        for user in relevant.keys.sorted() {
            let u = Int(user)
            let held = Set(relevant[user]!)
            scores.withUnsafeMutableBufferPointer { score(u, $0) }
            if u < byUser.rowCount {
                for k in byUser.rowRange(u) { scores[Int(byUser.columns[k])] = -.infinity }
            }
            // The top `largest` items (score descending, then item ascending) and the first hit's rank.
            let order = (0..<itemCount).filter { scores[$0] > -.infinity }
            let top = order.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            let hits = top.prefix(largest).map { held.contains(Int32($0)) }
            let firstHit = top.firstIndex { held.contains(Int32($0)) }
            users += 1
            for k in Self.cutoffs {
                sums["ndcg@\(k)", default: 0] += RankingMetrics.ndcg(hits: hits, k: k, relevantCount: held.count)
                sums["recall@\(k)", default: 0] += RankingMetrics.recall(hits: hits, k: k, relevantCount: held.count)
                sums["precision@\(k)", default: 0] += RankingMetrics.precision(hits: hits, k: k)
                sums["hit_rate@\(k)", default: 0] += RankingMetrics.hitRate(hits: hits, k: k)
            }
            sums["mrr", default: 0] += RankingMetrics.reciprocalRank(firstRelevantRank: firstHit.map { $0 + 1 })
        }
        var values: [String: Double] = [:]
        for (name, sum) in sums { values["validation_" + name] = sum / Double(users) }
        return values
    }
}
