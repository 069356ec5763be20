import Foundation
import SeededRandom

/// The synthetic generator's pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// Every part of the generator draws from its own stream, named by `(seed, stream)`, so the
/// catalog does not change when the number of users changes and one user's data does not depend
/// on the users generated before it.
/// - Determinism: the integer stream is identical on every platform. Draws that go through
///   `log`, `exp`, `pow`, `cos` (normal, gamma, exponential) use the platform's libm, which may
///   differ in the last bit between C libraries; on one platform the output is byte-identical.
struct SyntheticRandom: RandomNumberGenerator {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator for sub-stream `stream` of `seed`: xoshiro's state is the first four outputs of
    /// ``SeededRandom/SplitMix64`` seeded with a mix of the two.
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1), 53 random bits.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in `0..<count` (multiply-high; the bias is below count / 2^64).
    @inline(__always)
    mutating func index(_ count: Int) -> Int {
        precondition(count > 0, "SyntheticRandom.index(\(count)): count must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(count)).high)
    }

    /// Uniform in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + index(range.count) }

    /// True with probability `probability`.
    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Standard normal N(0, 1) by Box–Muller (one value per call).
    mutating func normal() -> Double {
        let u1 = 1 - unit()  // (0, 1]
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Exponential with the given mean.
    mutating func exponential(mean: Double) -> Double { -log(1 - unit()) * mean }

    /// Gamma(shape, 1) by Marsaglia–Tsang; shapes below 1 use the boost Gamma(shape + 1) · U^(1/shape).
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let boost = pow(1 - unit(), 1 / shape)
            return gamma(shape: shape + 1) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - unit()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// A draw from the symmetric Dirichlet(concentration, …, concentration) over `count` outcomes.
    mutating func dirichlet(count: Int, concentration: Double) -> [Double] {
        var values = (0..<count).map { _ in gamma(shape: concentration) }
        let total = values.reduce(0, +)
        if total > 0 {
            for k in values.indices { values[k] /= total }
        } else {
            values = Array(repeating: 1 / Double(count), count: count)
        }
        return values
    }

    /// Shuffles `array` in place (Fisher–Yates over this stream, unlike `shuffle()` whose algorithm may change).
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, index(i + 1))
        }
    }
}

extension SyntheticRandom {
    /// Zipf-like popularity: the item of (shuffled) rank r gets weight 1 / (r + 10)^0.9.
    mutating func zipfPopularity(count: Int) -> [Double] {
        var ranks = Array(0..<count)
        shuffle(&ranks)
        return ranks.map { 1 / pow(Double($0 + 10), 0.9) }
    }

    /// `count` distinct indices drawn from `sampler`, in draw order. `sampler` must have at least
    /// `count` indices of positive weight.
    mutating func distinctDraws(_ count: Int, from sampler: WeightedSampler) -> [Int] {
        var result: [Int] = []
        while result.count < count {
            let candidate = sampler.draw(&self)
            if !result.contains(candidate) { result.append(candidate) }
        }
        return result
    }
}

/// Draws indices with probability proportional to fixed non-negative weights.
///
/// - Complexity: O(n) to build, O(log n) per draw (binary search over cumulative sums).
struct WeightedSampler {
    /// Running sums of the weights; `cumulative[i]` is the sum of weights 0...i.
    private let cumulative: [Double]
    let total: Double

    init(weights: [Double]) {
        var sums: [Double] = []
        sums.reserveCapacity(weights.count)
        var running = 0.0
        for weight in weights {
            precondition(weight >= 0 && weight.isFinite, "WeightedSampler given weight \(weight)")
            running += weight
            sums.append(running)
        }
        cumulative = sums
        total = running
    }

    var isEmpty: Bool { total <= 0 }

    /// An index with probability weight / total. The sampler must not be empty.
    @inline(__always)
    func draw(_ random: inout SyntheticRandom) -> Int {
        let target = random.unit() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
