import SeededRandom

/// k-means (Lloyd's algorithm) with k-means++ seeding and several restarts.
///
/// Minimises the inertia Σ_i ‖x_i − μ_c(i)‖² over assignments c and centroids μ:
/// - Seeding (Arthur and Vassilvitskii 2007): the first centroid is a uniform point; each next one
///   is point x with probability D(x)² / Σ D², D(x) the distance to the nearest centroid chosen so
///   far (a uniform point when every D is 0, i.e. fewer distinct points than k).
/// - Lloyd steps: assign every point to its nearest centroid (ties to the lower index), move each
///   centroid to its members' mean; stop when no assignment changes or after `maximumIterations`.
/// - Empty clusters: a centroid left without members is moved to the point farthest from its own
///   centroid (a point not already taken by another empty cluster in the same step), which starts
///   its own cluster at the next assignment; ``KMeansFit/reseeds`` counts these moves.
/// - Restarts: `restarts` seedings drawn in turn from one ``SplitMix64`` stream of `seed`; the fit
///   with the lowest inertia is kept (the earliest on a tie).
/// - Labels: clusters are renumbered by size, largest first (ties: the cluster holding the lower
///   point index first), so the same partition always has the same labels.
/// - Complexity: O(restarts × (k + iterations × k) × n × d) time, O(n + k × d) memory per restart.
/// - Determinism: identical results for a given seed and input on every machine (integer random
///   stream, fixed summation order).
public struct KMeans: Sendable, Hashable {
    public var clusters: Int
    public var restarts: Int
    public var maximumIterations: Int
    public var seed: UInt64

    public init(clusters: Int, restarts: Int = 10, maximumIterations: Int = 100, seed: UInt64 = 1) {
        self.clusters = clusters
        self.restarts = restarts
        self.maximumIterations = maximumIterations
        self.seed = seed
    }

    /// - Throws: ``ClusteringError`` when k < 1, k exceeds the number of points, or restarts or
    ///   iterations are below 1.
    public func fit(_ points: PointMatrix) throws(ClusteringError) -> KMeansFit {
        guard clusters >= 1 else { throw ClusteringError("k must be at least 1, got \(clusters)") }
        guard points.count >= clusters else {
            throw ClusteringError("k = \(clusters) clusters need at least \(clusters) points, got \(points.count); lower k")
        }
        guard restarts >= 1 else { throw ClusteringError("restarts must be at least 1, got \(restarts)") }
        guard maximumIterations >= 1 else {
            throw ClusteringError("maximum iterations must be at least 1, got \(maximumIterations)")
        }
        var generator = SplitMix64(seed: seed)
        var best: KMeansFit?
        var inertias: [Double] = []
        for _ in 0..<restarts {
            let centroids = Self.seedCentroids(points, k: clusters, generator: &generator)
            let fit = lloyd(points, centroids: centroids)
            inertias.append(fit.inertia)
            if best == nil || fit.inertia < best!.inertia { best = fit }
        }
        var result = best!.relabelledBySize()
        result.restartInertias = inertias
        return result
    }

    /// k-means++ seeding: k centroids (k × d, row-major).
    static func seedCentroids(_ points: PointMatrix, k: Int, generator: inout SplitMix64) -> [Double] {
        let n = points.count, d = points.dimension
        var centroids = [Double](repeating: 0, count: k * d)
        var nearest = [Double](repeating: .infinity, count: n)
        var chosen = generator.next(below: n)
        points.values.withUnsafeBufferPointer { x in
            for c in 0..<k {
                for j in 0..<d { centroids[c * d + j] = x[chosen * d + j] }
                guard c + 1 < k else { break }
                var total = 0.0
                centroids.withUnsafeBufferPointer { m in
                    for i in 0..<n {
                        let distance = PointMatrix.squaredDistance(x, i, m, c, dimension: d)
                        if distance < nearest[i] { nearest[i] = distance }
                        total += nearest[i]
                    }
                }
                if total > 0 {
                    var target = generator.nextUnit() * total
                    chosen = n - 1
                    for i in 0..<n {
                        target -= nearest[i]
                        if target < 0 && nearest[i] > 0 {
                            chosen = i
                            break
                        }
                    }
                    while nearest[chosen] == 0 { chosen -= 1 }  // rounding left the target past the end
                } else {
                    chosen = generator.next(below: n)
                }
            }
        }
        return centroids
    }

    /// Lloyd iterations from `centroids` until no assignment changes.
    func lloyd(_ points: PointMatrix, centroids start: [Double]) -> KMeansFit {
        let n = points.count, d = points.dimension, k = clusters
        var centroids = start
        var assignment = [Int](repeating: -1, count: n)
        var distances = [Double](repeating: 0, count: n)
        var iterations = 0, reseeds = 0
        var converged = false
        points.values.withUnsafeBufferPointer { x in
            while iterations < maximumIterations {
                iterations += 1
                var changed = false
                centroids.withUnsafeBufferPointer { m in
                    for i in 0..<n {
                        var bestCluster = 0
                        var bestDistance = Double.infinity
                        for c in 0..<k {
                            let distance = PointMatrix.squaredDistance(x, i, m, c, dimension: d)
                            if distance < bestDistance {
                                bestDistance = distance
                                bestCluster = c
                            }
                        }
                        if assignment[i] != bestCluster {
                            assignment[i] = bestCluster
                            changed = true
                        }
                        distances[i] = bestDistance
                    }
                }
                if !changed {
                    converged = true
                    break
                }
                var sums = [Double](repeating: 0, count: k * d)
                var sizes = [Int](repeating: 0, count: k)
                for i in 0..<n {
                    let c = assignment[i]
                    sizes[c] += 1
                    for j in 0..<d { sums[c * d + j] += x[i * d + j] }
                }
                var taken = Set<Int>()
                for c in 0..<k {
                    if sizes[c] > 0 {
                        for j in 0..<d { centroids[c * d + j] = sums[c * d + j] / Double(sizes[c]) }
                        continue
                    }
                    // Empty: move to the point farthest from its centroid, not yet taken this step.
                    var farthest = -1
                    for i in 0..<n where !taken.contains(i) && (farthest < 0 || distances[i] > distances[farthest]) {
                        farthest = i
                    }
                    taken.insert(farthest)
                    distances[farthest] = 0
                    for j in 0..<d { centroids[c * d + j] = x[farthest * d + j] }
                    reseeds += 1
                }
            }
        }
        // Inertia against the final centroids and assignment.
        var inertia = 0.0
        points.values.withUnsafeBufferPointer { x in
            centroids.withUnsafeBufferPointer { m in
                for i in 0..<n { inertia += PointMatrix.squaredDistance(x, i, m, assignment[i], dimension: d) }
            }
        }
        return KMeansFit(
            clusters: k, dimension: d, assignments: assignment, centroids: centroids, inertia: inertia,
            iterations: iterations, converged: converged, reseeds: reseeds, restartInertias: [])
    }
}
