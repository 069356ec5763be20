/// The Gram matrices of the exact solves (ALS, the unified model).
extension FactorMatrix {
    /// FᵀF over the first `factors` rows and columns (padding stays zero), stride × stride:
    /// upper triangle by rows, four rows of F at a time, then mirrored, so it is exactly symmetric.
    /// - Complexity: O(rows × factors × stride / 2).
    func gram() -> [Float] {
        let fixed = self
        let k = fixed.factors, stride = fixed.stride, lanes = VectorKernels.lanes
        var gram = [Float](repeating: 0, count: stride * stride)
        gram.withUnsafeMutableBufferPointer { g in
            fixed.values.withUnsafeBufferPointer { f in
                let g = g.baseAddress!, f = f.baseAddress!
                var row = 0
                while row < fixed.rows {
                    let y0 = f + row * stride
                    if row + 4 <= fixed.rows {
                        let y1 = y0 + stride, y2 = y1 + stride, y3 = y2 + stride
                        for a in 0..<k {
                            let c0 = SIMD8<Float>(repeating: y0[a]), c1 = SIMD8<Float>(repeating: y1[a])
                            let c2 = SIMD8<Float>(repeating: y2[a]), c3 = SIMD8<Float>(repeating: y3[a])
                            let target = g + a * stride
                            // From the 8-block holding column a: lower lanes are overwritten by the mirror.
                            var column = a / lanes * lanes
                            while column < stride {
                                let sum =
                                    (c0 * VectorKernels.load(y0, column) + c1 * VectorKernels.load(y1, column))
                                    + (c2 * VectorKernels.load(y2, column) + c3 * VectorKernels.load(y3, column))
                                VectorKernels.store(VectorKernels.load(target, column) + sum, target, column)
                                column += lanes
                            }
                        }
                        row += 4
                    } else {
                        for a in 0..<k {
                            let start = a / lanes * lanes
                            VectorKernels.axpy(y0[a], y0 + start, g + a * stride + start, count: stride - start)
                        }
                        row += 1
                    }
                }
                for a in 0..<k {
                    for b in 0..<a { g[a * stride + b] = g[b * stride + a] }
                }
            }
        }
        return gram
    }

    /// Σ_t w_t F_tᵀF_t + ridge·I over the first `factors` rows and columns (stride × stride, Float
    /// sums in term order starting from 0): the fixed part of every row's normal equations when
    /// several factor matrices (one per domain, weighted) share the solved vectors.
    static func weightedGram(_ terms: [(factors: FactorMatrix, weight: Float)], ridge: Float) -> [Float] {
        precondition(!terms.isEmpty, "weightedGram needs at least one factor matrix")
        let k = terms[0].factors.factors, stride = terms[0].factors.stride
        var sum = [Float](repeating: 0, count: stride * stride)
        for term in terms {
            let g = term.factors.gram()
            for index in sum.indices { sum[index] += term.weight * g[index] }
        }
        for a in 0..<k { sum[a * stride + a] += ridge }
        return sum
    }
}
