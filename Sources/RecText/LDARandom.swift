internal import Foundation

/// The random draws of LDA's initialization: SplitMix64 (the same sequence as RecData's
/// `SeededGenerator`, which RecText cannot import), Gaussians by Box–Muller and Gamma variates by
/// Marsaglia and Tsang's method.
///
/// - Determinism: the sequence depends on the seed only (and on the platform's `log`, `sin`,
///   `cos`, `sqrt`, which are the same on one build).
struct LDARandom {
    private var state: UInt64
    private var spareGaussian: Double?

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in the open interval (0, 1): 53 random bits, offset by half a step so `log` is finite.
    mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// A standard normal draw (Box–Muller; the second value of each pair is kept for the next call).
    mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        let radius = (-2 * log(nextOpenUnit())).squareRoot()
        let angle = 2 * Double.pi * nextOpenUnit()
        spareGaussian = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A Gamma(shape, scale) draw, mean shape·scale, for shape ≥ 1 (Marsaglia & Tsang 2000:
    /// d = shape − 1/3, c = 1/√(9d); v = (1 + c·z)³ accepted when ln u < z²/2 + d − d·v + d·ln v;
    /// the result is d·v·scale). About 1.02 Gaussian draws per variate at shape 100.
    mutating func nextGamma(shape: Double, scale: Double) -> Double {
        precondition(shape >= 1, "nextGamma needs shape ≥ 1, got \(shape)")
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = nextGaussian()
            let cube = 1 + c * z
            guard cube > 0 else { continue }
            let v = cube * cube * cube
            if log(nextOpenUnit()) < 0.5 * z * z + d - d * v + d * log(v) { return d * v * scale }
        }
    }
}
