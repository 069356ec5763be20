import SeededRandom

/// The silhouette of a partition (Rousseeuw 1987): how much closer each point is to its own
/// cluster than to the nearest other one.
///
/// s(i) = (b(i) − a(i)) / max(a(i), b(i)), a(i) the mean Euclidean distance from i to the other
/// members of its cluster, b(i) the smallest mean distance from i to the members of another
/// cluster; s(i) = 0 for a point alone in its cluster. The score is the mean of s(i), in [−1, 1]
/// (1: tight, well separated clusters). NaN when fewer than 2 clusters have members.
/// - Sampling: exact on up to `sampleLimit` points; above that on a uniform subset of
///   `sampleLimit` points drawn with `seed` (distances only among the subset, as scikit-learn's
///   `sample_size`), and ``pointsUsed`` says so.
/// - Complexity: O(m² × d) time for m = min(n, sampleLimit) points, O(m + k) memory.
public struct Silhouette: Sendable, Equatable, Codable {
    /// Mean s(i) over the points used.
    public var score: Double
    /// Points whose s(i) was averaged: all of them, or the sample.
    public var pointsUsed: Int
    public var isSampled: Bool

    public static let defaultSampleLimit = 3000

    /// - Precondition: `assignments.count == points.count`, labels in 0..<clusters.
    public init(
        _ points: PointMatrix, assignments: [Int], clusters: Int, sampleLimit: Int = defaultSampleLimit, seed: UInt64 = 1
    ) {
        precondition(assignments.count == points.count, "silhouette: \(assignments.count) labels for \(points.count) points")
        precondition(assignments.allSatisfy { (0..<clusters).contains($0) }, "silhouette: a label outside 0..<\(clusters)")
        var used = Array(0..<points.count)
        isSampled = points.count > max(sampleLimit, 2)
        if isSampled {
            var generator = SplitMix64(seed: seed)
            generator.shuffle(&used)
            used = Array(used.prefix(max(sampleLimit, 2))).sorted()
        }
        pointsUsed = used.count
        let labels = used.map { assignments[$0] }
        var sizes = [Int](repeating: 0, count: clusters)
        for c in labels { sizes[c] += 1 }
        guard sizes.filter({ $0 > 0 }).count >= 2 else {
            score = .nan
            return
        }
        let d = points.dimension
        var total = 0.0
        var sums = [Double](repeating: 0, count: clusters)
        points.values.withUnsafeBufferPointer { x in
            for (a, i) in used.enumerated() {
                for c in 0..<clusters { sums[c] = 0 }
                for (b, j) in used.enumerated() where b != a {
                    sums[labels[b]] += PointMatrix.squaredDistance(x, i, x, j, dimension: d).squareRoot()
                }
                let own = labels[a]
                guard sizes[own] > 1 else { continue }  // a singleton counts 0
                let within = sums[own] / Double(sizes[own] - 1)
                var between = Double.infinity
                for c in 0..<clusters where c != own && sizes[c] > 0 { between = min(between, sums[c] / Double(sizes[c])) }
                let larger = max(within, between)
                if larger > 0 { total += (between - within) / larger }
            }
        }
        score = total / Double(used.count)
    }
}
