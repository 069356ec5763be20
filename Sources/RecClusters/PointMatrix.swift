/// Points to cluster: `count` rows of `dimension` coordinates, row-major in one flat buffer.
///
/// - Invariant: `values.count == count × dimension`, every value finite (checked by the throwing
///   initializer; clustering code assumes it).
public struct PointMatrix: Sendable, Equatable {
    public let count: Int
    public let dimension: Int
    public let values: [Double]

    /// - Throws: ``ClusteringError`` when the buffer does not hold `count × dimension` values or
    ///   holds a NaN or an infinity (say which point).
    public init(count: Int, dimension: Int, values: [Double]) throws(ClusteringError) {
        guard count >= 0, dimension >= 1 else {
            throw ClusteringError("points need a dimension of at least 1 and a non-negative count, got \(count) × \(dimension)")
        }
        guard values.count == count * dimension else {
            throw ClusteringError("\(count) points of dimension \(dimension) need \(count * dimension) values, got \(values.count)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw ClusteringError("point \(bad / dimension) has a non-finite coordinate (\(values[bad])); drop or repair it first")
        }
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// One array per point.
    public init(rows: [[Double]]) throws(ClusteringError) {
        let dimension = rows.first?.count ?? 1
        guard rows.allSatisfy({ $0.count == dimension }) else {
            throw ClusteringError("every point needs \(dimension) coordinates like the first")
        }
        try self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    /// Point `index`'s coordinates.
    public func point(_ index: Int) -> ArraySlice<Double> { values[(index * dimension)..<((index + 1) * dimension)] }

    /// Each point scaled to length 1 (a zero point stays zero): k-means on the result clusters by
    /// direction (cosine geometry) rather than by length, which for factor models mostly tracks
    /// how active a user is.
    public func normalizedRows() -> PointMatrix {
        var scaled = values
        for i in 0..<count {
            var norm = 0.0
            for j in 0..<dimension { norm += values[i * dimension + j] * values[i * dimension + j] }
            guard norm > 0 else { continue }
            let inverse = 1 / norm.squareRoot()
            for j in 0..<dimension { scaled[i * dimension + j] *= inverse }
        }
        return PointMatrix(unchecked: count, dimension: dimension, values: scaled)
    }

    /// The points at `indices`, in that order.
    public func subset(_ indices: [Int]) -> PointMatrix {
        var picked: [Double] = []
        picked.reserveCapacity(indices.count * dimension)
        for i in indices { picked += point(i) }
        return PointMatrix(unchecked: indices.count, dimension: dimension, values: picked)
    }

    init(unchecked count: Int, dimension: Int, values: [Double]) {
        self.count = count
        self.dimension = dimension
        self.values = values
    }

    /// ‖a − b‖² between point `a` and `centroid` (a buffer of `dimension` values at `offset`).
    @inline(__always)
    static func squaredDistance(
        _ points: UnsafeBufferPointer<Double>, _ a: Int, _ other: UnsafeBufferPointer<Double>, _ b: Int, dimension: Int
    ) -> Double {
        var sum = 0.0
        let x = a * dimension, y = b * dimension
        for j in 0..<dimension {
            let d = points[x + j] - other[y + j]
            sum += d * d
        }
        return sum
    }
}
