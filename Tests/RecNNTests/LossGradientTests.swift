import Foundation
import RecNN
import Testing

/// Every loss: its value against the formula written out in Double, its gradient against central
/// differences of the loss itself (tolerance: ``GradientCheck``).
@Suite("Loss values and gradients")
struct LossGradientTests {
    static func expectClose(_ error: Double, _ what: String) {
        #expect(error < GradientCheck.tolerance, "\(what): relative error \(error)")
    }

    // MARK: InBatchSoftmax

    /// Rows 1 and 4 share item 7, so each is masked out of the other's negatives.
    static let itemIDs: [Int32] = [3, 7, 2, 9, 7]
    static let logQ: [Float] = [-1.2, -0.5, -2.0, -3.1, -0.5]

    static func towers(seed: UInt64 = 11) -> (Matrix, Matrix) {
        var rng = NNRandom(seed: seed)
        return (
            GradientCheck.randomMatrix(rows: 5, columns: 4, std: 0.5, rng: &rng),
            GradientCheck.randomMatrix(rows: 5, columns: 4, std: 0.5, rng: &rng)
        )
    }

    /// The loss written out in Double: ℓ_ij = u_i·v_j/τ − log Q_j over N(i), −log softmax at i.
    static func referenceLoss(_ u: Matrix, _ v: Matrix, logQ: [Float], ids: [Int32], tau: Double) -> Double {
        let b = u.rows
        var total = 0.0
        for i in 0..<b {
            var logits: [Double] = []
            var positive = 0.0
            for j in 0..<b where j == i || ids[j] != ids[i] {
                let dot = (0..<u.columns).reduce(0.0) { $0 + Double(u[i, $1]) * Double(v[j, $1]) }
                let logit = dot / tau - Double(logQ[j])
                logits.append(logit)
                if j == i { positive = logit }
            }
            total += log(logits.reduce(0.0) { $0 + exp($1) }) - positive
        }
        return total / Double(b)
    }

    @Test func inBatchSoftmaxMatchesTheFormula() {
        let (u, v) = Self.towers()
        let loss = InBatchSoftmax(temperature: 0.2).loss(users: u, items: v, logQ: Self.logQ, itemIDs: Self.itemIDs)
            .loss
        let reference = Self.referenceLoss(u, v, logQ: Self.logQ, ids: Self.itemIDs, tau: 0.2)
        #expect(abs(Double(loss) - reference) < 1e-5 * max(1, abs(reference)), "\(loss) against \(reference)")
        // Without the mask, rows 1 and 4 would count each other as negatives: a larger loss.
        let unmasked = Self.referenceLoss(u, v, logQ: Self.logQ, ids: [0, 1, 2, 3, 4], tau: 0.2)
        #expect(unmasked > reference + 1e-3)
        let distinct = InBatchSoftmax(temperature: 0.2).loss(
            users: u, items: v, logQ: Self.logQ, itemIDs: [0, 1, 2, 3, 4])
        #expect(abs(Double(distinct.loss) - unmasked) < 1e-5 * max(1, unmasked))
    }

    @Test func inBatchSoftmaxGradientsMatchCentralDifferences() {
        let (u, v) = Self.towers()
        let softmax = InBatchSoftmax(temperature: 0.2)
        let result = softmax.loss(users: u, items: v, logQ: Self.logQ, itemIDs: Self.itemIDs)
        let numericU = GradientCheck.numericGradient(at: u.values) { x in
            Double(
                softmax.loss(
                    users: Matrix(rows: 5, columns: 4, values: x), items: v, logQ: Self.logQ, itemIDs: Self.itemIDs
                ).loss)
        }
        let numericV = GradientCheck.numericGradient(at: v.values) { x in
            Double(
                softmax.loss(
                    users: u, items: Matrix(rows: 5, columns: 4, values: x), logQ: Self.logQ, itemIDs: Self.itemIDs
                ).loss)
        }
        let errors = [
            GradientCheck.Result(
                name: "users", error: GradientCheck.relativeError(result.userGradient.values, numericU)),
            GradientCheck.Result(
                name: "items", error: GradientCheck.relativeError(result.itemGradient.values, numericV)),
        ]
        GradientCheck.record("InBatchSoftmax", errors)
        for e in errors { Self.expectClose(e.error, "InBatchSoftmax \(e.name)") }
    }

    /// Row weights scale each row's term (a row of weight 0 is only a negative): the value is the
    /// weighted formula, and the gradients match central differences of that loss.
    @Test func inBatchSoftmaxRowWeightsScaleEachRowsTerm() {
        let (u, v) = Self.towers()
        let weights: [Float] = [1, 0, 0.5, 2, 1]
        let softmax = InBatchSoftmax(temperature: 0.2)
        let result = softmax.loss(users: u, items: v, logQ: Self.logQ, itemIDs: Self.itemIDs, rowWeights: weights)
        var reference = 0.0
        for i in 0..<5 {
            let term = Self.referenceTerm(u, v, row: i, logQ: Self.logQ, ids: Self.itemIDs, tau: 0.2)
            reference += Double(weights[i]) * term
        }
        reference /= 5
        #expect(abs(Double(result.loss) - reference) < 1e-5 * max(1, abs(reference)), "\(result.loss) against \(reference)")
        // Row 1 (weight 0) gets no user gradient; its item still gets one as others' negative.
        #expect((4..<8).allSatisfy { result.userGradient.values[$0] == 0 })
        #expect((4..<8).contains { result.itemGradient.values[$0] != 0 })
        let numericU = GradientCheck.numericGradient(at: u.values) { x in
            Double(
                softmax.loss(
                    users: Matrix(rows: 5, columns: 4, values: x), items: v, logQ: Self.logQ, itemIDs: Self.itemIDs,
                    rowWeights: weights
                ).loss)
        }
        let numericV = GradientCheck.numericGradient(at: v.values) { x in
            Double(
                softmax.loss(
                    users: u, items: Matrix(rows: 5, columns: 4, values: x), logQ: Self.logQ, itemIDs: Self.itemIDs,
                    rowWeights: weights
                ).loss)
        }
        Self.expectClose(GradientCheck.relativeError(result.userGradient.values, numericU), "weighted rows: users")
        Self.expectClose(GradientCheck.relativeError(result.itemGradient.values, numericV), "weighted rows: items")
    }

    /// Row i's −log softmax term of ``referenceLoss(_:_:logQ:ids:tau:)``.
    static func referenceTerm(_ u: Matrix, _ v: Matrix, row i: Int, logQ: [Float], ids: [Int32], tau: Double) -> Double {
        var logits: [Double] = []
        var positive = 0.0
        for j in 0..<u.rows where j == i || ids[j] != ids[i] {
            let dot = (0..<u.columns).reduce(0.0) { $0 + Double(u[i, $1]) * Double(v[j, $1]) }
            let logit = dot / tau - Double(logQ[j])
            logits.append(logit)
            if j == i { positive = logit }
        }
        return log(logits.reduce(0.0) { $0 + exp($1) }) - positive
    }

    /// log Q_j is subtracted from column j of the logits (the positive's included, as in Yi et al.):
    /// with uneven Q the loss is the formula's, and differs from the loss with even Q.
    @Test func logQCorrectionFollowsTheFormula() {
        let (u, v) = Self.towers()
        let softmax = InBatchSoftmax(temperature: 0.2)
        let flat = softmax.loss(users: u, items: v, logQ: [Float](repeating: -2, count: 5), itemIDs: Self.itemIDs).loss
        var popular = [Float](repeating: -2, count: 5)
        popular[2] = 0
        let corrected = softmax.loss(users: u, items: v, logQ: popular, itemIDs: Self.itemIDs).loss
        let reference = Self.referenceLoss(u, v, logQ: popular, ids: Self.itemIDs, tau: 0.2)
        #expect(abs(Double(corrected) - reference) < 1e-5 * max(1, reference))
        #expect(corrected != flat)
    }

    /// Large logits (τ small, long vectors) stay finite.
    @Test func inBatchSoftmaxIsStableForLargeLogits() {
        let (u, v) = Self.towers()
        let scaled = Matrix(rows: 5, columns: 4, values: u.values.map { $0 * 100 })
        let result = InBatchSoftmax(temperature: 0.01).loss(
            users: scaled, items: v, logQ: Self.logQ, itemIDs: Self.itemIDs)
        #expect(result.loss.isFinite)
        #expect(result.userGradient.values.allSatisfy(\.isFinite) && result.itemGradient.values.allSatisfy(\.isFinite))
    }

    // MARK: MeanSquaredError and BinaryCrossEntropyWithLogits

    @Test func meanSquaredErrorMatchesFormulaAndCentralDifferences() {
        let predictions: [Float] = [3.5, 2.0, 4.8, 1.2]
        let targets: [Float] = [4, 2, 5, 3]
        let result = MeanSquaredError().loss(predictions: predictions, targets: targets)
        #expect(abs(result.loss - (0.25 + 0 + 0.04 + 3.24) / 4) < 1e-6)
        let numeric = GradientCheck.numericGradient(at: predictions) {
            Double(MeanSquaredError().loss(predictions: $0, targets: targets).loss)
        }
        let error = GradientCheck.relativeError(result.gradient, numeric)
        GradientCheck.record("MeanSquaredError", [.init(name: "predictions", error: error)])
        Self.expectClose(error, "MeanSquaredError")
    }

    @Test func binaryCrossEntropyMatchesFormulaAndCentralDifferences() {
        let logits: [Float] = [2.0, -1.0, 0.3, -0.7, 1.5]
        let targets: [Float] = [1, 0, 1, 1, 0.25]
        let result = BinaryCrossEntropyWithLogits().loss(logits: logits, targets: targets)
        let reference =
            zip(logits, targets).reduce(0.0) { total, pair in
                let p = 1 / (1 + exp(-Double(pair.0)))
                return total - Double(pair.1) * log(p) - (1 - Double(pair.1)) * log(1 - p)
            } / 5
        #expect(abs(Double(result.loss) - reference) < 1e-6)
        let numeric = GradientCheck.numericGradient(at: logits) {
            Double(BinaryCrossEntropyWithLogits().loss(logits: $0, targets: targets).loss)
        }
        let error = GradientCheck.relativeError(result.gradient, numeric)
        GradientCheck.record("BinaryCrossEntropyWithLogits", [.init(name: "logits", error: error)])
        Self.expectClose(error, "BinaryCrossEntropyWithLogits")
        let extreme = BinaryCrossEntropyWithLogits().loss(logits: [200, -200], targets: [0, 1])
        #expect(abs(extreme.loss - 200) < 1e-3, "no overflow: \(extreme.loss)")
        #expect(abs(extreme.gradient[0] - 0.5) < 1e-6 && abs(extreme.gradient[1] + 0.5) < 1e-6)
    }

    // MARK: ImpressionSoftmax

    /// Groups: one click of three; two clicks of four; all clicked (skipped); none clicked
    /// (skipped); one click, one non-click and an unlabelled candidate (left out).
    static let offsets = [0, 3, 7, 9, 11, 14]
    static let labels: [Int8] = [0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, -1, 1, 0]
    static let scores: [Float] = [0.2, 1.1, -0.4, 0.9, 0.1, 0.3, -1.0, 2.0, 1.0, -0.5, 0.7, 5.0, 0.4, 0.6]

    @Test func impressionSoftmaxMatchesTheFormula() {
        let result = ImpressionSoftmax().loss(scores: Self.scores, offsets: Self.offsets, labels: Self.labels)
        #expect(result.groupCount == 3)
        func groupLoss(_ range: Range<Int>) -> Double {
            let labelled = range.filter { Self.labels[$0] >= 0 }
            let logSum = log(labelled.reduce(0.0) { $0 + exp(Double(Self.scores[$1])) })
            let clicked = labelled.filter { Self.labels[$0] == 1 }
            return clicked.reduce(0.0) { $0 + logSum - Double(Self.scores[$1]) } / Double(clicked.count)
        }
        let reference = (groupLoss(0..<3) + groupLoss(3..<7) + groupLoss(11..<14)) / 3
        #expect(abs(Double(result.loss) - reference) < 1e-6, "\(result.loss) against \(reference)")
        #expect(result.gradient[7..<11].allSatisfy { $0 == 0 }, "skipped groups get no gradient")
        #expect(result.gradient[11] == 0, "an unlabelled candidate gets no gradient")
        // Within a counted group the gradient sums to 0 (softmax minus a distribution).
        for range in [0..<3, 3..<7, 11..<14] {
            #expect(abs(result.gradient[range].reduce(0, +)) < 1e-6)
        }
    }

    @Test func impressionSoftmaxGradientMatchesCentralDifferences() {
        let softmax = ImpressionSoftmax()
        let result = softmax.loss(scores: Self.scores, offsets: Self.offsets, labels: Self.labels)
        let numeric = GradientCheck.numericGradient(at: Self.scores) {
            Double(softmax.loss(scores: $0, offsets: Self.offsets, labels: Self.labels).loss)
        }
        let error = GradientCheck.relativeError(result.gradient, numeric)
        GradientCheck.record("ImpressionSoftmax", [.init(name: "scores", error: error)])
        Self.expectClose(error, "ImpressionSoftmax")
    }

    @Test func impressionSoftmaxWithNothingToRankIsZero() {
        let result = ImpressionSoftmax().loss(scores: [1, 2, 3], offsets: [0, 2, 3], labels: [1, 1, 0])
        #expect(result.loss == 0 && result.groupCount == 0 && result.gradient == [0, 0, 0])
        let empty = ImpressionSoftmax().loss(scores: [], offsets: [0], labels: [])
        #expect(empty.loss == 0 && empty.groupCount == 0 && empty.gradient.isEmpty)
    }
}
