import Foundation
import ParameterSpecs
import SeededRandom

/// Draws from random ``ParameterSpace``s with a ``SplitMix64`` stream.
///
/// Drawn doubles are rounded to 6 significant digits (then clamped into the space): labels stay
/// readable, a drawn configuration can be typed back as `--param`, and last-bit differences between
/// platforms' `log`/`exp` cannot change a trial's identity.
enum Sampling {
    static let significantDigits = 6

    /// One value from a random space (precondition: `space.isRandom`).
    static func draw(_ space: ParameterSpace, using generator: inout SplitMix64) -> ParameterValue {
        switch space {
        case .uniform(let low, let high, let integer):
            if integer {
                let lower = Int(low.rounded(.up)), upper = Int(high.rounded(.down))
                return .int(lower + Int(generator.next(below: UInt64(upper - lower) + 1)))
            }
            let value = low + (high - low) * generator.nextUnit()
            return .double(min(max(roundSignificant(value, digits: significantDigits), low), high))
        case .logUniform(let low, let high, let integer):
            let value = exp(log(low) + (log(high) - log(low)) * generator.nextUnit())
            if integer {
                let lower = Int(low.rounded(.up)), upper = Int(high.rounded(.down))
                return .int(min(max(Int(value.rounded()), lower), upper))
            }
            return .double(min(max(roundSignificant(value, digits: significantDigits), low), high))
        case .choice(let values):
            return values[Int(generator.next(below: UInt64(values.count)))]
        case .values(let values):
            preconditionFailure("draw(_:) called on explicit values \(values)")
        }
    }

    /// `value` rounded to `digits` significant decimal digits, through the C library's correctly
    /// rounded `%.*e` formatting (locale-independent) and back.
    static func roundSignificant(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        return Double(String(format: "%.\(digits - 1)e", value)) ?? value
    }
}
