/// Layer normalization (Ba, Kiros and Hinton 2016) of each row over its d features:
///
///     μ = (1/d) Σ_j x_j,   σ² = (1/d) Σ_j (x_j − μ)²,   x̂ = (x − μ) / √(σ² + ε),   y = γ ⊙ x̂ + β
///
/// Backward (exact, per row, with g = ∂loss/∂y, ĝ = γ ⊙ g and s = 1/√(σ² + ε)):
///
///     ∂x = s · (ĝ − mean_j(ĝ) − x̂ · mean_j(ĝ ⊙ x̂)),   ∂γ += Σ_rows g ⊙ x̂,   ∂β += Σ_rows g
///
/// γ starts at 1 and β at 0; neither decays.
/// - Complexity: O(B × d) each way; keeps x̂ (B × d) and s (B) for backward.
public struct LayerNorm: Layer, Sendable {
    /// γ, d values.
    public var scale: Parameter
    /// β, d values.
    public var shift: Parameter
    public let dimension: Int
    public let epsilon: Float
    private var normalized = Matrix(zeros: 0, columns: 0)
    private var inverseDeviations: [Float] = []

    public init(dimension: Int, epsilon: Float = 1e-5) {
        precondition(dimension > 0 && epsilon > 0, "LayerNorm needs a positive dimension and ε")
        self.dimension = dimension
        self.epsilon = epsilon
        scale = Parameter(
            name: "layernorm.scale", value: [Float](repeating: 1, count: dimension), shape: [dimension], decays: false)
        shift = Parameter(
            name: "layernorm.shift", value: [Float](repeating: 0, count: dimension), shape: [dimension], decays: false)
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        body(&scale)
        body(&shift)
    }

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        let (xHat, inverse) = normalize(input)
        normalized = xHat
        inverseDeviations = inverse
        return affine(xHat)
    }

    public func apply(_ input: Matrix) -> Matrix { affine(normalize(input).xHat) }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        checkShape(gradOutput, against: normalized, in: "LayerNorm")
        let d = dimension
        var gradInput = Matrix(zeros: gradOutput.rows, columns: d)
        let inverse = inverseDeviations
        scale.gradient.withUnsafeMutableBufferPointer { dGamma in
            shift.gradient.withUnsafeMutableBufferPointer { dBeta in
                scale.value.withUnsafeBufferPointer { gamma in
                    gradOutput.values.withUnsafeBufferPointer { g in
                        normalized.values.withUnsafeBufferPointer { xHat in
                            gradInput.values.withUnsafeMutableBufferPointer { dx in
                                for row in 0..<gradOutput.rows {
                                    let base = row * d
                                    var meanG = Float(0)
                                    var meanGX = Float(0)
                                    for j in 0..<d {
                                        let k = base + j
                                        dGamma[j] += g[k] * xHat[k]
                                        dBeta[j] += g[k]
                                        let gHat = gamma[j] * g[k]
                                        meanG += gHat
                                        meanGX += gHat * xHat[k]
                                    }
                                    meanG /= Float(d)
                                    meanGX /= Float(d)
                                    let s = inverse[row]
                                    for j in 0..<d {
                                        let k = base + j
                                        dx[k] = s * (gamma[j] * g[k] - meanG - xHat[k] * meanGX)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }

    /// x̂ and s = 1/√(σ² + ε) per row, with μ and σ² in two passes.
    private func normalize(_ input: Matrix) -> (xHat: Matrix, inverse: [Float]) {
        precondition(input.columns == dimension, "LayerNorm expects \(dimension) columns, got \(input.columns)")
        let d = dimension
        var xHat = input
        var inverse = [Float](repeating: 0, count: input.rows)
        xHat.values.withUnsafeMutableBufferPointer { x in
            for row in 0..<input.rows {
                let base = row * d
                var sum = Float(0)
                for j in 0..<d { sum += x[base + j] }
                let mean = sum / Float(d)
                var squares = Float(0)
                for j in 0..<d {
                    let centred = x[base + j] - mean
                    squares += centred * centred
                }
                let s = 1 / (squares / Float(d) + epsilon).squareRoot()
                inverse[row] = s
                for j in 0..<d { x[base + j] = (x[base + j] - mean) * s }
            }
        }
        return (xHat, inverse)
    }

    /// γ ⊙ x̂ + β per row.
    private func affine(_ xHat: Matrix) -> Matrix {
        var output = xHat
        let d = dimension
        output.values.withUnsafeMutableBufferPointer { y in
            scale.value.withUnsafeBufferPointer { gamma in
                shift.value.withUnsafeBufferPointer { beta in
                    for row in 0..<xHat.rows {
                        let base = row * d
                        for j in 0..<d { y[base + j] = gamma[j] * y[base + j] + beta[j] }
                    }
                }
            }
        }
        return output
    }
}
