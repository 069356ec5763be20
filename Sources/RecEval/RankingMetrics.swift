import Foundation

/// Top-K ranking metrics of one user, computed from the hit vector of a ranked list.
///
/// `hits[r]` tells whether the item at rank `r + 1` is relevant (ranks are 1-based; the list is
/// ordered as ``TopKSelector`` orders it). The list may be shorter than K (fewer candidates than
/// K): missing positions count as misses. `R` is the number of relevant items the user has among
/// the candidates, and `h@K = Σ_{r ≤ K} hit_r`.
///
/// Convention for `R = 0` (no relevant item): recall, nDCG and AP are 0. The evaluation protocols
/// never average such users: they are skipped and counted (see ``TopKEvaluator``).
/// - Complexity: every metric is O(K) time and allocates nothing.
public enum RankingMetrics {
    /// precision@K = h@K / K. The denominator is K even when the list is shorter than K.
    public static func precision(hits: some Collection<Bool>, k: Int) -> Double {
        precondition(k >= 1, "precision@K needs K ≥ 1, got \(k)")
        return Double(hitCount(hits, k: k)) / Double(k)
    }

    /// recall@K = h@K / R (0 when R = 0).
    public static func recall(hits: some Collection<Bool>, k: Int, relevantCount: Int) -> Double {
        precondition(k >= 1, "recall@K needs K ≥ 1, got \(k)")
        guard relevantCount > 0 else { return 0 }
        let found = hitCount(hits, k: k)
        precondition(found <= relevantCount, "recall@K: \(found) hits but only \(relevantCount) relevant items")
        return Double(found) / Double(relevantCount)
    }

    /// hit rate@K = 1 if h@K > 0, else 0.
    public static func hitRate(hits: some Collection<Bool>, k: Int) -> Double {
        precondition(k >= 1, "hit rate@K needs K ≥ 1, got \(k)")
        return hitCount(hits, k: k) > 0 ? 1 : 0
    }

    /// nDCG@K with binary gains: DCG@K = Σ_{r=1}^{K} hit_r / log2(r + 1), divided by the ideal
    /// IDCG@K = Σ_{r=1}^{min(R, K)} 1 / log2(r + 1) (all relevant items ranked first). 0 when R = 0.
    public static func ndcg(hits: some Collection<Bool>, k: Int, relevantCount: Int) -> Double {
        precondition(k >= 1, "nDCG@K needs K ≥ 1, got \(k)")
        guard relevantCount > 0 else { return 0 }
        var dcg = 0.0
        var rank = 1
        for hit in hits.prefix(k) {
            if hit { dcg += discount(rank) }
            rank += 1
        }
        return dcg / idealDCG(relevantCount: relevantCount, k: k)
    }

    /// AP@K = (1 / min(R, K)) · Σ_{r=1}^{K} hit_r · h@r / r (average precision truncated at K,
    /// normalised by the most hits K positions can hold). 0 when R = 0. MAP@K is its mean over users.
    public static func averagePrecision(hits: some Collection<Bool>, k: Int, relevantCount: Int) -> Double {
        precondition(k >= 1, "AP@K needs K ≥ 1, got \(k)")
        guard relevantCount > 0 else { return 0 }
        var sum = 0.0
        var found = 0
        var rank = 1
        for hit in hits.prefix(k) {
            if hit {
                found += 1
                sum += Double(found) / Double(rank)
            }
            rank += 1
        }
        return sum / Double(min(relevantCount, k))
    }

    /// RR = 1 / rank of the first relevant item in the **full** ranking (no cutoff), 0 when no
    /// item of the ranking is relevant. MRR is its mean over users.
    public static func reciprocalRank(firstRelevantRank rank: Int?) -> Double {
        guard let rank else { return 0 }
        precondition(rank >= 1, "ranks are 1-based, got \(rank)")
        return 1 / Double(rank)
    }

    /// RR of a full ranking given as a hit vector: 1 / (index of the first hit + 1), 0 without hits.
    public static func reciprocalRank(hits: some Collection<Bool>) -> Double {
        var rank = 1
        for hit in hits {
            if hit { return 1 / Double(rank) }
            rank += 1
        }
        return 0
    }

    /// The position discount 1 / log2(rank + 1) of a 1-based rank.
    @inline(__always)
    public static func discount(_ rank: Int) -> Double { 1 / log2(Double(rank + 1)) }

    /// IDCG@K = Σ_{r=1}^{min(R, K)} 1 / log2(r + 1).
    public static func idealDCG(relevantCount: Int, k: Int) -> Double {
        var ideal = 0.0
        let positions = min(relevantCount, k)
        if positions >= 1 {
            for rank in 1...positions { ideal += discount(rank) }
        }
        return ideal
    }

    @inline(__always)
    static func hitCount(_ hits: some Collection<Bool>, k: Int) -> Int {
        var found = 0
        for hit in hits.prefix(k) where hit { found += 1 }
        return found
    }
}
