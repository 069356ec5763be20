import RecNN
import Testing

@Suite("AdamW")
struct OptimizerTests {
    static let adam = AdamW(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)

    /// θ = 1, g = 0.5 then −0.2, η = 0.1, λ = 0.01:
    /// step 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25,
    ///         θ = 1 · (1 − 0.001) − 0.1 · 0.5 / (0.5 + 10⁻⁸) = 0.899000002;
    /// step 2: m = 0.025, v = 0.00028975, m̂ = 0.025 / 0.19 = 0.1315789, v̂ = 0.00028975 / 0.001999 = 0.1449475,
    ///         θ = 0.899000002 · 0.999 − 0.1 · 0.1315789 / (0.3807197 + 10⁻⁸) = 0.8635404.
    @Test func twoStepsMatchAHandComputation() {
        var parameter = Parameter(name: "w", value: [1], shape: [1], decays: true)
        parameter.gradient = [0.5]
        Self.adam.step(&parameter)
        #expect(abs(parameter.value[0] - 0.899_000_002) < 1e-6, "\(parameter.value[0])")
        // 1 − β in Float is off by up to 5·10⁻⁵ relative (0.999 is not a binary fraction), hence 10⁻⁷.
        #expect(abs(parameter.firstMoment[0] - 0.05) < 1e-7 && abs(parameter.secondMoment[0] - 0.000_25) < 1e-7)
        #expect(parameter.gradient == [0], "the step zeroes the gradient")
        parameter.gradient = [-0.2]
        Self.adam.step(&parameter)
        #expect(abs(parameter.value[0] - 0.863_540_418) < 1e-6, "\(parameter.value[0])")
        #expect(parameter.stepCount == 2)
    }

    /// `learningRate:` overrides the base rate for one step (as a schedule does).
    @Test func aStepsLearningRateOverridesTheBaseRate() {
        var a = Parameter(name: "w", value: [1], shape: [1], decays: true)
        var b = a
        a.gradient = [0.5]
        b.gradient = [0.5]
        Self.adam.step(&a, learningRate: 0.05)
        AdamW(learningRate: 0.05, weightDecay: 0.01).step(&b)
        #expect(a.value == b.value)
        #expect(abs(a.value[0] - (1 * (1 - 0.0005) - 0.05)) < 1e-6)
    }

    /// With a zero gradient Adam's step is 0, so only the decay moves θ: θ (1 − ηλ) for a
    /// decaying parameter, unchanged otherwise.
    @Test func weightDecaySkipsNonDecayingParameters() {
        var parameters = [
            Parameter(name: "weight", value: [2, -4], shape: [2], decays: true),
            Parameter(name: "bias", value: [2, -4], shape: [2], decays: false),
        ]
        Self.adam.step(&parameters)
        let shrink: Float = 1 - 0.1 * 0.01
        let decayed: [Float] = [2 * shrink, -4 * shrink]
        #expect(parameters[0].value == decayed)
        #expect(parameters[1].value == [2, -4])
        var rng = NNRandom(seed: 1)
        var dense = Dense(input: 2, output: 2, rng: &rng)
        #expect(dense.weight.decays && !dense.bias!.decays)
        var norm = LayerNorm(dimension: 2)
        var decaying = 0
        norm.visitParameters { decaying += $0.decays ? 1 : 0 }
        dense.visitParameters { decaying += $0.decays ? 1 : 0 }
        #expect(decaying == 1, "only the dense weight decays")
    }

    /// Lazy Adam: rows 1 and 3 are looked up; only they change (values and moments); the others
    /// stay bit-identical, their moments zero, and the bookkeeping is cleared after the step.
    @Test func lazyUpdateTouchesOnlyTouchedRows() {
        var rng = NNRandom(seed: 2)
        var embedding = Embedding(count: 5, dimension: 2, rng: &rng)
        let before = embedding.table.value
        embedding.backward(ids: [1, 3, 1], gradOutput: Matrix(rows: [[0.5, -0.5], [1, 1], [0.5, 0.5]]))
        #expect(embedding.table.touchedRows == [1, 3])
        #expect(embedding.table.gradient[2..<4] == [1, 0])
        Self.adam.step(&embedding)
        let after = embedding.table.value
        for row in 0..<5 {
            let changed = after[row * 2..<row * 2 + 2] != before[row * 2..<row * 2 + 2]
            #expect(changed == (row == 1 || row == 3), "row \(row)")
            let moments =
                embedding.table.firstMoment[row * 2..<row * 2 + 2] + embedding.table.secondMoment[row * 2..<row * 2 + 2]
            if row != 1 && row != 3 { #expect(moments.allSatisfy { $0 == 0 }, "row \(row)'s moments") }
        }
        #expect(embedding.table.touchedRows.isEmpty)
        #expect(embedding.table.gradient.allSatisfy { $0 == 0 })
    }

    /// A row first touched at the second step is bias-corrected with t = 2 (the global step), not 1:
    /// θ = 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.05 / 0.19 = 0.2631579, v̂ = 0.00025 / 0.001999 = 0.1250625,
    /// θ = 1 · 0.999 − 0.1 · 0.2631579 / 0.3536418 = 0.9245863.
    @Test func lazyBiasCorrectionUsesTheGlobalStep() {
        var embedding = Embedding(table: Matrix(rows: [[1], [1]]))
        embedding.backward(ids: [0], gradOutput: Matrix(rows: [[0.5]]))
        Self.adam.step(&embedding)
        embedding.backward(ids: [1], gradOutput: Matrix(rows: [[0.5]]))
        Self.adam.step(&embedding)
        #expect(embedding.table.stepCount == 2)
        #expect(abs(embedding.table.value[1] - 0.924_586_32) < 1e-6, "\(embedding.table.value[1])")
    }

    @Test func zeroGradientsAndClipping() {
        var rng = NNRandom(seed: 3)
        var dense = Dense(input: 2, output: 1, rng: &rng)
        dense.weight.gradient = [3, 0]
        dense.bias!.gradient = [4]
        let norm = dense.clipGradientNorm(1)
        #expect(norm == 5)
        #expect(abs(dense.weight.gradient[0] - 0.6) < 1e-6 && abs(dense.bias!.gradient[0] - 0.8) < 1e-6)
        #expect(dense.clipGradientNorm(10) <= 1.000_001, "below the maximum nothing changes")
        dense.zeroGradients()
        #expect(dense.weight.gradient == [0, 0] && dense.bias!.gradient == [0])
    }
}
