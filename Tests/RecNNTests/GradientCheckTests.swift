import RecNN
import Testing

/// The gradient check itself must fail on wrong gradients, or passing it proves nothing.
@Suite("Gradient check catches mistakes")
struct GradientCheckTests {
    /// A LayerNorm input gradient from the layer, and the central differences it is checked against.
    static func layerNormGradients() -> (input: Matrix, r: Matrix, analytic: [Float], numeric: [Double]) {
        var rng = NNRandom(seed: 21)
        let x = GradientCheck.randomMatrix(rows: 3, columns: 5, rng: &rng)
        var layer = LayerNorm(dimension: 5)
        layer.scale.value = [0.5, 1.5, -1, 2, 0.8]
        let fresh = layer
        let y = layer.forward(x, training: true)
        let r = GradientCheck.randomMatrix(rows: y.rows, columns: y.columns, rng: &rng)
        let analytic = layer.backward(r).values
        let numeric = GradientCheck.numericGradient(at: x.values) { values in
            var copy = fresh
            return GradientCheck.projection(
                copy.forward(Matrix(rows: 3, columns: 5, values: values), training: true).values, r.values)
        }
        return (x, r, analytic, numeric)
    }

    @Test func theCorrectGradientPasses() {
        let g = Self.layerNormGradients()
        #expect(GradientCheck.relativeError(g.analytic, g.numeric) < GradientCheck.tolerance)
    }

    @Test func aWrongSignFails() {
        let g = Self.layerNormGradients()
        let error = GradientCheck.relativeError(g.analytic.map { -$0 }, g.numeric)
        GradientCheck.record("mistake", [.init(name: "aWrongSignFails", error: error)])
        #expect(error > 1.9, "\(error)")
    }

    @Test func aGradientFivePercentOffFails() {
        let g = Self.layerNormGradients()
        let error = GradientCheck.relativeError(g.analytic.map { $0 * 1.05 }, g.numeric)
        GradientCheck.record("mistake", [.init(name: "aGradientFivePercentOffFails", error: error)])
        #expect(error > 20 * GradientCheck.tolerance, "\(error)")
    }

    @Test func oneDroppedCoordinateFails() {
        let g = Self.layerNormGradients()
        var wrong = g.analytic
        let largest = wrong.indices.max { abs(wrong[$0]) < abs(wrong[$1]) }!
        wrong[largest] = 0
        let error = GradientCheck.relativeError(wrong, g.numeric)
        GradientCheck.record("mistake", [.init(name: "oneDroppedCoordinateFails", error: error)])
        #expect(error > 50 * GradientCheck.tolerance, "\(error)")
    }

    /// The classic LayerNorm bug: differentiating as if σ did not depend on x, i.e. dropping the
    /// −x̂ · mean(ĝ ⊙ x̂) term: ∂x = s · (ĝ − mean(ĝ)).
    @Test func aMissingTermFails() {
        let g = Self.layerNormGradients()
        let gamma: [Float] = [0.5, 1.5, -1, 2, 0.8]
        var wrong = [Float]()
        for row in 0..<3 {
            let x = Array(g.input.row(row))
            let mean = x.reduce(0, +) / 5
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5
            let s = 1 / (variance + 1e-5).squareRoot()
            let gHat = (0..<5).map { gamma[$0] * g.r[row, $0] }
            let meanG = gHat.reduce(0, +) / 5
            wrong += gHat.map { s * ($0 - meanG) }
        }
        let error = GradientCheck.relativeError(wrong, g.numeric)
        GradientCheck.record("mistake", [.init(name: "aMissingTermFails", error: error)])
        #expect(error > 50 * GradientCheck.tolerance, "\(error)")
    }
}
