extension ValidationRows {
    /// Validation top-K figures of factor models scored by `user · item (+ item bias)` in the
    /// middle of training (ALS, BPR): the same scores their `scoreAll` gives for a trained user.
    func factorRanking(data: TrainingData, users: FactorMatrix, items: FactorMatrix, itemBias: [Float]?) -> [String: Double] {
        let stride = items.stride
        return users.values.withUnsafeBufferPointer { xs in
            items.values.withUnsafeBufferPointer { ys in
                ranking(byUser: data.byUser, itemCount: data.itemCount) { u, scores in
                    let x = xs.baseAddress! + u * stride
                    for i in 0..<min(scores.count, items.rows) {
                        scores[i] = (itemBias?[i] ?? 0) + VectorKernels.dot(x, ys.baseAddress! + i * stride, count: stride)
                    }
                }
            }
        }
    }
}
