import RecData

/// Percentile bootstrap confidence interval of the mean paired difference d_i = a_i − b_i.
///
/// For b = 1…B: draw n indices uniformly with replacement (``SeededGenerator``, SplitMix64, with
/// `next(below:)`), take the mean m_b of the drawn d_i. With α = 1 − confidence, the interval is
/// [q(α/2), q(1 − α/2)] of the sorted m_b, q the linear-interpolation quantile at position
/// q · (B − 1) (numpy's default `percentile`). Same inputs and seed give the same interval.
/// - Complexity: O(B · n) time, O(B) memory.
public struct BootstrapInterval: Sendable, Equatable, Codable {
    /// d̄ of the original sample.
    public let meanDifference: Double
    public let lower: Double
    public let upper: Double
    public let confidence: Double
    public let resamples: Int
    public let seed: UInt64

    public init(_ a: [Double], _ b: [Double], resamples: Int = 10_000, confidence: Double = 0.95, seed: UInt64) {
        precondition(a.count == b.count, "bootstrap: \(a.count) values against \(b.count)")
        precondition(!a.isEmpty, "bootstrap needs at least one pair")
        precondition(resamples >= 1, "bootstrap needs at least one resample, got \(resamples)")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got \(confidence)")
        let n = a.count
        var differences = [Double](repeating: 0, count: n)
        var total = 0.0
        for index in 0..<n {
            differences[index] = a[index] - b[index]
            total += differences[index]
        }
        var generator = SeededGenerator(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            var sum = 0.0
            for _ in 0..<n { sum += differences[generator.next(below: n)] }
            means[resample] = sum / Double(n)
        }
        means.sort()
        let alpha = 1 - confidence
        meanDifference = total / Double(n)
        lower = SpecialFunctions.quantile(sorted: means, alpha / 2)
        upper = SpecialFunctions.quantile(sorted: means, 1 - alpha / 2)
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
    }
}
