import Foundation

/// Distribution functions for the significance tests, in `Double`.
enum SpecialFunctions {
    /// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), by the continued
    /// fraction of Numerical Recipes §6.4 (modified Lentz), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    /// - Complexity: O(√max(a, b)) iterations; relative accuracy about 1e-14.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0, got \(a), \(b)")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - front * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }

    /// Two-sided p-value of Student's t with `df` degrees of freedom:
    /// P(|T| ≥ |t|) = I_{df/(df + t²)}(df/2, 1/2). 0 for infinite t, NaN for NaN t.
    static func studentTTwoSidedP(_ t: Double, degreesOfFreedom df: Double) -> Double {
        if t.isNaN { return .nan }
        if t.isInfinite { return 0 }
        return regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
    }

    /// Student's t CDF: F(t) = 1 − I_{df/(df+t²)}(df/2, 1/2) / 2 for t ≥ 0, symmetric below 0.
    static func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let tail = studentTTwoSidedP(t, degreesOfFreedom: df) / 2
        return t >= 0 ? 1 - tail : tail
    }

    /// Standard normal upper tail P(Z ≥ z) = erfc(z / √2) / 2.
    static func normalSurvival(_ z: Double) -> Double { erfc(z / 2.0.squareRoot()) / 2 }

    /// Quantile of sorted values by linear interpolation at position q · (n − 1) (numpy's default
    /// `percentile` method, "linear", type 7 of Hyndman & Fan).
    static func quantile(sorted values: [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty && q >= 0 && q <= 1, "quantile \(q) of \(values.count) values")
        let position = q * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        return values[lower] + (values[upper] - values[lower]) * fraction
    }
}
