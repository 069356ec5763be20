/// The result of ``KMeans/fit(_:)``: a partition of the points and its centroids.
public struct KMeansFit: Sendable, Equatable, Codable {
    public var clusters: Int
    public var dimension: Int
    /// Cluster of each point, 0..<clusters; cluster 0 is the largest.
    public var assignments: [Int]
    /// clusters × dimension, row-major.
    public var centroids: [Double]
    /// Σ_i ‖x_i − μ_c(i)‖² of the kept restart.
    public var inertia: Double
    /// Lloyd iterations of the kept restart.
    public var iterations: Int
    /// Whether the kept restart stopped because no assignment changed (not at the iteration cap).
    public var converged: Bool
    /// Empty clusters moved to a far point during the kept restart.
    public var reseeds: Int
    /// Final inertia of every restart, in the order they ran.
    public var restartInertias: [Double]

    /// Points per cluster.
    public var sizes: [Int] {
        var sizes = [Int](repeating: 0, count: clusters)
        for c in assignments { sizes[c] += 1 }
        return sizes
    }

    /// The same partition with clusters numbered by size, largest first (ties: lower first point).
    func relabelledBySize() -> KMeansFit {
        let sizes = sizes
        var firstPoint = [Int](repeating: Int.max, count: clusters)
        for (i, c) in assignments.enumerated() where firstPoint[c] == Int.max { firstPoint[c] = i }
        let order = (0..<clusters).sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && firstPoint[$0] < firstPoint[$1]) }
        var newLabel = [Int](repeating: 0, count: clusters)
        for (label, old) in order.enumerated() { newLabel[old] = label }
        var result = self
        result.assignments = assignments.map { newLabel[$0] }
        for (label, old) in order.enumerated() {
            for j in 0..<dimension { result.centroids[label * dimension + j] = centroids[old * dimension + j] }
        }
        return result
    }
}
