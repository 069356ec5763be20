import RecData
import RecModels
import Testing

/// Same data, parameters and seed: bit-identical scores; another seed changes the stochastic models only.
@Suite struct DeterminismTests {
    static let fixture = GroupedInteractions(usersPerGroup: 12, blockSize: 10, noiseItems: 4, picked: 6, heldOut: 2)

    static let smallParameters: [String: [String: ParameterValueLiteral]] = [
        "mf": ["factors": 12, "epochs": 5], "als": ["factors": 12, "iterations": 3],
        "bpr": ["factors": 12, "epochs": 5], "twotower": ["dimension": 16, "hidden": 32, "epochs": 3],
        "emcdr": ["factors": 8, "iterations": 3],
    ]

    /// Another draw of the same groups: the other domain a model that needs one (emcdr) maps from.
    static let otherDomain = GroupedInteractions(
        usersPerGroup: 12, blockSize: 8, noiseItems: 2, picked: 5, heldOut: 0, seed: 7)

    static func data(for name: String) -> TrainingData {
        var data = explicitModels.contains(name) ? fixture.explicitData : fixture.implicitData
        if name == "emcdr" {
            data.otherDomains = [
                .init(
                    name: "other", interactions: otherDomain.train, itemCount: otherDomain.itemCount, isExplicit: true)
            ]
        }
        return data
    }

    @Test(arguments: ModelRegistry.names)
    func sameSeedGivesBitIdenticalScores(name: String) throws {
        let data = Self.data(for: name)
        let parameters = Self.smallParameters[name] ?? [:]
        let first = allScores(try trained(name, on: data, parameters: parameters, seed: 11), data: data)
        let second = allScores(try trained(name, on: data, parameters: parameters, seed: 11), data: data)
        #expect(!first.contains { !$0.isFinite })
        #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
    }

    @Test(arguments: ModelRegistry.names)
    func anotherSeedChangesOnlyStochasticModels(name: String) throws {
        let data = Self.data(for: name)
        let parameters = Self.smallParameters[name] ?? [:]
        let first = allScores(try trained(name, on: data, parameters: parameters, seed: 11), data: data)
        let other = allScores(try trained(name, on: data, parameters: parameters, seed: 12), data: data)
        if stochasticModels.contains(name) {
            #expect(first != other, "\(name) ignored its seed")
        } else {
            #expect(first.map(\.bitPattern) == other.map(\.bitPattern), "\(name) is documented as deterministic")
        }
    }

    @Test func choleskyAndConjugateGradientAgree() throws {
        let data = Self.fixture.implicitData
        let cg = try trained("als", on: data, parameters: ["factors": 8, "cg_steps": 8])
        let exact = try trained("als", on: data, parameters: ["factors": 8, "solver": "cholesky"])
        let a = allScores(cg, data: data), b = allScores(exact, data: data)
        let largest = b.map(abs).max()!
        let worst = zip(a, b).map { abs($0 - $1) }.max()!
        // Recorded: the largest difference is 2e-5 of the largest score with 8 CG steps per row.
        #expect(worst < 1e-3 * largest, "largest gap \(worst), largest score \(largest)")
    }

    /// alpha 0 (c = 1 everywhere) skips the confidence-weighted sum in each CG step: it must still
    /// solve the same systems as the exact Cholesky path.
    @Test func unitConfidenceConjugateGradientAgreesWithCholesky() throws {
        let data = Self.fixture.implicitData
        let cg = try trained("als", on: data, parameters: ["factors": 8, "cg_steps": 8, "alpha": 0])
        let exact = try trained("als", on: data, parameters: ["factors": 8, "solver": "cholesky", "alpha": 0])
        let a = allScores(cg, data: data), b = allScores(exact, data: data)
        let largest = b.map(abs).max()!
        let worst = zip(a, b).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3 * largest, "largest gap \(worst), largest score \(largest)")
    }

    /// `init uniform` starts every factor in [0, init_std), as the implicit library does: with no
    /// iterations every known user's score is a sum of `factors` products in [0, init_std²).
    @Test func uniformInitializationStartsNonNegative() throws {
        let data = Self.fixture.implicitData
        let normal = allScores(try trained("als", on: data, parameters: ["factors": 8, "iterations": 0]), data: data)
        let start = allScores(
            try trained(
                "als", on: data, parameters: ["factors": 8, "iterations": 0, "init": "uniform", "init_std": 0.5]),
            data: data)
        #expect(normal.contains { $0 < 0 }, "N(0, σ²) starts give some negative scores")
        #expect(start.allSatisfy { $0 >= 0 && $0 < 8 * 0.25 })
        let again = allScores(
            try trained(
                "als", on: data, parameters: ["factors": 8, "iterations": 0, "init": "uniform", "init_std": 0.5]),
            data: data)
        #expect(start.map(\.bitPattern) == again.map(\.bitPattern))
        let fitted = allScores(try trained("als", on: data, parameters: ["factors": 8, "init": "uniform"]), data: data)
        let other = allScores(
            try trained("als", on: data, parameters: ["factors": 8, "init": "uniform"], seed: 2), data: data)
        #expect(fitted != other, "the uniform start ignored the seed")
    }

    @Test(arguments: ["als", "bpr", "itemknn", "ease"])
    func usersWithoutRowsGetPopularity(name: String) throws {
        var rows: [(user: Int32, item: Int32, value: Float)] = []
        let base = Self.fixture.implicitData.interactions
        for k in 0..<base.count { rows.append((base.users[k], base.items[k], 1)) }
        let fixture = Self.fixture
        // One extra user with no rows.
        let data = Fixtures.data(rows, users: fixture.userCount + 1, items: fixture.itemCount, explicit: false)
        let model = try trained(name, on: data, parameters: Self.smallParameters[name] ?? [:])
        let popularity = try trained("popularity", on: data)
        #expect(
            scores(model, user: fixture.userCount, itemCount: fixture.itemCount)
                == scores(popularity, user: fixture.userCount, itemCount: fixture.itemCount))
    }
}
