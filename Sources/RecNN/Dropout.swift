/// Inverted dropout: while training, each element is kept with probability q = 1 − rate and scaled
/// by 1/q, or set to 0, so E[y] = x and inference needs no rescaling:
///
///     y = m ⊙ x,   m_k = 1/q with probability q, else 0;   ∂x = m ⊙ ∂y
///
/// With `training` false (or rate 0) the layer is the identity, and so is its backward.
///
/// The layer holds its own ``NNRandom`` and draws a fresh mask on each training forward (one
/// ``NNRandom/nextFloat()`` per element, kept when u < q), so a run is reproducible from the seed,
/// and a copy of the layer replays the same masks as the original.
/// - Complexity: O(B × width) each way; keeps the mask for backward.
public struct Dropout: Layer, Sendable {
    /// The probability of zeroing an element, in [0, 1).
    public let rate: Float
    private var rng: NNRandom
    /// The latest training forward's mask (0 or 1/q per element); empty after an inference forward.
    public private(set) var mask: [Float] = []

    public init(rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must lie in [0, 1), got \(rate)")
        self.rate = rate
        self.rng = NNRandom(seed: seed)
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {}

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        mask.removeAll(keepingCapacity: true)
        guard training && rate > 0 else { return input }
        let keep = 1 - rate
        let kept = 1 / keep
        mask.reserveCapacity(input.values.count)
        for _ in 0..<input.values.count { mask.append(rng.nextFloat() < keep ? kept : 0) }
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { m in
                for k in y.indices { y[k] *= m[k] }
            }
        }
        return output
    }

    public func apply(_ input: Matrix) -> Matrix { input }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        guard !mask.isEmpty else { return gradOutput }
        precondition(
            gradOutput.values.count == mask.count,
            "Dropout.backward expects a gradient of the latest forward's \(mask.count) elements, got \(gradOutput.values.count)"
        )
        var gradInput = gradOutput
        gradInput.values.withUnsafeMutableBufferPointer { g in
            mask.withUnsafeBufferPointer { m in
                for k in g.indices { g[k] *= m[k] }
            }
        }
        return gradInput
    }
}
