/// SplitMix64 (Steele, Lea and Flood 2014): the project's one seeded generator. The state advances
/// by the golden-ratio increment and each output is a bijective mix of it, with integer operations
/// only, so its sequence is fixed forever: splits, generated data, initial weights and sampled
/// configurations are identical across runs, machines and Swift versions (unlike
/// `SystemRandomNumberGenerator`, and unlike `shuffled()` whose algorithm may change).
///
/// RecData calls it `SeededGenerator`; RecNN's `NNRandom`, RecText's `LDARandom` and RecData's
/// synthetic-data generator draw their bits from it. The conversions to numbers differ between
/// those users and are kept apart here as differently named methods, so no stream changes:
/// ``nextUnit()`` (53 bits, [0, 1)), ``nextOpenUnit()`` (53 bits plus half a step, (0, 1)) and
/// ``nextFloat()`` (24 bits, [0, 1)).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` by Lemire's multiply-shift with rejection (no modulo bias).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "next(below:) needs a positive bound, got \(bound)")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// Uniform in `0..<bound`: ``next(below:)-(UInt64)`` for an `Int` bound.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "next(below:) needs a positive bound, got \(bound)")
        return Int(next(below: UInt64(bound)))
    }

    /// Uniform in [0, 1) with 53 random bits: (next() >> 11) · 2⁻⁵³.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in the open interval (0, 1): 53 random bits offset by half a step, so `log` of it is
    /// finite: ((next() >> 11) + ½) · 2⁻⁵³.
    public mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// Uniform in [0, 1) with 24 random bits, every value exactly representable: (next() >> 40) · 2⁻²⁴.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Fisher–Yates shuffle with this generator's own, fixed algorithm.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, next(below: i + 1))
        }
    }
}
