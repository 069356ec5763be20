import Foundation

/// The exact Gaussian error linear unit (Hendrycks and Gimpel 2016): y = x · Φ(x) with
/// Φ(x) = (1 + erf(x / √2)) / 2 the standard normal CDF (not the tanh approximation).
///
/// Backward: dy/dx = Φ(x) + x · φ(x), with φ(x) = e^(−x²/2) / √(2π) the standard normal density.
/// - Complexity: O(B × width) each way: one `erf` per element forward (Φ is kept for backward),
///   one `exp` backward; keeps x and Φ(x) (2 × B × width floats).
public struct GELU: Layer, Sendable {
    private var lastInput = Matrix(zeros: 0, columns: 0)
    private var lastCDF: [Float] = []

    public init() {}

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {}

    public mutating func forward(_ input: Matrix, training: Bool) -> Matrix {
        lastInput = input
        lastCDF = input.values.map(Self.cdf)
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            lastCDF.withUnsafeBufferPointer { phi in
                for k in y.indices { y[k] *= phi[k] }
            }
        }
        return output
    }

    public func apply(_ input: Matrix) -> Matrix {
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            for k in y.indices { y[k] *= Self.cdf(y[k]) }
        }
        return output
    }

    public mutating func backward(_ gradOutput: Matrix) -> Matrix {
        checkShape(gradOutput, against: lastInput, in: "GELU")
        var gradInput = gradOutput
        gradInput.values.withUnsafeMutableBufferPointer { g in
            lastInput.values.withUnsafeBufferPointer { x in
                lastCDF.withUnsafeBufferPointer { phi in
                    for k in g.indices {
                        let v = x[k]
                        let density = exp(-0.5 * v * v) * 0.398_942_28  // 1/√(2π)
                        g[k] *= phi[k] + v * density
                    }
                }
            }
        }
        return gradInput
    }

    /// Φ(x) = (1 + erf(x / √2)) / 2.
    @inline(__always)
    static func cdf(_ x: Float) -> Float { 0.5 * (1 + erf(x * 0.707_106_77)) }
}
