/// y = max(0, x) elementwise; backward ∂x = ∂y where x > 0, else 0 (the subgradient 0 at x = 0).
/// - Complexity: O(B × width) each way; keeps the input for backward.
public struct ReLU: Layer, Sendable {
    private var lastInput = Matrix(zeros: 0, columns: 0)

    public init() {}

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {}

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        lastInput = input
        return apply(input)
    }

    public func apply(_ input: Matrix) -> Matrix {
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            for k in y.indices { y[k] = max(0, y[k]) }
        }
        return output
    }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        checkShape(gradOutput, against: lastInput, in: "ReLU")
        var gradInput = gradOutput
        gradInput.values.withUnsafeMutableBufferPointer { g in
            lastInput.values.withUnsafeBufferPointer { x in
                for k in g.indices where !(x[k] > 0) { g[k] = 0 }
            }
        }
        return gradInput
    }
}

/// Stops with a message when a backward gradient does not match the latest forward's shape.
func checkShape(_ gradient: Matrix, against forwarded: Matrix, in layer: String) {
    precondition(
        gradient.rows == forwarded.rows && gradient.columns == forwarded.columns,
        "\(layer).backward expects a \(forwarded.rows) × \(forwarded.columns) gradient (the latest forward's), got \(gradient.rows) × \(gradient.columns)"
    )
}
