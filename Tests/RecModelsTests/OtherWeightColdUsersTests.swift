import RecData
import Testing

@testable import RecModels

/// The cold-user step of `other_weight: auto` (``OtherWeightChoice/coldStep(harmless:chosen:figures:)``):
/// a weight harmless for the evaluated domain's users that serves simulated cold users clearly
/// better than popularity is taken for everyone; when the choice stays 0, every positive weight is
/// tried on cold users alone, and a clear winner gets a model of its own that serves only them.
@Suite("Other weight: the cold-user step")
struct OtherWeightColdStepTests {
    final class Calls: @unchecked Sendable { var weights: [Float] = [] }

    /// On ``UnifiedModelTests/data(independent:)`` (group = user % 4, block g = items 10g..<10g + 10,
    /// users 80..<120 only in the other domain): ranks each user's own group block first or last.
    /// Plain: first at w = 0 and last at any positive weight, for everyone. `servesCold`: at
    /// w = 0 first for users with evaluated rows in the fit's data and last for the others
    /// (popularity serves cold users badly), at a positive weight the other way round (the
    /// transfer serves cold users and hurts warm ones).
    struct Stub: OtherWeightChoosing {
        static let name = "stub"
        var seed: UInt64 = 1
        var weight: Float = 0
        var servesCold = false
        var hasRows: [Bool] = []
        let calls: Calls
        mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
            hasRows = data.usersWithRows()
        }
        func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
            let block = Int(user) % 4
            let warm = Int(user) < hasRows.count && hasRows[Int(user)]
            let ownFirst = servesCold ? (weight == 0) == warm : weight == 0
            for i in scores.indices {
                let own = i / 10 == block && i < 40
                scores[i] = (own == ownFirst ? 1 : 0) + Float(i) * 1e-4
            }
        }
        func weightedFit(
            _ reduced: TrainingData, weight: Float, progress: (EpochProgress) -> TrainingDecision
        ) throws(ModelError) -> Stub? {
            calls.weights.append(weight)
            var inner = withFixedOtherWeight(weight)
            try inner.fit(reduced, progress: progress)
            return inner
        }
        func withFixedOtherWeight(_ weight: Float) -> Stub {
            Stub(seed: seed, weight: weight, servesCold: servesCold, calls: calls)
        }
        var choosesOtherWeight = false
        var fitSummary: [String: Double] = [:]
        var coldUsers: [Stub] = []
        var servedByColdUsersModel: [Bool] = []
    }

    /// Transfer hurts everyone: no weight is harmless for warm users, and on simulated cold users
    /// every positive weight (tried once each) loses to popularity: w = 0 for all, no cold model.
    @Test func transferThatServesNobodyIsLeftOut() throws {
        let (data, _) = UnifiedModelTests.data()
        #expect(OtherWeightChoice.hasUsersOnlyOthersKnow(data), "users 80..<120 have rows only in the other domain")
        let calls = Calls()
        let choice = try #require(try Stub(calls: calls).chooseOtherWeight(data) { _ in .proceed })
        #expect(choice.weight == 0 && choice.coldWeight == nil, "\(choice.summary)")
        #expect(calls.weights == [0, 0.1, 0.3, 1, 0, 0.1, 0.3, 1], "the grid for warm users, then for cold users")
        #expect(choice.summary["chosen_cold_other_weight"] == 0)
        #expect(choice.summary["validation_ndcg@10_cold_chosen"] == nil)
        let popularity = try #require(choice.summary["validation_ndcg@10_cold_without_other"])
        #expect(popularity > 0.3, "w = 0 ranks the own block first here: \(choice.summary)")
    }

    /// Transfer hurts warm users and serves cold ones: warm users keep w = 0, cold users get the
    /// smallest of the equally good positive weights, in a model of their own.
    @Test func transferThatServesOnlyColdUsersGetsAModelOfItsOwn() throws {
        let (data, _) = UnifiedModelTests.data()
        let calls = Calls()
        let choice = try #require(try Stub(servesCold: true, calls: calls).chooseOtherWeight(data) { _ in .proceed })
        #expect(choice.weight == 0, "\(choice.summary)")
        #expect(choice.coldWeight == 0.1, "ties go to the smallest weight: \(choice.summary)")
        #expect(calls.weights == [0, 0.1, 0.3, 1, 0, 0.1, 0.3, 1])
        #expect(choice.summary["chosen_other_weight"] == 0 && choice.summary["chosen_cold_other_weight"] == 0.1)
        let cold = try #require(choice.summary["validation_ndcg@10_cold_chosen"])
        let popularity = try #require(choice.summary["validation_ndcg@10_cold_without_other"])
        #expect(cold > popularity + 0.3, "\(choice.summary)")
    }

    /// The decision table, measured figures given by hand.
    @Test func theStepAsksForWhatItNeedsAndDecides() {
        typealias F = OtherWeightChoice.ColdFigures
        let good: [Double] = [0.5, 0.6, 0.5, 0.6], bad: [Double] = [0.1, 0.2, 0.1, 0.2], swing: [Double] = [0.7, 0, 0, 0]
        // A harmless weight is measured with w = 0 first, and taken for everyone when it clearly wins.
        #expect(OtherWeightChoice.coldStep(harmless: [2], chosen: 0, figures: F()) == .measure([0, 2]))
        #expect(
            OtherWeightChoice.coldStep(harmless: [2], chosen: 0, figures: F(perWeight: [2: good], popularity: bad))
                == .decided(everyone: 2, cold: nil))
        // The warm choice is positive and no harmless weight clearly wins: it serves everyone.
        #expect(
            OtherWeightChoice.coldStep(harmless: [1], chosen: 1, figures: F(perWeight: [1: bad], popularity: good))
                == .decided(everyone: 1, cold: nil))
        // The choice is 0: only the weights not yet measured are asked for.
        #expect(
            OtherWeightChoice.coldStep(harmless: [1], chosen: 0, figures: F(perWeight: [1: bad], popularity: good))
                == .measure([2, 3]))
        #expect(OtherWeightChoice.coldStep(harmless: [], chosen: 0, figures: F()) == .measure([0, 1, 2, 3]))
        // The best clearly beating popularity gets its own model; the smaller of equals; noise does not.
        #expect(
            OtherWeightChoice.coldStep(
                harmless: [], chosen: 0, figures: F(perWeight: [1: bad, 2: good, 3: good], popularity: bad))
                == .decided(everyone: 0, cold: 2))
        #expect(
            OtherWeightChoice.coldStep(
                harmless: [], chosen: 0, figures: F(perWeight: [1: bad, 2: bad, 3: swing], popularity: bad))
                == .decided(everyone: 0, cold: nil), "swing beats bad by less than one standard error")
        // No simulated cold user could be scored: nothing is taken.
        #expect(
            OtherWeightChoice.coldStep(harmless: [], chosen: 0, figures: F(perWeight: [1: [], 2: [], 3: []], popularity: []))
                == .decided(everyone: 0, cold: nil))
    }
}

/// A model fitted with w = 0 for warm users and a cold weight: each user is scored by the model
/// of their weight, bit for bit.
@Suite("Other weight: the cold users' model")
struct OtherWeightColdUsersModelTests {
    static func check<Model: OtherWeightChoosing>(_ base: Model, data: TrainingData) throws -> (split: Model, one: Model) {
        var split = base
        try split.fitChosen(data, choice: (weight: 0, coldWeight: 1, summary: ["chosen_cold_other_weight": 1])) { _ in .proceed }
        var zero = base.withFixedOtherWeight(0)
        try zero.fit(data) { _ in .proceed }
        var one = base.withFixedOtherWeight(1)
        try one.fit(data) { _ in .proceed }
        let onlyOthers = OtherWeightChoice.usersOnlyOthersKnow(data)
        #expect(onlyOthers.filter { $0 }.count == 40)
        for user in 0..<data.userCount {
            let expected = onlyOthers[user] ? one : zero
            #expect(
                scores(AnyRecommender(split), user: user, itemCount: data.itemCount)
                    == scores(AnyRecommender(expected), user: user, itemCount: data.itemCount),
                "user \(user): \(onlyOthers[user] ? "the cold users' model (w = 1)" : "the w = 0 model")")
        }
        #expect(split.fitSummary["chosen_cold_other_weight"] == 1)
        #expect(split.fitSummary["users_from_other_domains"] == 40, "\(split.fitSummary)")
        #expect(zero.fitSummary["users_from_other_domains"] == 0, "w = 0 knows them from nowhere")
        return (split, one)
    }

    /// The mixed slate's other domain: the w = 0 model did not learn it, the cold users' model did.
    static func otherDomainScores(_ model: some Recommender & CrossDomainScoring, user: Int32, count: Int) -> [Float]? {
        var result = [Float](repeating: .nan, count: count)
        let learned = result.withUnsafeMutableBufferPointer { model.scoreOtherDomain("news", user: user, into: $0) }
        return learned ? result : nil
    }

    @Test func unified() throws {
        let (data, test) = UnifiedModelTests.data()
        let (split, one) = try Self.check(UnifiedModel(hyperparameters: .init(factors: 8, iterations: 8), seed: 1), data: data)
        #expect(Self.otherDomainScores(split, user: 3, count: 40) == Self.otherDomainScores(one, user: 3, count: 40))
        #expect(Self.otherDomainScores(split, user: 3, count: 40) != nil)
        // Cold users are ranked from the other domain, not by popularity (recorded 0.549 against 0.069).
        let popularity = try trained("popularity", on: data)
        #expect(
            UnifiedModelTests.ndcg(AnyRecommender(split), data, test)
                > UnifiedModelTests.ndcg(popularity, data, test) + 0.3)
    }

    @Test func twoTower() throws {
        let (data, _) = UnifiedModelTests.data()
        let model = try #require(
            try ModelRegistry.make(
                "twotower", parameters: TwoTowerModelTests.small(["epochs": 5, "pooling": "domains"]).mapValues(\.value),
                seed: 1
            ).unwrap(as: TwoTowerModel.self))
        let (split, one) = try Self.check(model, data: data)
        #expect(Self.otherDomainScores(split, user: 3, count: 40) == Self.otherDomainScores(one, user: 3, count: 40))
        #expect(Self.otherDomainScores(split, user: 3, count: 40) != nil)
    }
}
