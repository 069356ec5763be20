/// The mean squared error of a rating head: loss = (1/B) Σ_b (ŷ_b − y_b)², ∂loss/∂ŷ_b = 2 (ŷ_b − y_b) / B.
/// - Complexity: O(B).
public struct MeanSquaredError: Sendable, Hashable {
    public init() {}

    /// The mean loss over the B predictions and its gradient with respect to them; 0 and [] for B = 0.
    public func loss(predictions: [Float], targets: [Float]) -> (loss: Float, gradient: [Float]) {
        precondition(
            predictions.count == targets.count,
            "MeanSquaredError needs one target per prediction, got \(predictions.count) and \(targets.count)")
        guard !predictions.isEmpty else { return (0, []) }
        let n = Float(predictions.count)
        var total = 0.0
        var gradient = [Float](repeating: 0, count: predictions.count)
        for b in predictions.indices {
            let error = predictions[b] - targets[b]
            total += Double(error) * Double(error)
            gradient[b] = 2 * error / n
        }
        return (Float(total / Double(n)), gradient)
    }
}
