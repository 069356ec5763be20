import CLinearAlgebra
import Foundation

/// The numeric steps of a BERT forward pass over packed token rows: row-major [tokens, width]
/// buffers, the matrix products in OpenBLAS `cblas_sgemm`, the rest in plain loops over pointers.
///
/// - Determinism: every loop accumulates in a fixed order that depends only on the widths, never on
///   the thread or on the other rows, so a row's result is the same whichever worker computes it.
enum BertKernels {
    /// y = x Wᵀ + b for `rows` rows of x [rows, inputWidth] and a PyTorch `nn.Linear` weight
    /// W [outputWidth, inputWidth]; y [rows, outputWidth] must not overlap x.
    /// - Complexity: rows × inputWidth × outputWidth multiply-adds (OpenBLAS, on the calling thread
    ///   when OpenBLAS runs one thread).
    @inline(__always)
    static func dense(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, outputWidth: Int, into output: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows { (output + row * outputWidth).update(from: bias, count: outputWidth) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(outputWidth), blasint(inputWidth),
            1, input, blasint(inputWidth), weight, blasint(inputWidth), 1, output, blasint(outputWidth))
    }

    /// LayerNorm of each row in place: y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² (biased) the
    /// row's mean and variance, computed in two passes with four partial sums.
    /// - Complexity: 3 × rows × width.
    static func layerNorm(
        _ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0..<rows {
            let x = values + row * width
            let mean = sum(x, count: width) / Float(width)
            var s0: Float = 0
            var s1: Float = 0
            var s2: Float = 0
            var s3: Float = 0
            var j = 0
            while j + 4 <= width {
                let d0 = x[j] - mean
                let d1 = x[j + 1] - mean
                let d2 = x[j + 2] - mean
                let d3 = x[j + 3] - mean
                s0 += d0 * d0
                s1 += d1 * d1
                s2 += d2 * d2
                s3 += d3 * d3
                j += 4
            }
            while j < width {
                let d = x[j] - mean
                s0 += d * d
                j += 1
            }
            let variance = ((s0 + s1) + (s2 + s3)) / Float(width)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for k in 0..<width { x[k] = (x[k] - mean) * inverse * scale[k] + bias[k] }
        }
    }

    /// x[0] + … + x[count − 1] with four partial sums (fixed order).
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0
        var s1: Float = 0
        var s2: Float = 0
        var s3: Float = 0
        var j = 0
        while j + 4 <= count {
            s0 += x[j]
            s1 += x[j + 1]
            s2 += x[j + 2]
            s3 += x[j + 3]
            j += 4
        }
        while j < count {
            s0 += x[j]
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// hidden ← LayerNorm(update + hidden) row by row (BERT's residual connection); `update` is
    /// overwritten by the sum.
    static func addAndNormalize(
        _ update: UnsafeMutablePointer<Float>, into hidden: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        scale: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float
    ) {
        let count = rows * width
        for k in 0..<count { update[k] += hidden[k] }
        layerNorm(update, rows: rows, width: width, scale: scale, bias: bias, epsilon: epsilon)
        hidden.update(from: update, count: count)
    }

    /// Exact GELU in place: x · Φ(x) = x/2 · (1 + erf(x/√2)), with the C library's `erff`.
    /// - Complexity: count calls of `erff`.
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let inverseSquareRootTwo: Float = 0.707_106_781_186_547_524
        for k in 0..<count {
            let x = values[k]
            values[k] = 0.5 * x * (1 + erff(x * inverseSquareRootTwo))
        }
    }

    /// Softmax of each row of [rows, width] in place: p_j = exp(s_j − max s) / Σ exp(s_k − max s).
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let s = scores + row * width
            var maximum = s[0]
            for j in 1..<width where s[j] > maximum { maximum = s[j] }
            var total: Float = 0
            for j in 0..<width {
                let e = expf(s[j] - maximum)
                s[j] = e
                total += e
            }
            for j in 0..<width { s[j] /= total }
        }
    }

    /// Multi-head scaled dot-product attention of one sequence whose `length` token rows start at
    /// `query`, `key` and `value` (each [length, hidden], head h in columns h·d ..< (h+1)·d):
    /// context_h = softmax(Q_h K_hᵀ / √d) V_h, written to the same columns of `context`.
    ///
    /// Only the sequence's own tokens are keys. That is what BERT's padding mask computes: a padded
    /// key gets −∞ added before the softmax, so exp gives it weight exactly 0, here without
    /// computing it.
    /// - Parameter scores: scratch of at least length² floats.
    /// - Complexity: 2 × length² × hidden multiply-adds and heads × length² `expf`.
    static func attention(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
        context: UnsafeMutablePointer<Float>, length: Int, hidden: Int, heads: Int,
        scores: UnsafeMutablePointer<Float>
    ) {
        let headSize = hidden / heads
        let scale = 1 / Float(headSize).squareRoot()
        let n = blasint(length)
        for head in 0..<heads {
            let column = head * headSize
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, n, n, blasint(headSize), scale, query + column,
                blasint(hidden), key + column, blasint(hidden), 0, scores, n)
            softmaxRows(scores, rows: length, width: length)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, n, blasint(headSize), n, 1, scores, n, value + column,
                blasint(hidden), 0, context + column, blasint(hidden))
        }
    }

    /// Mean of `rows` rows of [rows, width], then divided by its L2 norm (floored at 1e-12, as
    /// PyTorch's `F.normalize`), written to `output` [width].
    static func meanPoolAndNormalize(
        _ hidden: UnsafePointer<Float>, rows: Int, width: Int, into output: UnsafeMutablePointer<Float>
    ) {
        output.update(repeating: 0, count: width)
        for row in 0..<rows {
            let x = hidden + row * width
            for j in 0..<width { output[j] += x[j] }
        }
        let count = Float(rows)
        for j in 0..<width { output[j] /= count }
        var s0: Float = 0
        var s1: Float = 0
        var j = 0
        while j + 2 <= width {
            s0 += output[j] * output[j]
            s1 += output[j + 1] * output[j + 1]
            j += 2
        }
        if j < width { s0 += output[j] * output[j] }
        let norm = max((s0 + s1).squareRoot(), 1e-12)
        for k in 0..<width { output[k] /= norm }
    }
}
