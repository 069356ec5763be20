/// Scales each row to unit Euclidean length: y = x / n with n = max(‖x‖, ε), so dot products of
/// outputs are cosine similarities (the usual two-tower head, before a temperature).
///
/// Backward, per row, with g = ∂loss/∂y: when ‖x‖ ≥ ε, ∂x = (g − y (y · g)) / n (the component of
/// g along y is removed: scaling x does not change y); when ‖x‖ < ε, y = x / ε is linear and
/// ∂x = g / ε.
/// - Complexity: O(B × d) each way; keeps y and n for backward.
public struct L2Normalize: Layer, Sendable {
    /// The floor on the norm (PyTorch's `F.normalize` uses 1e-12), so a zero row stays zero.
    public let epsilon: Float
    private var lastOutput = Matrix(zeros: 0, columns: 0)
    private var norms: [Float] = []
    private var floored: [Bool] = []

    public init(epsilon: Float = 1e-12) {
        precondition(epsilon > 0, "L2Normalize needs a positive ε, got \(epsilon)")
        self.epsilon = epsilon
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {}

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        let (output, norms, floored) = normalize(input)
        lastOutput = output
        self.norms = norms
        self.floored = floored
        return output
    }

    public func apply(_ input: Matrix) -> Matrix { normalize(input).output }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        checkShape(gradOutput, against: lastOutput, in: "L2Normalize")
        let d = gradOutput.columns
        var gradInput = gradOutput
        gradInput.values.withUnsafeMutableBufferPointer { g in
            lastOutput.values.withUnsafeBufferPointer { y in
                for row in 0..<gradOutput.rows {
                    let base = row * d
                    let inverse = 1 / norms[row]
                    var along = Float(0)
                    if !floored[row] {
                        for j in 0..<d { along += y[base + j] * g[base + j] }
                    }
                    for j in 0..<d { g[base + j] = (g[base + j] - y[base + j] * along) * inverse }
                }
            }
        }
        return gradInput
    }

    private func normalize(_ input: Matrix) -> (output: Matrix, norms: [Float], floored: [Bool]) {
        let d = input.columns
        var output = input
        var norms = [Float](repeating: 0, count: input.rows)
        var floored = [Bool](repeating: false, count: input.rows)
        output.values.withUnsafeMutableBufferPointer { y in
            for row in 0..<input.rows {
                let base = row * d
                var squares = Float(0)
                for j in 0..<d { squares += y[base + j] * y[base + j] }
                let norm = squares.squareRoot()
                floored[row] = !(norm >= epsilon)
                norms[row] = floored[row] ? epsilon : norm
                let inverse = 1 / norms[row]
                for j in 0..<d { y[base + j] *= inverse }
            }
        }
        return (output, norms, floored)
    }
}
