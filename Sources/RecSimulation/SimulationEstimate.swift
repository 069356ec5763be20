/// A mean over simulated sessions with its 95 % confidence interval (normal approximation: the
/// simulator runs thousands of sessions; with fewer than 30 the interval says nothing useful and
/// `lower`/`upper` are still the normal ones).
public struct SimulationEstimate: Sendable, Hashable, Codable {
    public var mean: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double

    /// The mean of `values` and mean ± 1.96 standard errors (sample standard deviation).
    public init(values: [Double]) {
        let n = Double(values.count)
        let average = values.isEmpty ? .nan : values.reduce(0, +) / n
        mean = average
        let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / (n - 1) : .nan
        standardError = (variance / n).squareRoot()
        lower = mean - 1.96 * standardError
        upper = mean + 1.96 * standardError
    }

    public func covers(_ value: Double) -> Bool { lower <= value && value <= upper }
}
