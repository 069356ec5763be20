import Foundation

/// Linear warm-up, then cosine or linear decay to a fraction of the peak rate.
///
/// For step s = 0, 1, … (the number of optimizer steps already taken), with W warm-up steps,
/// T total steps and final fraction f:
///
///     s < W:       η = peak · (s + 1) / W
///     W ≤ s < T:   p = (s − W) / (T − W),  η = peak · (f + (1 − f) · d(p))
///     s ≥ T:       η = peak · f
///
/// where d(p) = (1 + cos πp) / 2 for cosine decay and 1 − p for linear decay. Warm-up starts at
/// peak / W rather than 0 so the first step moves the weights, and reaches the peak at s = W − 1.
public struct LearningRateSchedule: Sendable, Hashable {
    public enum Decay: Sendable, Hashable {
        case cosine
        case linear
        /// Stay at the peak after warm-up.
        case constant
    }

    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    /// The rate at the end as a fraction of the peak.
    public var final: Float
    public var decay: Decay

    public init(peak: Float, warmupSteps: Int = 0, totalSteps: Int, final: Float = 0, decay: Decay = .cosine) {
        precondition(peak >= 0, "the peak learning rate must be non-negative, got \(peak)")
        precondition(
            warmupSteps >= 0 && totalSteps >= warmupSteps,
            "a schedule needs 0 ≤ warmupSteps ≤ totalSteps, got \(warmupSteps) and \(totalSteps)")
        precondition((0...1).contains(final), "the final fraction must lie in [0, 1], got \(final)")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.final = final
        self.decay = decay
    }

    /// The learning rate of step `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        if step >= totalSteps { return decay == .constant ? peak : peak * final }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)
        let remaining: Double
        switch decay {
        case .cosine: remaining = (1 + cos(Double.pi * progress)) / 2
        case .linear: remaining = 1 - progress
        case .constant: return peak
        }
        return peak * Float(Double(final) + (1 - Double(final)) * remaining)
    }
}
