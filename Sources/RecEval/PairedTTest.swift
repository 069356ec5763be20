/// Student's paired t-test on differences d_i = a_i − b_i, i = 1…n (n ≥ 2).
///
/// d̄ = Σ d_i / n, s = sqrt(Σ (d_i − d̄)² / (n − 1)), t = d̄ / (s / √n), df = n − 1,
/// p = P(|T_df| ≥ |t|) = I_{df/(df + t²)}(df/2, 1/2) (two-sided; regularized incomplete beta).
/// As scipy's `ttest_rel`: when s = 0, t = ±∞ and p = 0 if d̄ ≠ 0, and t = p = NaN if d̄ = 0.
/// - Complexity: O(n) time, no allocation.
public struct PairedTTest: Sendable, Equatable, Codable {
    public let count: Int
    /// d̄, the mean of a − b.
    public let meanDifference: Double
    /// s, the sample standard deviation of the differences.
    public let standardDeviation: Double
    public let t: Double
    public let degreesOfFreedom: Int
    /// Two-sided p-value.
    public let pValue: Double

    /// Tests `a` against `b`, paired by position (same users or impressions, same order).
    public init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "paired t-test: \(a.count) values against \(b.count)")
        precondition(a.count >= 2, "paired t-test needs at least 2 pairs, got \(a.count)")
        let n = a.count
        var mean = 0.0
        for index in 0..<n { mean += a[index] - b[index] }
        mean /= Double(n)
        var squares = 0.0
        for index in 0..<n {
            let deviation = a[index] - b[index] - mean
            squares += deviation * deviation
        }
        let deviation = (squares / Double(n - 1)).squareRoot()
        let t: Double
        if deviation == 0 {
            t = mean == 0 ? .nan : (mean > 0 ? .infinity : -.infinity)
        } else {
            t = mean / (deviation / Double(n).squareRoot())
        }
        count = n
        meanDifference = mean
        standardDeviation = deviation
        self.t = t
        degreesOfFreedom = n - 1
        pValue = SpecialFunctions.studentTTwoSidedP(t, degreesOfFreedom: Double(n - 1))
    }
}
