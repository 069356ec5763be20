import RecData
import RecModels
import Sweep
import Testing

/// Biased MF's `order` hyperparameter: its validation, determinism, and the order `fixed` visits.
@Suite struct BiasedMFOrderTests {
    /// Users interleaved and first seen in the order 2, 0, 1 (not index order), items interleaved.
    static let rows: [(user: Int32, item: Int32, value: Float)] = [
        (2, 0, 5), (0, 1, 3), (2, 3, 1), (1, 0, 4), (0, 2, 2), (2, 1, 4), (1, 3, 5), (0, 0, 1),
    ]
    static let data = Fixtures.data(rows, users: 3, items: 4, explicit: true)

    @Test func fixedOrderGroupsByUserInFirstAppearanceOrderKeepingRowOrder() {
        // User 2's rows (0, 2, 5), then user 0's (1, 4, 7), then user 1's (3, 6).
        #expect(BiasedMF.fixedVisitingOrder(of: Self.data.interactions) == [0, 2, 5, 1, 4, 7, 3, 6])
        #expect(BiasedMF.fixedVisitingOrder(of: Interactions()).isEmpty)
    }

    @Test func fixedOrderOfAFileSortedByUserIsFileOrder() {
        let sorted = Fixtures.data(
            [(0, 3, 4), (0, 1, 2), (1, 0, 5), (4, 2, 3), (4, 0, 1)], users: 5, items: 4, explicit: true)
        #expect(BiasedMF.fixedVisitingOrder(of: sorted.interactions) == [0, 1, 2, 3, 4])
    }

    /// Biases learnt by SGD visiting `order` each epoch, as the model documents it, with zero factors.
    static func referenceBiasPredictions(order: [Int], epochs: Int, rate: Float, reg: Float) -> [Float] {
        let interactions = data.interactions
        var total = 0.0
        for value in interactions.values { total += Double(value) }
        let mean = Float(total / Double(interactions.count))
        var userBias = [Float](repeating: 0, count: 3), itemBias = [Float](repeating: 0, count: 4)
        for _ in 0..<epochs {
            for row in order {
                let u = Int(interactions.users[row]), i = Int(interactions.items[row])
                let error = interactions.values[row] - (mean + userBias[u] + itemBias[i] + 0)
                userBias[u] += rate * (error - reg * userBias[u])
                itemBias[i] += rate * (error - reg * itemBias[i])
            }
        }
        return (0..<3).flatMap { u in (0..<4).map { i in min(max(mean + userBias[u] + itemBias[i], 1), 5) } }
    }

    /// With init_std 0 the factors stay 0 and only the biases learn, which depends on the order in
    /// which rows are visited: the fitted model must match the documented order and no other.
    @Test func fixedOrderVisitsRowsInTheDocumentedOrder() throws {
        let (epochs, rate, reg): (Int, Float, Float) = (7, 0.2, 0.05)
        var model = BiasedMF(
            hyperparameters: .init(
                factors: 8, epochs: epochs, learningRate: rate, regularization: reg, initStandardDeviation: 0,
                order: .fixed),
            seed: 3)
        try model.fit(Self.data)
        let fitted = (0..<3).flatMap { u in (0..<4).map { i in model.predictRating(user: Int32(u), item: Int32(i))! } }
        let documented = Self.referenceBiasPredictions(
            order: [0, 2, 5, 1, 4, 7, 3, 6], epochs: epochs, rate: rate, reg: reg)
        for (a, b) in zip(fitted, documented) { #expect(abs(a - b) <= 1e-5, "\(fitted) vs \(documented)") }
        // The other plausible orders give visibly different biases, so the check above can fail.
        for other in [Array(0..<8), [1, 4, 7, 3, 6, 0, 2, 5]] {
            let predictions = Self.referenceBiasPredictions(order: other, epochs: epochs, rate: rate, reg: reg)
            let gap = zip(fitted, predictions).map { abs($0 - $1) }.max()!
            #expect(gap > 1e-3, "order \(other) is indistinguishable (gap \(gap))")
        }
    }

    @Test(arguments: BiasedMF.Order.allCases)
    func sameSeedIsBitIdenticalForEitherOrder(order: BiasedMF.Order) throws {
        let data = DeterminismTests.fixture.explicitData
        let parameters: [String: ParameterValueLiteral] = [
            "factors": 12, "epochs": 5, "order": .init(stringLiteral: order.rawValue),
        ]
        let first = allScores(try trained("mf", on: data, parameters: parameters, seed: 5), data: data)
        let second = allScores(try trained("mf", on: data, parameters: parameters, seed: 5), data: data)
        #expect(!first.contains { !$0.isFinite })
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
        let other = allScores(try trained("mf", on: data, parameters: parameters, seed: 6), data: data)
        #expect(first != other, "the seed sets the initial factors in either order")
    }

    @Test func ordersDifferAndShuffledIsTheDefault() throws {
        #expect(BiasedMF.Hyperparameters().order == .shuffled)
        let made = try ModelRegistry.make("mf", parameters: ["order": .string("fixed")]).unwrap(as: BiasedMF.self)
        #expect(made?.hyperparameters.order == .fixed)
        let data = DeterminismTests.fixture.explicitData
        let shuffled = allScores(try trained("mf", on: data, parameters: ["factors": 12, "epochs": 5]), data: data)
        let fixed = allScores(
            try trained("mf", on: data, parameters: ["factors": 12, "epochs": 5, "order": "fixed"]), data: data)
        #expect(shuffled != fixed)
    }

    @Test func unknownOrderListsTheAcceptedOnes() throws {
        let error = try #require(throws: ModelError.self) {
            try ModelRegistry.make("mf", parameters: ["order": .string("random")])
        }
        #expect(error.description == "mf: 'order' must be one of shuffled, fixed, got 'random'")
        let type = try #require(throws: ModelError.self) {
            try ModelRegistry.make("mf", parameters: ["order": .int(1)])
        }
        #expect(type.description == "mf: 'order' must be one of shuffled, fixed, got int '1'")
    }

    /// `validation_rmse` after the last epoch is the RMSE of the fitted model's clamped predictions.
    @Test(arguments: BiasedMF.Order.allCases)
    func validationCurveEndsAtTheFittedModelsRMSE(order: BiasedMF.Order) throws {
        let fixture = DeterminismTests.fixture
        // One user more than the fixture has: it has no training rows, so its factors are zeroed
        // after fit, and the curve must score it that way too (by the item bias alone).
        let data = TrainingData(
            interactions: fixture.train, userCount: fixture.userCount + 1, itemCount: fixture.itemCount,
            isExplicit: true)
        var validation = fixture.test
        validation.append(user: Int32(fixture.userCount), item: 0, value: 3, timestamp: 0)
        var model = BiasedMF(hyperparameters: .init(factors: 12, epochs: 6, order: order), seed: 2)
        var curve: [Double] = []
        try model.fit(data, validation: validation) { progress in
            curve.append(progress.values["validation_rmse"]!)
            return .proceed
        }
        #expect(curve.count == 6)
        var sum = 0.0
        for k in 0..<validation.count {
            let predicted = model.predictRating(user: validation.users[k], item: validation.items[k])!
            let error = Double(predicted) - Double(validation.values[k])
            sum += error * error
        }
        let expected = (sum / Double(validation.count)).squareRoot()
        #expect(abs(curve.last! - expected) <= 1e-12 * expected, "\(curve.last!) vs \(expected)")
    }
}
