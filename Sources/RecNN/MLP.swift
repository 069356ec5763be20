/// A multilayer perceptron over the widths w₀ → w₁ → … → w_L: L ``Dense`` layers, and between
/// consecutive ones (never after the last) an optional ``LayerNorm``, the activation and an
/// optional ``Dropout``:
///
///     Dense → [LayerNorm] → activation → [Dropout] → Dense → … → Dense
///
/// Hidden layers start from He normal weights (suited to ReLU and GELU), the output layer from
/// Xavier uniform; all biases from 0. Each dropout layer gets its own seed drawn from the `rng`
/// given to `init`, after the weights.
/// - Complexity: forward Σ B × w_{i−1} × w_i multiply-adds, backward twice that.
public struct MLP: Layer, Sendable {
    public enum Activation: Sendable, Hashable {
        case relu
        case gelu
    }

    /// One hidden stage after a dense layer.
    struct Stage: Sendable {
        var norm: LayerNorm?
        var activation: ActivationLayer
        var dropout: Dropout?
    }

    /// ReLU or GELU behind one switch, so stages stay concrete values.
    enum ActivationLayer: Sendable {
        case relu(ReLU)
        case gelu(GELU)

        mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
            switch self {
            case .relu(var layer):
                let output = layer.forward(input, training: training)
                self = .relu(layer)
                return output
            case .gelu(var layer):
                let output = layer.forward(input, training: training)
                self = .gelu(layer)
                return output
            }
        }

        mutating func backward(_ gradOutput: Matrix) -> Matrix {
            switch self {
            case .relu(var layer):
                let gradInput = layer.backward(gradOutput)
                self = .relu(layer)
                return gradInput
            case .gelu(var layer):
                let gradInput = layer.backward(gradOutput)
                self = .gelu(layer)
                return gradInput
            }
        }

        func apply(_ input: Matrix) -> Matrix {
            switch self {
            case .relu(let layer): layer.apply(input)
            case .gelu(let layer): layer.apply(input)
            }
        }
    }

    /// The dense layers, first to last.
    public var layers: [Dense]
    /// One stage after each dense layer but the last.
    var stages: [Stage]
    public let widths: [Int]

    /// - Parameters:
    ///   - widths: input width, hidden widths…, output width (at least two entries).
    ///   - layerNorm: a LayerNorm after each hidden dense layer, before the activation.
    ///   - dropout: the dropout rate after each hidden activation (0: no dropout layers).
    public init(
        widths: [Int], activation: Activation = .relu, layerNorm: Bool = false, dropout: Float = 0,
        rng: inout NNRandom
    ) {
        precondition(widths.count >= 2, "an MLP needs an input and an output width, got \(widths)")
        self.widths = widths
        var layers = [Dense]()
        for i in 1..<widths.count {
            let last = i == widths.count - 1
            layers.append(
                Dense(
                    input: widths[i - 1], output: widths[i], initialization: last ? .xavierUniform : .heNormal,
                    rng: &rng))
        }
        self.layers = layers
        stages = (1..<widths.count - 1).map { i in
            Stage(
                norm: layerNorm ? LayerNorm(dimension: widths[i]) : nil,
                activation: activation == .relu ? .relu(ReLU()) : .gelu(GELU()),
                dropout: dropout > 0 ? Dropout(rate: dropout, seed: rng.next()) : nil)
        }
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        for i in layers.indices {
            layers[i].visitParameters(body)
            if i < stages.count, stages[i].norm != nil { stages[i].norm!.visitParameters(body) }
        }
    }

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        var x = input
        for i in layers.indices {
            x = layers[i].forward(x, training: training)
            guard i < stages.count else { break }
            if stages[i].norm != nil { x = stages[i].norm!.forward(x, training: training) }
            x = stages[i].activation.forward(x, training: training)
            if stages[i].dropout != nil { x = stages[i].dropout!.forward(x, training: training) }
        }
        return x
    }

    public func apply(_ input: Matrix) -> Matrix {
        var x = input
        for i in layers.indices {
            x = layers[i].apply(x)
            guard i < stages.count else { break }
            if let norm = stages[i].norm { x = norm.apply(x) }
            x = stages[i].activation.apply(x)
        }
        return x
    }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        var g = gradOutput
        for i in layers.indices.reversed() {
            if i < stages.count {
                if stages[i].dropout != nil { g = stages[i].dropout!.backward(g) }
                g = stages[i].activation.backward(g)
                if stages[i].norm != nil { g = stages[i].norm!.backward(g) }
            }
            g = layers[i].backward(g)
        }
        return g
    }
}
