internal import Foundation

extension Double {
    /// The Euler–Mascheroni constant γ = −ψ(1).
    static let eulerMascheroni = 0.577_215_664_901_532_860_606_512_090_082_402_431

    /// The digamma function ψ(x) = d/dx ln Γ(x), for x > 0.
    ///
    /// - x ≤ 1e-6: ψ(x) = −γ − 1/x + (π²/6)·x (the Laurent series at 0, error O(x²));
    /// - otherwise the recurrence ψ(x) = ψ(x + 1) − 1/x lifts x to at least 8, where the
    ///   asymptotic series ψ(x) = ln x − 1/(2x) − Σₙ B₂ₙ/(2n·x²ⁿ) is summed through x⁻¹⁴
    ///   (−1/12x² + 1/120x⁴ − 1/252x⁶ + 1/240x⁸ − 1/132x¹⁰ + 691/32760x¹² − 1/12x¹⁴).
    ///
    /// The first omitted term is 3617/(8160·x¹⁶) ≤ 1.6e-15 at x = 8, so the error is a few units
    /// in the last place (plus the rounding of the recurrence's sum). scikit-learn's LDA (after
    /// Bernardo's AS 103) lifts x to 6 and stops at x⁻⁶, an error near 3e-9. Cost: two
    /// divisions, one `log` and two short polynomials; no allocation.
    /// - Returns: −∞ at 0 (the pole), NaN for x < 0 or NaN (LDA only needs positive arguments).
    public static func digamma(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        if x <= 1e-6 { return -eulerMascheroni - 1 / x + 1.644_934_066_848_226_4 * x }
        // ψ(x) = ψ(x + n) − Σ_{i<n} 1/(x + i): the sum as one fraction N/D (all terms positive, so
        // no cancellation; D ≤ 9⁸ cannot overflow), one division instead of n.
        var x = x
        var numerator = 0.0
        var denominator = 1.0
        while x < 8 {
            numerator = numerator * x + denominator
            denominator *= x
            x += 1
        }
        let result = -numerator / denominator
        let r = 1 / x
        let r2 = r * r
        // Horner's scheme in r²: r²/12 − r⁴/120 + r⁶/252 − r⁸/240 + r¹⁰/132 − 691r¹²/32760 + r¹⁴/12.
        let tail = 1.0 / 240 - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 / 12))
        let series = r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * tail)))
        return result + log(x) - 0.5 * r - series
    }
}
