/// Anything that holds parameters: a layer, a tower, a whole model.
///
/// A model built from value-type layers conforms by visiting its parts in a fixed order:
///
///     mutating func visitParameters(_ body: (inout Parameter) -> Void) {
///         userEmbedding.visitParameters(body)
///         userTower.visitParameters(body)
///         itemTower.visitParameters(body)
///     }
///
/// and one `optimizer.step(&model, learningRate:)` per batch then updates everything.
public protocol Trainable {
    /// Calls `body` once on each parameter, always in the same order.
    mutating func visitParameters(_ body: (inout Parameter) -> Void)
}

/// A layer of a batch-first network: B × input in, B × output out.
///
/// `forward` keeps what `backward` needs (its input, its mask, …) inside the layer, so each
/// `backward` goes with the latest `forward`: to apply one layer to two batches in one step,
/// stack their rows into one matrix. `backward` takes ∂loss/∂output, *adds* ∂loss/∂parameters into
/// the parameters' gradients and returns ∂loss/∂input. `apply` is the pure inference pass (no
/// cache, dropout off), for scoring from non-mutating code.
public protocol Layer: Trainable {
    /// The output for a batch; with `training` false dropout is the identity.
    mutating func forward(_ input: Matrix, training: Bool) -> Matrix
    /// ∂loss/∂input for ∂loss/∂output of the latest `forward`; accumulates parameter gradients.
    mutating func backward(_ gradOutput: Matrix) -> Matrix
    /// `forward(input, training: false)` without keeping anything.
    func apply(_ input: Matrix) -> Matrix
}

extension Trainable {
    /// Number of parameter values (a table counts all its rows).
    public var parameterCount: Int {
        var copy = self
        var total = 0
        copy.visitParameters { total += $0.count }
        return total
    }

    /// Zeroes every gradient (touched rows only for embedding tables).
    public mutating func zeroGradients() {
        visitParameters { $0.zeroGradient() }
    }

    /// Scales all gradients down together so that their joint L2 norm is at most `maxNorm`
    /// (g ← g · maxNorm / ‖g‖ when ‖g‖ > maxNorm), and returns ‖g‖ before clipping.
    /// - Complexity: two passes over the dense gradients and the touched rows of tables.
    @discardableResult
    public mutating func clipGradientNorm(_ maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "clipGradientNorm needs a positive maximum norm, got \(maxNorm)")
        var squared = 0.0
        visitParameters { squared += $0.gradientSquaredNorm }
        let norm = Float(squared.squareRoot())
        if norm > maxNorm {
            let factor = maxNorm / norm
            visitParameters { $0.scaleGradient(by: factor) }
        }
        return norm
    }
}
