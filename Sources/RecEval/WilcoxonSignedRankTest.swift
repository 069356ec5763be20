/// Wilcoxon's signed-rank test on paired differences d_i = a_i − b_i, two-sided.
///
/// Zero differences are dropped (Wilcoxon's method; n counts the rest). |d_i| are ranked 1…n with
/// **average ranks for ties**; W+ = Σ_{d_i > 0} rank_i, W− = Σ_{d_i < 0} rank_i, statistic
/// T = min(W+, W−) (as scipy reports it).
///
/// - Normal approximation: μ = n(n + 1)/4, σ² = n(n + 1)(2n + 1)/24 − Σ_g (t_g³ − t_g)/48 over
///   groups of t_g tied |d|; z = (W+ − μ − sign(W+ − μ) · c/2) / σ with c = 1 for the continuity
///   correction (0 without); p = 2 · P(Z ≥ |z|), capped at 1. Equals scipy
///   `wilcoxon(a, b, method="asymptotic", correction=True)` (`zero_method="wilcox"`).
/// - Exact: the null distribution of W+ (each of the 2^n sign patterns equally likely) by dynamic
///   programming; p = min(1, 2 · min(P(W ≥ ⌊W+⌋), P(W ≤ ⌈W+⌉))), as scipy `method="exact"`. Valid
///   without tied |d|; with ties it is conservative (the same rounding scipy uses).
/// - `.automatic` uses the exact distribution when n ≤ 25 and no |d| are tied, else the normal
///   approximation. (scipy's `auto` goes exact up to n = 50 and also avoids it when zeros were
///   dropped; it uses a permutation test for small samples with ties.)
/// - When every difference is zero (n = 0) the statistic and p are NaN.
/// - Complexity: O(n log n) for the ranks; the exact distribution costs O(n³) time, O(n²) memory.
public struct WilcoxonSignedRankTest: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        case automatic, exact, normalApproximation
    }

    /// Non-zero differences (n).
    public let count: Int
    /// Zero differences dropped.
    public let zeroCount: Int
    public let rankSumPositive: Double
    public let rankSumNegative: Double
    /// T = min(W+, W−).
    public let statistic: Double
    /// The z score of the normal approximation (with the correction when used), nil for exact.
    public let z: Double?
    public let pValue: Double
    /// The method actually used (never `.automatic`).
    public let method: Method
    /// Whether some |d| were tied.
    public let hasTies: Bool

    /// - Parameters:
    ///   - a, b: paired values (same users or impressions, same order).
    ///   - method: see the type's documentation.
    ///   - continuityCorrection: subtract 1/2 from |W+ − μ| in the normal approximation.
    public init(_ a: [Double], _ b: [Double], method: Method = .automatic, continuityCorrection: Bool = true) {
        precondition(a.count == b.count, "Wilcoxon test: \(a.count) values against \(b.count)")
        var differences: [Double] = []
        differences.reserveCapacity(a.count)
        var zeros = 0
        for index in a.indices {
            let difference = a[index] - b[index]
            if difference == 0 { zeros += 1 } else { differences.append(difference) }
        }
        let n = differences.count
        zeroCount = zeros
        count = n
        // Average ranks of |d| (1-based), with the tie groups' sizes.
        let order = differences.indices.sorted { abs(differences[$0]) < abs(differences[$1]) }
        var plus = 0.0, minus = 0.0, tieTerm = 0.0
        var ties = false
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n && abs(differences[order[end + 1]]) == abs(differences[order[start]]) { end += 1 }
            let rank = Double(start + end + 2) / 2
            let size = Double(end - start + 1)
            if end > start {
                ties = true
                tieTerm += size * size * size - size
            }
            for slot in start...end {
                if differences[order[slot]] > 0 { plus += rank } else { minus += rank }
            }
            start = end + 1
        }
        rankSumPositive = plus
        rankSumNegative = minus
        hasTies = ties
        guard n > 0 else {
            statistic = .nan
            z = nil
            pValue = .nan
            self.method = method == .exact ? .exact : .normalApproximation
            return
        }
        statistic = min(plus, minus)
        let chosen: Method
        switch method {
        case .automatic: chosen = (n <= 25 && !ties) ? .exact : .normalApproximation
        case .exact, .normalApproximation: chosen = method
        }
        self.method = chosen
        if chosen == .exact {
            z = nil
            pValue = Self.exactTwoSidedP(rankSumPositive: plus, count: n)
        } else {
            let nn = Double(n)
            let mean = nn * (nn + 1) / 4
            let sigma = ((nn * (nn + 1) * (2 * nn + 1) - tieTerm / 2) / 24).squareRoot()
            var score = (plus - mean) / sigma
            if continuityCorrection && score != 0 {
                score -= (score > 0 ? 0.5 : -0.5) / sigma
            }
            z = score
            pValue = min(1, 2 * SpecialFunctions.normalSurvival(abs(score)))
        }
    }

    /// p = min(1, 2 · min(P(W ≥ ⌊w⌋), P(W ≤ ⌈w⌉))) under the exact null distribution of W+ for n
    /// untied ranks: P(W = w) = #{subsets of 1…n summing to w} / 2^n.
    static func exactTwoSidedP(rankSumPositive w: Double, count n: Int) -> Double {
        let maximum = n * (n + 1) / 2
        // Probabilities directly (halving each step) so large n cannot overflow a count.
        var probabilities = [Double](repeating: 0, count: maximum + 1)
        probabilities[0] = 1
        var reach = 0
        for rank in 1...n {
            reach += rank
            var sum = reach
            while sum >= 0 {
                let without = probabilities[sum]
                let with = sum >= rank ? probabilities[sum - rank] : 0
                probabilities[sum] = (without + with) / 2
                sum -= 1
            }
        }
        let upperFrom = max(0, min(maximum, Int(w.rounded(.down))))
        let lowerTo = max(0, min(maximum, Int(w.rounded(.up))))
        var upperTail = 0.0
        for sum in upperFrom...maximum { upperTail += probabilities[sum] }
        var lowerTail = 0.0
        for sum in 0...lowerTo { lowerTail += probabilities[sum] }
        return min(1, 2 * min(upperTail, lowerTail))
    }
}
