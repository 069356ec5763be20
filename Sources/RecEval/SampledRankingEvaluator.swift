import Foundation

/// The sampled-negative protocol of the cross-domain literature (DisenCDR, UniCDR on Amazon
/// phone/sport): each held-out (user, item) row is ranked against N sampled negatives, not
/// against the whole catalogue, and scored by HR@K, NDCG@K and MRR.
///
/// The candidates come from a ``SampledCandidates`` value, built once from the split and a seed;
/// the evaluator only scores. Evaluating several models against the same value compares them on
/// identical negatives, and their per-user arrays pair element by element.
///
/// For a row with positive p and negatives n₁…n_m (m = N, or fewer: ``SampledCandidates``):
/// - **Scores**: `score(user, buffer)` fills one score per item, once per user (the buffer is
///   NaN-filled first; NaN ranks as −∞ and is counted). Only the 1 + m candidates are read.
/// - **Rank** (0-based) of p among the candidates: g negatives score above p and t tie with it.
///   With ``TieRule/expected`` (the default) the rank is taken as uniform on g…g+t, as if ties were
///   broken in a random order, and every metric is its **expectation** over that order, computed
///   exactly; the reported rank is its mean g + t/2. A constant scorer (t = m) therefore scores
///   exactly what a random ranking scores on average (HR@K = K/(m+1)), never better.
///   With ``TieRule/pessimistic`` the rank is g + t: every tie counts against the positive.
///   (DisenCDR and UniCDR break ties in whatever order `argsort` leaves them.)
/// - **Metrics** at rank r: HR@K = 1 if r < K; NDCG@K = 1 / log2(r + 2) if r < K, else 0
///   (one relevant item, so the ideal DCG is 1); MRR = 1 / (r + 1) over the full candidate list.
///   Values are fractions in [0, 1]. A random ranking of 1 + 999 candidates gives HR@10 = 0.01,
///   NDCG@10 ≈ 0.00454 and MRR ≈ 0.00749.
///
/// Usage:
///
///     let candidates = try SampledCandidates(split, userCount: users, itemCount: items, negatives: 999, seed: 2040)
///     let evaluator = try SampledRankingEvaluator(ks: [1, 5, 10])
///     let a = evaluator.evaluate(candidates) { user, scores in modelA.scoreAll(user: user, into: scores) }
///     let b = evaluator.evaluate(candidates) { user, scores in modelB.scoreAll(user: user, into: scores) }
///     print(a.report.render())
///     let lift = PairedComparison(metric: "ndcg@10", a.perUser("ndcg@10")!, b.perUser("ndcg@10")!)
///
/// The metric names (`hit_rate@K`, `ndcg@K`, `mrr`) are those of ``TopKEvaluation``, but the
/// figures are not comparable with full-ranking ones: a caller that reports both should prefix
/// these (e.g. `sampled_ndcg@10`).
/// - Complexity: per evaluated user one `score` call (O(items) to fill the buffer) plus O(m) per
///   row, O(t) more with ``TieRule/expected``. Memory O(items) for the buffer plus the result.
public struct SampledRankingEvaluator: Sendable {
    /// How a negative whose score equals the positive's counts.
    public enum TieRule: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Ties in a uniformly random order: each metric is its exact expectation over that order.
        case expected
        /// Every tied negative ranks above the positive.
        case pessimistic

        public var description: String {
            switch self {
            case .expected: return "ties in random order: each metric is its expectation over the order"
            case .pessimistic: return "ties rank above the positive"
            }
        }
    }

    /// Cutoffs, ascending and distinct.
    public let ks: [Int]
    public let ties: TieRule

    /// - Throws: ``EvaluationError`` when `ks` is empty or holds a K below 1.
    public init(ks: [Int] = [1, 5, 10], ties: TieRule = .expected) throws(EvaluationError) {
        guard !ks.isEmpty, ks.allSatisfy({ $0 >= 1 }) else {
            throw EvaluationError("sampled ranking", "'ks' must be a non-empty list of positive integers, got \(ks)")
        }
        self.ks = Array(Set(ks)).sorted()
        self.ties = ties
    }

    /// Ranks every row of `candidates` by the scores `score(user, buffer)` writes (one per item,
    /// `buffer.count == candidates.itemCount`).
    /// - Throws: whatever `score` throws.
    public func evaluate<E: Error>(
        _ candidates: SampledCandidates,
        score: (_ user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) throws(E) -> Void
    ) throws(E) -> SampledRankingEvaluation {
        let rowCount = candidates.rowCount
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: candidates.itemCount)
        defer { scores.deallocate() }
        var ranks = [Double](repeating: 0, count: rowCount)
        var hitRate = [[Double]](repeating: [Double](repeating: 0, count: rowCount), count: ks.count)
        var ndcg = hitRate
        var reciprocalRank = [Double](repeating: 0, count: rowCount)
        var counts = SampledRankingEvaluation.Counts()

        var row = 0
        while row < rowCount {
            let user = candidates.rowUsers[row]
            scores.update(repeating: .nan)
            try score(user, scores)
            while row < rowCount && candidates.rowUsers[row] == user {
                let positive = scores[Int(candidates.positiveItems[row])]
                if positive.isNaN { counts.nanScores += 1 }
                let key = Self.key(positive)
                var above = 0, tied = 0
                for item in candidates.negatives(ofRow: row) {
                    let value = scores[Int(item)]
                    if value.isNaN { counts.nanScores += 1 }
                    let other = Self.key(value)
                    if other > key {
                        above += 1
                    } else if other == key {
                        tied += 1
                    }
                }
                if tied > 0 { counts.rowsWithTies += 1 }
                let (first, last) = ties == .expected ? (above, above + tied) : (above + tied, above + tied)
                ranks[row] = Double(first + last) / 2
                for (index, k) in ks.enumerated() {
                    hitRate[index][row] = Self.meanOverRanks(first, last) { $0 < k ? 1 : 0 }
                    ndcg[index][row] = Self.meanOverRanks(first, last) { $0 < k ? 1 / log2(Double($0 + 2)) : 0 }
                }
                reciprocalRank[row] = Self.meanOverRanks(first, last) { 1 / Double($0 + 1) }
                row += 1
            }
        }
        counts.rowsEvaluated = rowCount
        return SampledRankingEvaluation(
            splitName: candidates.splitName, ks: ks, ties: ties, negativeCount: candidates.negativeCount,
            seed: candidates.seed, rowUsers: candidates.rowUsers, positiveItems: candidates.positiveItems, ranks: ranks,
            hitRate: hitRate, ndcg: ndcg, reciprocalRank: reciprocalRank, candidateCounts: candidates.counts,
            counts: counts)
    }

    /// The ranking key of a score: the score itself, or −∞ for NaN (as ``TopKSelector/key(_:)``).
    @inline(__always)
    static func key(_ score: Float) -> Float { score.isNaN ? -Float.infinity : score }

    /// The mean of `metric(r)` over the ranks r = first…last (first ≤ last).
    @inline(__always)
    static func meanOverRanks(_ first: Int, _ last: Int, _ metric: (Int) -> Double) -> Double {
        var total = 0.0
        for rank in first...last { total += metric(rank) }
        return total / Double(last - first + 1)
    }
}
