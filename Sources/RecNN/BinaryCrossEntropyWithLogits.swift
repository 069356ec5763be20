import Foundation

/// Binary cross-entropy on logits x with targets y in [0, 1], in the overflow-free form
///
///     loss = (1/B) Σ_b max(x_b, 0) − x_b y_b + log(1 + e^{−|x_b|})  (= −y log σ(x) − (1 − y) log(1 − σ(x)))
///     ∂loss/∂x_b = (σ(x_b) − y_b) / B
///
/// - Complexity: O(B).
public struct BinaryCrossEntropyWithLogits: Sendable, Hashable {
    public init() {}

    /// The mean loss over the B logits and its gradient with respect to them; 0 and [] for B = 0.
    public func loss(logits: [Float], targets: [Float]) -> (loss: Float, gradient: [Float]) {
        precondition(
            logits.count == targets.count,
            "BinaryCrossEntropyWithLogits needs one target per logit, got \(logits.count) and \(targets.count)")
        guard !logits.isEmpty else { return (0, []) }
        let n = Float(logits.count)
        var total = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        for b in logits.indices {
            let x = logits[b]
            let y = targets[b]
            total += Double(max(x, 0) - x * y + log1p(exp(-abs(x))))
            let sigmoid = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
            gradient[b] = (sigmoid - y) / n
        }
        return (Float(total / Double(n)), gradient)
    }
}
