import SeededRandom

/// The seeded generator of RecNN: initial weights, dropout masks, shuffles.
///
/// Its bits come from SeededRandom's ``SplitMix64`` (Steele, Lea and Flood 2014), whose sequence is
/// fixed forever and uses only integer operations; `normal` uses only IEEE-754 +, −, ×, ÷ and √
/// (all correctly rounded) and a logarithm written here, not the platform's libm, whose last bit
/// may differ between glibc and Darwin. So a seed gives the same numbers on every platform and
/// Swift version.
///
/// It deliberately does not conform to `RandomNumberGenerator`: the standard library's
/// `shuffle(using:)` and `random(in:using:)` may change their algorithms between versions.
public struct NNRandom: Sendable {
    private var bits: SplitMix64

    public init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { bits.next() }

    /// Uniform in [0, 1): the top 24 bits of `next()` times 2⁻²⁴, every value exactly representable.
    public mutating func nextFloat() -> Float { bits.nextFloat() }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { bits.nextUnit() }

    /// Uniform in `0..<bound` by Lemire's multiply-shift with rejection (no modulo bias).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        return bits.next(below: bound)
    }

    /// Uniform in `range`: lower + (upper − lower) · u with u from ``nextFloat()``.
    public mutating func uniform(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat()
    }

    /// A normal deviate N(mean, std²) by Marsaglia's polar method, in Double: draw (x, y) uniform in
    /// the square (−1, 1)² until s = x² + y² lies in (0, 1), then x · √(−2 ln s / s) is standard
    /// normal. Of the pair the method yields, the second (y · …) is dropped, so each call depends
    /// only on the state, not on a cached value. Draws 2 × 4/π ≈ 2.55 words of `next()` on average.
    public mutating func normal(mean: Float = 0, std: Float = 1) -> Float {
        while true {
            let x = 2 * nextDouble() - 1
            let y = 2 * nextDouble() - 1
            let s = x * x + y * y
            if s > 0 && s < 1 {
                let z = x * (-2 * Self.naturalLog(s) / s).squareRoot()
                return mean + std * Float(z)
            }
        }
    }

    /// Fisher–Yates shuffle with this generator's own, fixed algorithm.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    /// ln x for a normal, finite x > 0 from IEEE basic operations only, so it is the same on every
    /// platform: x = m · 2ᵉ with m in [√½, √2) (exact bit manipulation), then
    /// ln m = 2 atanh(t) = 2 (t + t³/3 + t⁵/5 + …) with t = (m − 1)/(m + 1), |t| ≤ 0.1716; the terms
    /// through t²⁷ leave a remainder below 10⁻²¹ of ln m. Within a few ulp of libm's `log`.
    static func naturalLog(_ x: Double) -> Double {
        precondition(x > 0 && x.isNormal, "naturalLog needs a normal positive number, got \(x)")
        var exponent = Double(Int(x.exponent))
        var m = x.significand
        if m > 1.414_213_562_373_095_1 {
            m /= 2
            exponent += 1
        }
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        var power = t
        var sum = t
        for k in stride(from: 3, through: 27, by: 2) {
            power *= t2
            sum += power / Double(k)
        }
        return 2 * sum + exponent * 0.693_147_180_559_945_3
    }
}
