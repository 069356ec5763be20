/// Catalogue coverage@K accumulated over users:
/// coverage@K = |⋃_u topK(u)| / |C|, the distinct items that appear in any evaluated user's top K,
/// divided by the number of candidate items `|C|` (the items that could be recommended to someone:
/// every item under `.allItems`, the items with a training interaction under `.itemsSeenInTraining`).
///
/// One pass serves every K: the counter keeps, per item, the best rank at which any user saw it.
/// - Complexity: O(items) memory, allocated once; O(K) per recorded list; O(items) per query.
public struct CatalogCoverage: Sendable {
    /// Best 1-based rank per item over all recorded lists; `Int32.max` when never recommended.
    private var bestRank: [Int32]
    /// |C|, the denominator.
    public let candidateCount: Int

    public init(itemCount: Int, candidateCount: Int) {
        precondition(
            candidateCount >= 0 && candidateCount <= itemCount, "coverage: \(candidateCount) of \(itemCount) items")
        bestRank = [Int32](repeating: .max, count: itemCount)
        self.candidateCount = candidateCount
    }

    /// Records one user's ranked list (best first).
    public mutating func record(_ ranked: some Collection<Int32>) {
        var rank: Int32 = 1
        for item in ranked {
            if rank < bestRank[Int(item)] { bestRank[Int(item)] = rank }
            rank += 1
        }
    }

    /// Distinct items recommended within the top `k` of any recorded list.
    public func distinctItems(k: Int) -> Int {
        var distinct = 0
        for rank in bestRank where Int(rank) <= k { distinct += 1 }
        return distinct
    }

    /// coverage@K = distinct items in any top K / |C| (0 when |C| = 0).
    public func coverage(k: Int) -> Double {
        guard candidateCount > 0 else { return 0 }
        return Double(distinctItems(k: k)) / Double(candidateCount)
    }
}
