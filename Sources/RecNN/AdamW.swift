import Foundation

/// Adam with decoupled weight decay (Loshchilov and Hutter 2019), in PyTorch's formulation.
///
/// For each value θ with gradient g, at the parameter's step t = 1, 2, …:
///
///     m ← β₁ m + (1 − β₁) g            v ← β₂ v + (1 − β₂) g²
///     m̂ = m / (1 − β₁ᵗ)                 v̂ = v / (1 − β₂ᵗ)
///     θ ← θ (1 − η λ) − η m̂ / (√v̂ + ε)
///
/// with η the learning rate of this step and λ the weight decay (skipped when
/// `Parameter.decays` is false: biases, LayerNorm). After the update the gradient is zeroed.
///
/// Embedding tables (row-sparse parameters) get *lazy* Adam: only the rows touched since the last
/// step have m, v, θ updated, decayed and their gradient zeroed; untouched rows keep their moments
/// and values as they were, instead of decaying their momentum and drifting on it as dense Adam
/// would. t is still the parameter's step count, i.e. the global step when the table is stepped
/// with every batch, so bias correction uses the global step, not how often a row was seen. A
/// step costs O(touched rows × dimension).
///
/// The moments and t live in each ``Parameter``, so this type holds only hyperparameters, and
/// stepping parts of a model in separate calls is fine as long as each part is stepped once per
/// batch.
/// - Determinism: elementwise in a fixed order; bit-identical for the same inputs.
public struct AdamW: Sendable, Hashable {
    /// The learning rate used when `step` is not given one (e.g. from a ``LearningRateSchedule``).
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// λ, multiplied by the step's learning rate as in PyTorch's AdamW.
    public var weightDecay: Float

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 0.01
    ) {
        precondition(learningRate >= 0, "AdamW learning rate must be non-negative, got \(learningRate)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "AdamW betas must lie in [0, 1)")
        precondition(epsilon > 0 && weightDecay >= 0, "AdamW needs ε > 0 and a non-negative weight decay")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// One update of every parameter of `model` (see the type's documentation), then zero gradients.
    public func step(_ model: inout some Trainable, learningRate: Float? = nil) {
        model.visitParameters { step(&$0, learningRate: learningRate) }
    }

    /// One update of each parameter in the array.
    public func step(_ parameters: inout [Parameter], learningRate: Float? = nil) {
        for index in parameters.indices { step(&parameters[index], learningRate: learningRate) }
    }

    /// One update of `parameter`: t += 1, then the AdamW rule on every value (dense) or on the
    /// touched rows (row-sparse), then its gradient is zeroed.
    public func step(_ parameter: inout Parameter, learningRate: Float? = nil) {
        let rate = learningRate ?? self.learningRate
        if parameter.firstMoment.isEmpty && parameter.count > 0 {
            parameter.firstMoment = [Float](repeating: 0, count: parameter.count)
            parameter.secondMoment = [Float](repeating: 0, count: parameter.count)
        }
        parameter.stepCount += 1
        let t = Double(parameter.stepCount)
        let stepSize = rate / Float(1 - pow(Double(beta1), t))
        let inverseRootCorrection = Float(1 / (1 - pow(Double(beta2), t)).squareRoot())
        let shrink = parameter.decays ? 1 - rate * weightDecay : 1
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        let ranges = parameter.gradientRanges
        parameter.value.withUnsafeMutableBufferPointer { theta in
            parameter.gradient.withUnsafeBufferPointer { g in
                parameter.firstMoment.withUnsafeMutableBufferPointer { m in
                    parameter.secondMoment.withUnsafeMutableBufferPointer { v in
                        for range in ranges {
                            for k in range {
                                m[k] = b1 * m[k] + (1 - b1) * g[k]
                                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                                let denominator = v[k].squareRoot() * inverseRootCorrection + eps
                                theta[k] = theta[k] * shrink - stepSize * m[k] / denominator
                            }
                        }
                    }
                }
            }
        }
        parameter.zeroGradient()
    }
}
