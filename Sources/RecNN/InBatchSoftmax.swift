import Foundation

/// Sampled softmax with in-batch negatives and log-Q correction (Yi et al. 2019, "Sampling-bias-
/// corrected neural modeling for large corpus item recommendations").
///
/// Row i of U (B × d) is a user vector and row i of V (B × d) the vector of that user's positive
/// item; the other rows of V serve as row i's negatives. Items sampled by popularity appear as
/// negatives in proportion to it, so each logit is corrected by the log of its item's sampling
/// probability Q_j:
///
///     ℓ_ij = (u_i · v_j) / τ − log Q_j
///     loss = (1/B) Σ_i −log softmax_i(ℓ)_ii = (1/B) Σ_i (log Σ_{j ∈ N(i)} e^{ℓ_ij} − ℓ_ii)
///
/// N(i) is i together with every j whose item differs from row i's (`itemIDs[j] ≠ itemIDs[i]`): a
/// row holding the same item as i's positive is left out of i's softmax rather than counted as a
/// negative. With p_ij = softmax over N(i):
///
///     ∂loss/∂ℓ_ij = (p_ij − [i = j]) / B  (0 outside N(i)),   ∂U = (∂ℓ / τ) · V,   ∂V = (∂ℓ / τ)ᵀ · U
///
/// - Complexity: 3 × B² × d multiply-adds (three `cblas_sgemm`) and B² exponentials; B² floats.
public struct InBatchSoftmax: Sendable, Hashable {
    /// τ > 0; with unit-length vectors a τ of 0.05 to 0.1 is usual.
    public var temperature: Float

    public init(temperature: Float = 0.1) {
        precondition(temperature > 0, "the softmax temperature must be positive, got \(temperature)")
        self.temperature = temperature
    }

    /// The mean loss over the B rows and its gradients with respect to U and V.
    /// - Parameters:
    ///   - users: U, B × d.
    ///   - items: V, B × d; row i is user i's positive item.
    ///   - logQ: log Q_j for each row's item (e.g. log of its share of the training interactions);
    ///     all zeros turns the correction off.
    ///   - itemIDs: each row's item id, to mask repeats of a row's positive out of its negatives.
    ///   - rowWeights: w_i per row (nil: all 1): row i's term of the loss is scaled by w_i, so a
    ///     row of weight 0 serves only as the other rows' negative. The mean stays over B rows.
    public func loss(users: Matrix, items: Matrix, logQ: [Float], itemIDs: [Int32], rowWeights: [Float]? = nil)
        -> (loss: Float, userGradient: Matrix, itemGradient: Matrix)
    {
        let b = users.rows
        precondition(
            items.rows == b && items.columns == users.columns && logQ.count == b && itemIDs.count == b,
            "InBatchSoftmax needs U and V of the same shape and one logQ and item id per row; got U \(users.rows) × \(users.columns), V \(items.rows) × \(items.columns), \(logQ.count) logQ, \(itemIDs.count) ids"
        )
        precondition(rowWeights.map { $0.count == b } ?? true, "InBatchSoftmax needs one row weight per row")
        guard b > 0 else { return (0, users, items) }
        let inverseTemperature = 1 / temperature
        // ℓ = U Vᵀ / τ, then − log Q_j, the mask, the softmax and its gradient in place.
        var logits = Matrix.product(users, transposed: false, items, transposed: true).values
        var total = 0.0
        logits.withUnsafeMutableBufferPointer { l in
            for i in 0..<b {
                let base = i * b
                var largest = -Float.infinity
                for j in 0..<b {
                    if j != i && itemIDs[j] == itemIDs[i] {
                        l[base + j] = -.infinity
                        continue
                    }
                    l[base + j] = l[base + j] * inverseTemperature - logQ[j]
                    largest = max(largest, l[base + j])
                }
                let positive = l[base + i] - largest
                var sum = Float(0)
                for j in 0..<b {
                    let e = exp(l[base + j] - largest)  // exp(−∞) = 0 for masked entries
                    l[base + j] = e
                    sum += e
                }
                // −log p_ii = log Σ_j e^{ℓ_ij − m} − (ℓ_ii − m), m the row's largest logit.
                let w = rowWeights?[i] ?? 1
                total += Double(w) * Double(log(sum) - positive)
                let scale = w * inverseTemperature / (Float(b) * sum)
                for j in 0..<b { l[base + j] *= scale }
                l[base + i] -= w * inverseTemperature / Float(b)
            }
        }
        // logits now hold ∂loss/∂(u_i · v_j) = ∂ℓ_ij / τ.
        let scoreGradient = Matrix(rows: b, columns: b, values: logits)
        let userGradient = Matrix.product(scoreGradient, transposed: false, items, transposed: false)
        let itemGradient = Matrix.product(scoreGradient, transposed: true, users, transposed: false)
        return (Float(total / Double(b)), userGradient, itemGradient)
    }
}
