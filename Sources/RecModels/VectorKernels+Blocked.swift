extension VectorKernels {
    /// out ← M v for a symmetric `order` × `order` matrix M stored row-major with `stride` floats
    /// per row (padding columns zero), computed as Σ_a v[a]·M[a,·] four rows at a time, so no
    /// horizontal sums and one load and store of `out` per four rows.
    /// - Complexity: O(order × stride).
    @inline(__always)
    static func symmetricProduct(
        _ matrix: UnsafePointer<Float>, _ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, order: Int,
        stride: Int
    ) {
        var k = 0
        while k < stride {
            store(.zero, out, k)
            k += lanes
        }
        var a = 0
        while a + 4 <= order {
            let r0 = matrix + a * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride
            let c0 = SIMD8<Float>(repeating: v[a]), c1 = SIMD8<Float>(repeating: v[a + 1])
            let c2 = SIMD8<Float>(repeating: v[a + 2]), c3 = SIMD8<Float>(repeating: v[a + 3])
            k = 0
            while k < stride {
                let sum = (c0 * load(r0, k) + c1 * load(r1, k)) + (c2 * load(r2, k) + c3 * load(r3, k))
                store(load(out, k) + sum, out, k)
                k += lanes
            }
            a += 4
        }
        while a < order {
            axpy(v[a], matrix + a * stride, out, count: stride)
            a += 1
        }
    }

    /// out ← out + Σ_e coefficient_e · y_e over the rows y_e = rows[columns[e]] for e in `entries`,
    /// where coefficient_e = α·c_e + β·(c_e − 1)·(y_e · v) and c_e = confidence[e].
    ///
    /// With (α, β) = (0, 1) this adds Yᵀ(C − I)Y v; with (1, −1) it adds YᵀC·1 − Yᵀ(C − I)Y v (the
    /// implicit-ALS residual without its Gram part). Entries go four at a time: each chunk of `v`
    /// and of `out` is loaded once per four rows.
    /// - Complexity: O(|entries| × stride).
    @inline(__always)
    static func accumulateWeightedRows(
        _ rows: UnsafePointer<Float>, columns: UnsafePointer<Int32>, confidence: UnsafePointer<Float>,
        entries: Range<Int>,
        v: UnsafePointer<Float>, alpha: Float, beta: Float, into out: UnsafeMutablePointer<Float>, stride: Int
    ) {
        var e = entries.lowerBound
        while e + 4 <= entries.upperBound {
            let y0 = rows + Int(columns[e]) * stride, y1 = rows + Int(columns[e + 1]) * stride
            let y2 = rows + Int(columns[e + 2]) * stride, y3 = rows + Int(columns[e + 3]) * stride
            var s0 = SIMD8<Float>.zero, s1 = SIMD8<Float>.zero, s2 = SIMD8<Float>.zero, s3 = SIMD8<Float>.zero
            var k = 0
            while k < stride {
                let chunk = load(v, k)
                s0 += load(y0, k) * chunk
                s1 += load(y1, k) * chunk
                s2 += load(y2, k) * chunk
                s3 += load(y3, k) * chunk
                k += lanes
            }
            let c0 = confidence[e], c1 = confidence[e + 1], c2 = confidence[e + 2], c3 = confidence[e + 3]
            let k0 = SIMD8<Float>(repeating: alpha * c0 + beta * (c0 - 1) * sum(s0))
            let k1 = SIMD8<Float>(repeating: alpha * c1 + beta * (c1 - 1) * sum(s1))
            let k2 = SIMD8<Float>(repeating: alpha * c2 + beta * (c2 - 1) * sum(s2))
            let k3 = SIMD8<Float>(repeating: alpha * c3 + beta * (c3 - 1) * sum(s3))
            k = 0
            while k < stride {
                let update = (k0 * load(y0, k) + k1 * load(y1, k)) + (k2 * load(y2, k) + k3 * load(y3, k))
                store(load(out, k) + update, out, k)
                k += lanes
            }
            e += 4
        }
        while e < entries.upperBound {
            let y = rows + Int(columns[e]) * stride
            let c = confidence[e]
            axpy(alpha * c + beta * (c - 1) * dot(y, v, count: stride), y, out, count: stride)
            e += 1
        }
    }
}
