import Foundation
import RecNN

/// Finite-difference gradient checks.
///
/// The numeric gradient of a scalar f at x is the central difference
/// (f(x + h e_k) − f(x − h e_k)) / (x_k⁺ − x_k⁻) per coordinate, with h = 10⁻³ and x_k± the Float
/// values actually stored (so rounding of x ± h does not bias the step). f is evaluated by the
/// Float layers and summed in Double. Its error: truncation O(h² f‴) ≈ 10⁻⁶ relative, plus Float
/// rounding of the layer outputs, about 6·10⁻⁸ × |y| × (number of terms) / 2h ≈ 10⁻⁴ × |y| per
/// coordinate. Analytic and numeric gradients are compared as whole vectors by
/// ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂). The ``tolerance`` of 2·10⁻³ sits 14 times above the worst error
/// measured over all checks (1.4·10⁻⁴, LayerNorm's input; all figures in docs/recnn.md) and far
/// below what a real mistake gives: a wrong sign gives 2, a gradient 5% too large 0.048, one
/// dropped coordinate or term 0.1 or more (``GradientCheckTests`` shows each one rejected).
enum GradientCheck {
    static let step: Float = 1e-3
    static let tolerance = 2e-3

    /// Central differences of f at x, one coordinate at a time (2 × x.count evaluations).
    static func numericGradient(at x: [Float], _ f: ([Float]) -> Double) -> [Double] {
        var probe = x
        var result = [Double](repeating: 0, count: x.count)
        for k in x.indices {
            let up = x[k] + step
            let down = x[k] - step
            probe[k] = up
            let fUp = f(probe)
            probe[k] = down
            let fDown = f(probe)
            probe[k] = x[k]
            result[k] = (fUp - fDown) / (Double(up) - Double(down))
        }
        return result
    }

    /// ‖a − n‖₂ / max(‖a‖₂, ‖n‖₂), or 0 when both are 0.
    static func relativeError(_ analytic: [Float], _ numeric: [Double]) -> Double {
        precondition(analytic.count == numeric.count, "gradients of different lengths")
        var difference = 0.0
        var a2 = 0.0
        var n2 = 0.0
        for (a, n) in zip(analytic, numeric) {
            difference += (Double(a) - n) * (Double(a) - n)
            a2 += Double(a) * Double(a)
            n2 += n * n
        }
        let scale = max(a2, n2).squareRoot()
        return scale == 0 ? 0 : difference.squareRoot() / scale
    }

    /// Σ_k r_k y_k in Double: the scalar whose gradient with respect to y is r.
    static func projection(_ y: [Float], _ r: [Float]) -> Double {
        zip(y, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// A matrix of N(0, std²) entries.
    static func randomMatrix(rows: Int, columns: Int, std: Float = 1, rng: inout NNRandom) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in rng.normal(mean: 0, std: std) })
    }

    /// One named comparison of an analytic gradient with central differences.
    struct Result: CustomStringConvertible {
        var name: String
        var error: Double
        var description: String { "\(name): \(error)" }
    }

    /// Checks a layer on f(x, θ) = Σ R ⊙ layer(x) for a fixed random R: ∂f/∂x from `backward(R)`
    /// and every parameter's accumulated gradient against central differences. Each evaluation of
    /// f runs a fresh copy of the untouched `layer`, so a dropout layer replays the same mask.
    static func check<L: Layer>(_ layer: L, input: Matrix, training: Bool = true, seed: UInt64 = 99) -> [Result] {
        var rng = NNRandom(seed: seed)
        var trained = layer
        let output = trained.forward(input, training: training)
        let r = randomMatrix(rows: output.rows, columns: output.columns, rng: &rng)
        let gradInput = trained.backward(r)
        var results: [Result] = []

        let numericInput = numericGradient(at: input.values) { x in
            var fresh = layer
            let y = fresh.forward(Matrix(rows: input.rows, columns: input.columns, values: x), training: training)
            return projection(y.values, r.values)
        }
        results.append(Result(name: "input", error: relativeError(gradInput.values, numericInput)))

        var analytic: [(String, [Float], [Float])] = []
        trained.visitParameters { analytic.append(($0.name, $0.gradient, $0.value)) }
        for (index, (name, gradient, value)) in analytic.enumerated() {
            let numeric = numericGradient(at: value) { v in
                var fresh = layer
                var position = 0
                fresh.visitParameters {
                    if position == index { $0.value = v }
                    position += 1
                }
                return projection(fresh.forward(input, training: training).values, r.values)
            }
            results.append(Result(name: "\(index) \(name)", error: relativeError(gradient, numeric)))
        }
        record(String(describing: L.self), results)
        return results
    }

    /// Prints the errors when RECNN_GRADIENT_REPORT is set (how docs/recnn.md's figures were taken).
    static func record(_ check: String, _ results: [Result]) {
        guard ProcessInfo.processInfo.environment["RECNN_GRADIENT_REPORT"] != nil else { return }
        for result in results { print("gradient-check \(check) \(result.name) \(result.error)") }
    }
}
