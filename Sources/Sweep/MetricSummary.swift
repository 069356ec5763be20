import Foundation

/// One metric of one configuration over its seeds: mean, sample standard deviation and count.
public struct MetricSummary: Sendable, Hashable, Codable {
    public var mean: Double
    /// Sample standard deviation √(Σ(x − mean)² / (n − 1)); nil for a single value.
    public var standardDeviation: Double?
    public var count: Int

    public init(mean: Double, standardDeviation: Double?, count: Int) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.count = count
    }

    /// Summarizes `values` (non-empty), summing in sorted order so the result does not depend on
    /// the order results arrived in (floating-point addition is not associative).
    /// - Complexity: O(n log n).
    public init(values: [Double]) {
        precondition(!values.isEmpty, "MetricSummary needs at least one value")
        let sorted = values.sorted()
        let count = sorted.count
        let mean = sorted.reduce(0, +) / Double(count)
        var deviation: Double?
        if count > 1 {
            let squares = sorted.map { ($0 - mean) * ($0 - mean) }.sorted()
            deviation = (squares.reduce(0, +) / Double(count - 1)).squareRoot()
        }
        self.init(mean: mean, standardDeviation: deviation, count: count)
    }
}
