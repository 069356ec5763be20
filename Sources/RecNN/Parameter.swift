/// One trainable tensor: its values, the gradient accumulated by backward passes, and the
/// optimizer's state for it.
///
/// Backward passes *add* into `gradient`; ``AdamW`` reads it, updates `value` and zeroes it. A
/// parameter is *row-sparse* (embedding tables) when its gradient is nonzero only on the rows that
/// the batch looked up: backward passes record those rows with ``touch(row:)``, and the optimizer
/// and ``zeroGradient()`` visit only them, so a step costs O(touched rows × row width), not
/// O(table). `gradient` is still a full-size buffer, zero outside the touched rows.
///
/// The Adam moments live here rather than in the optimizer, so a model made of value-type layers
/// carries its whole training state, and the optimizer needs no map from parameters to state.
public struct Parameter: Sendable {
    /// For messages and debugging, e.g. `"dense.weight"`.
    public var name: String
    /// The values, row-major in `shape`.
    public var value: [Float]
    /// ∂loss/∂value accumulated since the last optimizer step; the same count as `value`.
    public var gradient: [Float]
    /// The tensor's shape, e.g. [input, output] for a dense weight, [count, dimension] for a table.
    public let shape: [Int]
    /// Whether AdamW's weight decay applies (weights and embeddings: yes; biases and LayerNorm: no).
    public var decays: Bool
    /// Whether gradients are tracked per row (``touchedRows``) and the optimizer updates lazily.
    public let isRowSparse: Bool
    /// Rows with a (possibly) nonzero gradient since the last step, in first-touch order, each once;
    /// always empty for dense parameters.
    public private(set) var touchedRows: [Int] = []
    private var isTouched: [Bool]

    /// Adam's first moment m (empty until the first optimizer step).
    public internal(set) var firstMoment: [Float] = []
    /// Adam's second moment v (empty until the first optimizer step).
    public internal(set) var secondMoment: [Float] = []
    /// Optimizer steps taken on this parameter: Adam's t, the exponent of its bias corrections.
    public internal(set) var stepCount = 0

    /// A parameter with the given values and a zero gradient.
    /// - Parameter rowSparse: track touched rows (needs a shape of [rows, width]).
    public init(name: String, value: [Float], shape: [Int], decays: Bool, rowSparse: Bool = false) {
        precondition(
            shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == value.count,
            "parameter '\(name)': shape \(shape) does not hold \(value.count) values")
        precondition(!rowSparse || shape.count == 2, "parameter '\(name)': a row-sparse parameter needs a 2-D shape")
        self.name = name
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
        self.shape = shape
        self.decays = decays
        self.isRowSparse = rowSparse
        self.isTouched = rowSparse ? [Bool](repeating: false, count: shape[0]) : []
    }

    /// Number of values.
    public var count: Int { value.count }

    /// Values per row: the last dimension (1 for a scalar).
    public var rowWidth: Int { shape.last ?? 1 }

    /// Records that `row`'s gradient may be nonzero; O(1), idempotent. Does nothing for dense parameters.
    public mutating func touch(row: Int) {
        guard isRowSparse, !isTouched[row] else { return }
        isTouched[row] = true
        touchedRows.append(row)
    }

    /// Sets the gradient to zero: the touched rows of a row-sparse parameter (then forgets them),
    /// all of it otherwise.
    public mutating func zeroGradient() {
        if isRowSparse {
            let width = rowWidth
            gradient.withUnsafeMutableBufferPointer { g in
                for row in touchedRows {
                    (g.baseAddress! + row * width).update(repeating: 0, count: width)
                    isTouched[row] = false
                }
            }
            touchedRows.removeAll(keepingCapacity: true)
        } else {
            gradient.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
    }

    /// Σ gradient², over the touched rows only for a row-sparse parameter (the rest is zero).
    public var gradientSquaredNorm: Double {
        var total = 0.0
        visitGradientRanges { g, range in
            for k in range { total += Double(g[k]) * Double(g[k]) }
        }
        return total
    }

    /// Multiplies the gradient by `factor` (touched rows only for a row-sparse parameter).
    public mutating func scaleGradient(by factor: Float) {
        let ranges = gradientRanges
        gradient.withUnsafeMutableBufferPointer { g in
            for range in ranges {
                for k in range { g[k] *= factor }
            }
        }
    }

    /// The index ranges of `gradient` that may be nonzero: one per touched row, or everything.
    var gradientRanges: [Range<Int>] {
        if isRowSparse {
            let width = rowWidth
            return touchedRows.map { $0 * width..<($0 + 1) * width }
        }
        return [0..<count]
    }

    private func visitGradientRanges(_ body: (UnsafeBufferPointer<Float>, Range<Int>) -> Void) {
        gradient.withUnsafeBufferPointer { g in
            for range in gradientRanges { body(g, range) }
        }
    }
}
