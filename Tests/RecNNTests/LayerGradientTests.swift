import RecNN
import Testing

/// Every layer's backward pass against central differences, with respect to its input and each
/// parameter (tolerance and its justification: ``GradientCheck``).
@Suite("Layer gradients")
struct LayerGradientTests {
    static func expectAllWithinTolerance(_ results: [GradientCheck.Result], _ layer: String) {
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.error < GradientCheck.tolerance, "\(layer) \(result.name): relative error \(result.error)")
        }
    }

    static func input(rows: Int = 3, columns: Int, seed: UInt64 = 5) -> Matrix {
        var rng = NNRandom(seed: seed)
        return GradientCheck.randomMatrix(rows: rows, columns: columns, rng: &rng)
    }

    @Test(arguments: [true, false])
    func denseMatchesCentralDifferences(bias: Bool) {
        var rng = NNRandom(seed: 1)
        var layer = Dense(input: 4, output: 5, bias: bias, rng: &rng)
        // A nonzero bias, so that the check does not start from the special point b = 0.
        layer.visitParameters { if $0.shape == [5] { $0.value = (0..<5).map { Float($0) * 0.1 - 0.2 } } }
        let results = GradientCheck.check(layer, input: Self.input(columns: 4))
        #expect(results.count == (bias ? 3 : 2))
        Self.expectAllWithinTolerance(results, "Dense")
    }

    @Test func reluMatchesAwayFromZero() {
        // Inputs at least 0.1 away from the kink, far beyond the 10⁻³ step.
        var x = Self.input(rows: 4, columns: 5)
        for k in x.values.indices where abs(x.values[k]) < 0.1 { x.values[k] = x.values[k] < 0 ? -0.1 : 0.1 }
        Self.expectAllWithinTolerance(GradientCheck.check(ReLU(), input: x), "ReLU")
    }

    @Test func geluMatchesCentralDifferences() {
        Self.expectAllWithinTolerance(GradientCheck.check(GELU(), input: Self.input(rows: 4, columns: 5)), "GELU")
    }

    @Test func layerNormMatchesCentralDifferences() {
        var layer = LayerNorm(dimension: 6)
        // γ ≠ 1 and β ≠ 0, so that terms multiplied by them are checked too.
        layer.scale.value = [0.5, 1.5, -1, 2, 0.8, 1.1]
        layer.shift.value = [0.1, -0.2, 0.3, 0, 0.5, -0.4]
        let results = GradientCheck.check(layer, input: Self.input(rows: 4, columns: 6))
        #expect(results.count == 3)
        Self.expectAllWithinTolerance(results, "LayerNorm")
    }

    @Test func l2NormalizeMatchesCentralDifferences() {
        Self.expectAllWithinTolerance(
            GradientCheck.check(L2Normalize(), input: Self.input(rows: 4, columns: 5)), "L2Normalize")
    }

    /// A zero row stays zero, and its gradient is g / ε (finite), not NaN.
    @Test func l2NormalizeKeepsAZeroRowZero() {
        var layer = L2Normalize(epsilon: 1e-6)
        let x = Matrix(rows: [[0, 0], [3, 4]])
        let y = layer.forward(x, training: true)
        #expect(y.row(0) == [0, 0])
        #expect(abs(y[1, 0] - 0.6) < 1e-6 && abs(y[1, 1] - 0.8) < 1e-6)
        let g = layer.backward(Matrix(rows: [[1, 0], [1, 0]]))
        #expect(abs(g[0, 0] - 1e6) < 1 && g[0, 1] == 0)
        #expect(abs(g[1, 0] - 0.64 / 5) < 1e-6 && abs(g[1, 1] + 0.48 / 5) < 1e-6)
    }

    /// Each evaluation replays the same mask (a copy of the layer holds the same generator state).
    @Test func dropoutMatchesWithAFixedMask() {
        var layer = Dropout(rate: 0.4, seed: 8)
        let x = Self.input(rows: 4, columns: 5)
        Self.expectAllWithinTolerance(GradientCheck.check(layer, input: x), "Dropout")
        let y = layer.forward(x, training: true)
        let kept = y.values.indices.filter { y.values[$0] != 0 }
        #expect(kept.count > 0 && kept.count < x.values.count, "some elements kept, some dropped")
        for k in kept { #expect(abs(y.values[k] - x.values[k] / 0.6) < 1e-6) }
        #expect(layer.forward(x, training: false) == x)
        #expect(layer.backward(x) == x, "inference backward is the identity")
    }

    @Test func dropoutKeepsAboutOneMinusRate() {
        var layer = Dropout(rate: 0.3, seed: 2)
        let y = layer.forward(
            Matrix(rows: 100, columns: 100, values: [Float](repeating: 1, count: 10_000)), training: true)
        let kept = Double(y.values.filter { $0 != 0 }.count) / 10_000
        #expect(abs(kept - 0.7) < 0.02, "kept \(kept)")
        let mean = y.values.reduce(0.0) { $0 + Double($1) } / 10_000
        #expect(abs(mean - 1) < 0.03, "inverted dropout keeps the mean: \(mean)")
    }

    @Test(arguments: [MLP.Activation.gelu, .relu])
    func mlpMatchesCentralDifferences(activation: MLP.Activation) {
        var rng = NNRandom(seed: 3)
        let layer = MLP(widths: [4, 6, 5, 3], activation: activation, layerNorm: true, dropout: 0.2, rng: &rng)
        let results = GradientCheck.check(layer, input: Self.input(rows: 3, columns: 4))
        // Input, 3 × (weight, bias), 2 × (γ, β).
        #expect(results.count == 1 + 6 + 4)
        Self.expectAllWithinTolerance(results, "MLP \(activation)")
    }

    @Test func mlpWithoutExtrasIsDenseActivationDense() {
        var rng = NNRandom(seed: 4)
        var mlp = MLP(widths: [3, 4, 2], activation: .relu, rng: &rng)
        #expect(mlp.parameterCount == 3 * 4 + 4 + 4 * 2 + 2)
        let x = Self.input(rows: 2, columns: 3)
        var first = mlp.layers[0]
        var second = mlp.layers[1]
        var relu = ReLU()
        let expected = second.forward(relu.forward(first.forward(x, training: true), training: true), training: true)
        #expect(mlp.forward(x, training: true) == expected)
        #expect(mlp.apply(x) == expected)
    }

    // MARK: Embeddings

    /// f(E) = Σ R ⊙ E[ids] with a repeated id (its two rows add) and −1 (no gradient).
    @Test func embeddingMatchesCentralDifferences() {
        var rng = NNRandom(seed: 6)
        let embedding = Embedding(count: 5, dimension: 3, std: 0.5, rng: &rng)
        let ids: [Int32] = [2, 0, -1, 2, 4]
        let r = GradientCheck.randomMatrix(rows: ids.count, columns: 3, rng: &rng)
        var trained = embedding
        let y = trained.forward(ids: ids)
        #expect(y.row(2).allSatisfy { $0 == 0 }, "id −1 looks up zeros")
        trained.backward(ids: ids, gradOutput: r)
        #expect(Set(trained.table.touchedRows) == [0, 2, 4])
        let numeric = GradientCheck.numericGradient(at: embedding.table.value) { table in
            let e = Embedding(table: Matrix(rows: 5, columns: 3, values: table))
            return GradientCheck.projection(e.forward(ids: ids).values, r.values)
        }
        let error = GradientCheck.relativeError(trained.table.gradient, numeric)
        GradientCheck.record("Embedding", [.init(name: "table", error: error)])
        #expect(error < GradientCheck.tolerance, "relative error \(error)")
        #expect(
            trained.table.gradient[3..<6].allSatisfy { $0 == 0 }
                && trained.table.gradient[9..<12].allSatisfy { $0 == 0 })
    }

    /// Bags [2, 0], [], [1, −1, 1, 3], [−1]: mean over the known ids, zeros for the last two kinds.
    @Test func embeddingBagMeanMatchesCentralDifferences() {
        var rng = NNRandom(seed: 7)
        let embedding = Embedding(count: 5, dimension: 3, std: 0.5, rng: &rng)
        let offsets = [0, 2, 2, 6, 7]
        let ids: [Int32] = [2, 0, 1, -1, 1, 3, -1]
        let r = GradientCheck.randomMatrix(rows: 4, columns: 3, rng: &rng)
        var trained = embedding
        let y = trained.forwardBags(offsets: offsets, ids: ids)
        let e = embedding.table.value
        for j in 0..<3 {
            #expect(abs(y[0, j] - (e[6 + j] + e[j]) / 2) < 1e-6)
            #expect(abs(y[2, j] - (2 * e[3 + j] + e[9 + j]) / 3) < 1e-6)
        }
        #expect(y.row(1).allSatisfy { $0 == 0 } && y.row(3).allSatisfy { $0 == 0 }, "empty bags give zeros")
        trained.backwardBags(offsets: offsets, ids: ids, gradOutput: r)
        #expect(Set(trained.table.touchedRows) == [0, 1, 2, 3])
        let numeric = GradientCheck.numericGradient(at: embedding.table.value) { table in
            let e = Embedding(table: Matrix(rows: 5, columns: 3, values: table))
            return GradientCheck.projection(e.forwardBags(offsets: offsets, ids: ids).values, r.values)
        }
        let error = GradientCheck.relativeError(trained.table.gradient, numeric)
        GradientCheck.record("EmbeddingBag", [.init(name: "table", error: error)])
        #expect(error < GradientCheck.tolerance, "relative error \(error)")
    }
}
