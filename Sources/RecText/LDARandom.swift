internal import Foundation
import SeededRandom

/// The random draws of LDA's initialization: SeededRandom's ``SplitMix64`` (the generator of every
/// seeded draw in crossrec), Gaussians by Box–Muller and Gamma variates by Marsaglia and Tsang's method.
///
/// - Determinism: the sequence depends on the seed only (and on the platform's `log`, `sin`,
///   `cos`, `sqrt`, which are the same on one build).
struct LDARandom {
    private var bits: SplitMix64
    private var spareGaussian: Double?

    init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { bits.next() }

    /// Uniform in the open interval (0, 1): ``SplitMix64/nextOpenUnit()``, so `log` is finite.
    mutating func nextOpenUnit() -> Double { bits.nextOpenUnit() }

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
