import CLinearAlgebra
import Foundation

/// The numeric steps of a BERT forward pass over packed token rows: row-major [tokens, width]
/// buffers, the matrix products in OpenBLAS `cblas_sgemm`, the rest in loops over pointers: sums
/// in eight running sums, elementwise loops branch-free (erf and exp included) so they vectorise.
///
/// - Determinism: every loop accumulates in a fixed order that depends only on the widths, never on
///   the thread or on the other rows, so a row's result is the same whichever worker computes it.
enum BertKernels {
    /// y = x Wᵀ (+ b) for `rows` rows of x [rows, inputWidth] and a PyTorch `nn.Linear` weight
    /// W [outputWidth, inputWidth]; y [rows, outputWidth] must not overlap x. Without `bias` the
    /// caller adds it in its next pass over y (`geluAddingBias`, `addBiasResidualAndNormalize`),
    /// saving a pass; y + b is the same float either way.
    /// - Complexity: rows × inputWidth × outputWidth multiply-adds (OpenBLAS, on the calling thread
    ///   when OpenBLAS runs one thread).
    @inline(__always)
    static func dense(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, outputWidth: Int, into output: UnsafeMutablePointer<Float>
    ) {
        if let bias {
            for row in 0..<rows { (output + row * outputWidth).update(from: bias, count: outputWidth) }
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, blasint(rows), blasint(outputWidth), blasint(inputWidth),
            1, input, blasint(inputWidth), weight, blasint(inputWidth), bias == nil ? 0 : 1, output,
            blasint(outputWidth))
    }

    /// LayerNorm of each row in place: y = (x − μ) / √(σ² + ε) · γ + β, with μ and σ² (biased) the
    /// row's mean and variance, computed in two passes.
    /// - Complexity: 3 × rows × width.
    static func layerNorm(
        _ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0..<rows {
            let x = values + row * width
            let mean = sum(x, count: width) / Float(width)
            var (s0, s1, s2, s3, s4, s5, s6, s7): (Float, Float, Float, Float, Float, Float, Float, Float) =
                (0, 0, 0, 0, 0, 0, 0, 0)
            var j = 0
            while j + 8 <= width {
                let (d0, d1, d2, d3) = (x[j] - mean, x[j + 1] - mean, x[j + 2] - mean, x[j + 3] - mean)
                let (d4, d5, d6, d7) = (x[j + 4] - mean, x[j + 5] - mean, x[j + 6] - mean, x[j + 7] - mean)
                s0 += d0 * d0
                s1 += d1 * d1
                s2 += d2 * d2
                s3 += d3 * d3
                s4 += d4 * d4
                s5 += d5 * d5
                s6 += d6 * d6
                s7 += d7 * d7
                j += 8
            }
            var total = ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))
            while j < width {
                total += (x[j] - mean) * (x[j] - mean)
                j += 1
            }
            let inverse = 1 / (total / Float(width) + epsilon).squareRoot()
            for k in 0..<width { x[k] = (x[k] - mean) * inverse * scale[k] + bias[k] }
        }
    }

    /// x[0] + … + x[count − 1] in eight running sums (which the compiler keeps in vector lanes),
    /// then the rest: a fixed order.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var (s0, s1, s2, s3, s4, s5, s6, s7): (Float, Float, Float, Float, Float, Float, Float, Float) =
            (0, 0, 0, 0, 0, 0, 0, 0)
        var j = 0
        while j + 8 <= count {
            s0 += x[j]
            s1 += x[j + 1]
            s2 += x[j + 2]
            s3 += x[j + 3]
            s4 += x[j + 4]
            s5 += x[j + 5]
            s6 += x[j + 6]
            s7 += x[j + 7]
            j += 8
        }
        var total = ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))
        while j < count {
            total += x[j]
            j += 1
        }
        return total
    }

    /// x ← LayerNorm((x + b) + r) row by row, x, r [rows, width] and b [width]: a dense layer's
    /// bias and BERT's residual connection, then its LayerNorm (γ `scale`, β `shift`).
    static func addBiasResidualAndNormalize(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>, rows: Int,
        width: Int, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>, epsilon: Float
    ) {
        for row in 0..<rows {
            let (x, r) = (values + row * width, residual + row * width)
            for j in 0..<width { x[j] = (x[j] + bias[j]) + r[j] }
        }
        layerNorm(values, rows: rows, width: width, scale: scale, bias: shift, epsilon: epsilon)
    }

    /// x ← GELU(x + b) row by row, x [rows, width], b [width]: exact GELU, v · Φ(v) =
    /// v/2 · (1 + erf(v/√2)), erf as `erf(_:)`.
    /// - Complexity: rows × width × (12 multiply-adds and a division), in vector lanes.
    static func geluAddingBias(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int
    ) {
        let inverseSquareRootTwo: Float = 0.707_106_781_186_547_524
        for row in 0..<rows {
            let x = values + row * width
            for j in 0..<width {
                let v = x[j] + bias[j]
                x[j] = 0.5 * v * (1 + erf(v * inverseSquareRootTwo))
            }
        }
    }

    /// erf(z) to within 3.7e-7 (about 6 units in the last place of 1), branch-free so a loop of it
    /// runs in vector lanes: z · P(z²) / Q(z²) on z clamped to [−4, 4] (|1 − erf(4)| = 1.5e-8),
    /// P of degree 5 and Q of degree 5 in z², a rational minimax fit of erf on [0, 4] made for
    /// crossrec (linearised least squares with Lawson reweighting, error 2.1e-8 in exact
    /// arithmetic; the rest is float32 rounding).
    @inline(__always)
    static func erf(_ value: Float) -> Float {
        let z = value < -4 ? -4 : (value > 4 ? 4 : value)
        let u = z * z
        var p: Float = 1.974_659_906_925_678_2e-06
        p = p * u + 2.880_147_321_856_742_4e-04
        p = p * u + 4.003_269_522_698_753_5e-03
        p = p * u + 5.346_635_535_493_341_6e-02
        p = p * u + 1.962_427_233_096_098e-01
        p = p * u + 1.128_378_977_410_975_4
        var q: Float = 3.747_765_164_295_825_6e-05
        q = q * u + 1.216_232_272_156_182_6e-03
        q = q * u + 1.544_372_039_013_262e-02
        q = q * u + 1.164_735_606_397_506_2e-01
        q = q * u + 5.072_467_533_001_791e-01
        q = q * u + 1
        return z * p / q
    }

    /// eˣ for x ≤ 0, branch-free so a loop of it runs in vector lanes, within 2 units in the last
    /// place for x ≥ −87 (below, e⁻⁸⁷ ≈ 1.6e-38, which a softmax adds to at least 1 = e⁰).
    /// eˣ = 2ᵏ · eʳ with k = round(x / ln 2) (the 1.5·2²³ shift rounds it), r = x − k ln 2 in two
    /// parts (|r| ≤ ln 2 / 2), eʳ by its Taylor series to r⁷ (truncation 5e-9), 2ᵏ built in the
    /// exponent bits.
    @inline(__always)
    static func expNonPositive(_ value: Float) -> Float {
        let x = value < -87 ? -87 : value
        let shift: Float = 12_582_912  // 1.5 × 2²³: adding it rounds to an integer in the low bits
        let shifted = x * 1.442_695_040_888_963_4 + shift
        let k = shifted - shift
        let r = (x - k * 0.693_145_751_953_125) - k * 1.428_606_765_330_187_1e-06
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let twoToK = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
        return p * twoToK
    }

    /// Softmax of each row of [rows, width] in place: p_j = exp(s_j − max s) / Σ exp(s_k − max s).
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let s = scores + row * width
            // Four running maxima.
            var (m0, m1, m2, m3) = (s[0], s[0], s[0], s[0])
            var j = 0
            while j + 4 <= width {
                m0 = s[j] > m0 ? s[j] : m0
                m1 = s[j + 1] > m1 ? s[j + 1] : m1
                m2 = s[j + 2] > m2 ? s[j + 2] : m2
                m3 = s[j + 3] > m3 ? s[j + 3] : m3
                j += 4
            }
            while j < width {
                m0 = s[j] > m0 ? s[j] : m0
                j += 1
            }
            let maximum = max(max(m0, m1), max(m2, m3))
            for k in 0..<width { s[k] = expNonPositive(s[k] - maximum) }
            let total = sum(s, count: width)
            for k in 0..<width { s[k] /= total }
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
    /// - Complexity: 2 × length² × hidden multiply-adds and heads × length² exponentials.
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
