/// A fully connected layer: Y = X · W + b for X of B × input, W of input × output, b broadcast over
/// rows.
///
/// Backward, for G = ∂loss/∂Y:  ∂X = G · Wᵀ,  ∂W += Xᵀ · G,  ∂b += Σ_rows G.
///
/// - Complexity: forward B × input × output multiply-adds (one `cblas_sgemm`); backward twice that
///   (two). Memory: the weight, its gradient and Adam moments (4 × input × output floats), plus the
///   cached B × input input.
/// - Determinism: OpenBLAS on one thread computes the same sums in the same order on every call.
public struct Dense: Layer, Sendable {
    /// How W is drawn; b starts at 0.
    public enum Initialization: Sendable, Hashable {
        /// Glorot/Xavier uniform: W ~ U[−a, a], a = √(6 / (input + output)); keeps the variance of
        /// activations and of gradients about constant through linear (and tanh) layers.
        case xavierUniform
        /// He/Kaiming normal: W ~ N(0, 2 / input); keeps the activation variance constant through
        /// ReLU layers (which zero half their inputs). Also used before GELU.
        case heNormal
    }

    /// W, input × output, row-major; decays.
    public var weight: Parameter
    /// b, of `output` values; does not decay. Nil for a layer without bias.
    public var bias: Parameter?
    public let inputWidth: Int
    public let outputWidth: Int
    private var lastInput = Matrix(zeros: 0, columns: 0)

    /// A layer with W drawn from `rng` as `initialization` says and b = 0.
    public init(
        input: Int, output: Int, bias: Bool = true, initialization: Initialization = .xavierUniform,
        rng: inout NNRandom
    ) {
        precondition(input > 0 && output > 0, "Dense needs positive widths, got \(input) → \(output)")
        var values = [Float](repeating: 0, count: input * output)
        switch initialization {
        case .xavierUniform:
            let a = (6 / Float(input + output)).squareRoot()
            for k in values.indices { values[k] = rng.uniform(in: -a...a) }
        case .heNormal:
            let std = (2 / Float(input)).squareRoot()
            for k in values.indices { values[k] = rng.normal(mean: 0, std: std) }
        }
        self.init(
            weight: Matrix(rows: input, columns: output, values: values),
            bias: bias ? [Float](repeating: 0, count: output) : nil)
    }

    /// A layer with the given W (input × output) and b.
    public init(weight: Matrix, bias: [Float]?) {
        precondition(bias == nil || bias!.count == weight.columns, "Dense bias needs \(weight.columns) values")
        self.inputWidth = weight.rows
        self.outputWidth = weight.columns
        self.weight = Parameter(
            name: "dense.weight", value: weight.values, shape: [weight.rows, weight.columns], decays: true)
        self.bias = bias.map { Parameter(name: "dense.bias", value: $0, shape: [$0.count], decays: false) }
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        body(&weight)
        if bias != nil { body(&bias!) }
    }

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        lastInput = input
        return apply(input)
    }

    public func apply(_ input: Matrix) -> Matrix {
        precondition(input.columns == inputWidth, "Dense expects \(inputWidth) input columns, got \(input.columns)")
        var output = [Float](repeating: 0, count: input.rows * outputWidth)
        if let bias {
            output.withUnsafeMutableBufferPointer { y in
                bias.value.withUnsafeBufferPointer { b in
                    for row in 0..<input.rows {
                        (y.baseAddress! + row * outputWidth).update(from: b.baseAddress!, count: outputWidth)
                    }
                }
            }
        }
        Matrix.multiplyAdd(input, transposed: false, weightMatrix, transposed: false, into: &output, scale: 1, keep: 1)
        return Matrix(rows: input.rows, columns: outputWidth, values: output)
    }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        precondition(
            gradOutput.rows == lastInput.rows && gradOutput.columns == outputWidth,
            "Dense.backward expects a \(lastInput.rows) × \(outputWidth) gradient (the latest forward's), got \(gradOutput.rows) × \(gradOutput.columns)"
        )
        let w = weightMatrix
        Matrix.multiplyAdd(
            lastInput, transposed: true, gradOutput, transposed: false, into: &weight.gradient, scale: 1, keep: 1)
        if bias != nil {
            let width = outputWidth
            bias!.gradient.withUnsafeMutableBufferPointer { db in
                gradOutput.values.withUnsafeBufferPointer { g in
                    for row in 0..<gradOutput.rows {
                        let base = row * width
                        for column in 0..<width { db[column] += g[base + column] }
                    }
                }
            }
        }
        return Matrix.product(gradOutput, transposed: false, w, transposed: true)
    }

    /// W as a matrix (shares storage with `weight.value`).
    public var weightMatrix: Matrix { Matrix(rows: inputWidth, columns: outputWidth, values: weight.value) }
}
