import Foundation
import ParameterSpecs
import SeededRandom
import Testing

@testable import Sweep

@Suite("TPE sampler and random search")
struct TPESamplerTests {
    static let spaces: [String: ParameterSpace] = [
        "lr": .logUniform(low: 1e-4, high: 1e-1, integer: false),
        "x": .uniform(low: 0, high: 2, integer: false),
        "choice": .choice([.string("a"), .string("b"), .string("c"), .string("d")]),
        "k": .uniform(low: 1, high: 100, integer: true),
    ]

    /// Minimum 0 at lr = 0.003, x = 0.7, choice = b, k = 37.
    static func loss(_ configuration: [String: ParameterValue]) -> Double {
        guard let lr = configuration["lr"]?.doubleValue, let x = configuration["x"]?.doubleValue,
            let k = configuration["k"]?.intValue, let choice = configuration["choice"]
        else { return .infinity }
        let logTerm = log10(lr) - log10(0.003)
        let xTerm = (x - 0.7) / 0.5
        let kTerm = Double(k - 37)
        return logTerm * logTerm + xTerm * xTerm + (choice == .string("b") ? 0 : 0.5) + 0.2 * kTerm * kTerm / 400
    }

    /// `count` suggestions made one at a time, each observed before the next.
    static func sequentialSearch(
        _ sampler: TPESampler, count: Int, loss: ([String: ParameterValue]) -> Double = loss
    ) -> [SearchObservation] {
        var observations: [SearchObservation] = []
        for index in 0..<count {
            let suggestion = sampler.suggest(index: index, observations: observations, pending: [])
            observations.append(SearchObservation(parameters: suggestion, loss: loss(suggestion)))
        }
        return observations
    }

    /// Seeds 1…10 fixed in advance; 60 trials each, one at a time; the best loss found is compared.
    @Test func beatsRandomSearchAtEqualBudget() {
        var wins = 0
        for seed: UInt64 in 1...10 {
            let tpeBest = Self.sequentialSearch(TPESampler(spaces: Self.spaces, seed: seed), count: 60)
                .map(\.loss).min() ?? .infinity
            let random = RandomSearch(spaces: Self.spaces, seed: seed)
            let randomBest = (0..<60).map { Self.loss(random.suggest(index: $0)) }.min() ?? .infinity
            if tpeBest < randomBest { wins += 1 }
        }
        #expect(wins >= 9)
    }

    /// 30 observations with tied losses (rounded, and failures) and two pending configurations.
    static func history() -> (observations: [SearchObservation], pending: [[String: ParameterValue]]) {
        let random = RandomSearch(spaces: spaces, seed: 77)
        let observations = (0..<30).map { index -> SearchObservation in
            let configuration = random.suggest(index: index)
            let loss = index % 7 == 3 ? Double.infinity : (loss(configuration) * 2).rounded() / 2
            return SearchObservation(parameters: configuration, loss: loss)
        }
        return (observations, [random.suggest(index: 30), random.suggest(index: 31)])
    }

    @Test func deterministicAndIndependentOfOrder() {
        let (observations, pending) = Self.history()
        #expect(Set(observations.map(\.loss)).count < 20, "the fixture must contain ties")
        let sampler = TPESampler(spaces: Self.spaces, seed: 5)
        var generator = SplitMix64(seed: 12)
        for index in 30..<40 {
            let suggestion = sampler.suggest(index: index, observations: observations, pending: pending)
            #expect(sampler.suggest(index: index, observations: observations, pending: pending) == suggestion)
            #expect(
                TPESampler(spaces: Self.spaces, seed: 5)
                    .suggest(index: index, observations: observations, pending: pending) == suggestion)
            let shuffled = observations.shuffled(using: &generator)
            #expect(shuffled != observations)
            #expect(
                sampler.suggest(index: index, observations: shuffled, pending: pending.reversed()) == suggestion)
        }
        // Another seed or index changes the suggestions.
        let other = TPESampler(spaces: Self.spaces, seed: 6)
        let differences = (30..<40).filter { index in
            other.suggest(index: index, observations: observations, pending: pending)
                != sampler.suggest(index: index, observations: observations, pending: pending)
        }
        #expect(differences.count >= 8)
    }

    /// The above group is subsampled past 512 observations; the ranking must still ignore input order.
    @Test func largeHistoryIsIndependentOfOrder() {
        let random = RandomSearch(spaces: Self.spaces, seed: 3)
        let observations = (0..<1500).map { index -> SearchObservation in
            let configuration = random.suggest(index: index)
            let loss = index % 5 == 0 ? Double.infinity : Self.loss(configuration)
            return SearchObservation(parameters: configuration, loss: loss)
        }
        let sampler = TPESampler(spaces: Self.spaces, seed: 8)
        var generator = SplitMix64(seed: 4)
        let shuffled = observations.shuffled(using: &generator)
        for index in 1500..<1505 {
            #expect(
                sampler.suggest(index: index, observations: observations, pending: [])
                    == sampler.suggest(index: index, observations: shuffled, pending: []))
        }
    }

    @Test func startupEqualsRandomSearch() {
        let (observations, pending) = Self.history()
        let sampler = TPESampler(spaces: Self.spaces, seed: 21)
        let random = RandomSearch(spaces: Self.spaces, seed: 21)
        for count in 0..<10 {
            for index in [count, count + 5, 1000] {
                #expect(
                    sampler.suggest(index: index, observations: Array(observations.prefix(count)), pending: pending)
                        == random.suggest(index: index))
            }
        }
        // The tenth observation ends the start-up.
        let afterStartup = (10..<20).filter { index in
            sampler.suggest(index: index, observations: Array(observations.prefix(10)), pending: [])
                != random.suggest(index: index)
        }
        #expect(afterStartup.count >= 8)
    }

    @Test func randomSearchDrawsEachParameterFromItsOwnStream() {
        let random = RandomSearch(spaces: Self.spaces, seed: 9)
        var wider = Self.spaces
        wider["extra"] = .uniform(low: 0, high: 1, integer: false)
        let widerRandom = RandomSearch(spaces: wider, seed: 9)
        for index in 0..<20 {
            var suggestion = widerRandom.suggest(index: index)
            #expect(suggestion["extra"] != nil)
            suggestion["extra"] = nil
            #expect(suggestion == random.suggest(index: index))
        }
        #expect(random.suggest(index: 0) != random.suggest(index: 1))
    }

    @Test func valuesStayInTheirSpaces() {
        let spaces: [String: ParameterSpace] = [
            "lr": .logUniform(low: 1e-5, high: 0.3, integer: false),
            "x": .uniform(low: -1.5, high: 2.25, integer: false),
            "n": .uniform(low: 0.5, high: 9.5, integer: true),
            "factors": .logUniform(low: 2, high: 300, integer: true),
            "kind": .choice([.string("p"), .string("q"), .string("r")]),
            "grid": .values([.int(8), .int(16), .int(32)]),
            "fixed": .values([.bool(true)]),
        ]
        // Pulls towards the ends of every range, so clamping and rounding at the bounds are exercised.
        func loss(_ configuration: [String: ParameterValue]) -> Double {
            let lr = configuration["lr"]?.doubleValue ?? 1, x = configuration["x"]?.doubleValue ?? 0
            let n = Double(configuration["n"]?.intValue ?? 0), factors = Double(configuration["factors"]?.intValue ?? 0)
            return log(lr) - x + n - log(factors) + (configuration["kind"] == .string("r") ? 0 : 1)
        }
        let observations = Self.sequentialSearch(TPESampler(spaces: spaces, seed: 13), count: 250, loss: loss)
        for observation in observations {
            let configuration = observation.parameters
            #expect(Set(configuration.keys) == Set(spaces.keys))
            guard case .double(let lr)? = configuration["lr"], case .double(let x)? = configuration["x"],
                case .int(let n)? = configuration["n"], case .int(let factors)? = configuration["factors"]
            else {
                Issue.record("wrong types in \(configuration)")
                continue
            }
            #expect((1e-5...0.3).contains(lr) && lr == Sampling.roundSignificant(lr, digits: 6))
            #expect((-1.5...2.25).contains(x) && x == Sampling.roundSignificant(x, digits: 6))
            #expect((1...9).contains(n))
            #expect((2...300).contains(factors))
            #expect([.string("p"), .string("q"), .string("r")].contains(configuration["kind"]))
            #expect([.int(8), .int(16), .int(32)].contains(configuration["grid"]))
            #expect(configuration["fixed"] == .bool(true))
        }
        // The search found the ends it was pulled to.
        let best = observations.map(\.parameters).suffix(100)
        #expect(best.contains { $0["n"] == .int(1) })
        #expect(best.contains { $0["factors"] == .int(300) })
        #expect(best.filter { $0["kind"] == .string("r") }.count > 50)
    }

    static let conditionalSpaces: [String: ParameterSpace] = [
        "cf": .choice([.string("als"), .string("bpr")]),
        "als.factors": .logUniform(low: 4, high: 256, integer: true),
        "bpr.lr": .logUniform(low: 1e-4, high: 1e-1, integer: false),
        "reg": .uniform(low: 0, high: 1, integer: false),
    ]
    static let conditions: [String: ParameterSpec.Condition] = [
        "als.factors": .init(parameter: "cf", values: ["als"]),
        "bpr.lr": .init(parameter: "cf", values: ["bpr"]),
    ]

    static func checkActiveSet(_ configuration: [String: ParameterValue]) {
        let sweep = ModelSweep(model: "hybrid", spaces: conditionalSpaces, conditions: conditions)
        #expect(sweep.removingInactive(configuration) == configuration)
        var expected: Set<String> = ["cf", "reg"]
        if configuration["cf"] == .string("als") { expected.insert("als.factors") }
        if configuration["cf"] == .string("bpr") { expected.insert("bpr.lr") }
        #expect(Set(configuration.keys) == expected, "\(configuration)")
    }

    @Test func conditionalParametersFollowTheirParent() {
        func loss(_ configuration: [String: ParameterValue]) -> Double {
            if let factors = configuration["als.factors"]?.doubleValue { return abs(log2(factors) - 6) }
            return 1 + abs(log10(configuration["bpr.lr"]?.doubleValue ?? 1) + 2)
        }
        let sampler = TPESampler(spaces: Self.conditionalSpaces, conditions: Self.conditions, seed: 31)
        let observations = Self.sequentialSearch(sampler, count: 80, loss: loss)
        for observation in observations { Self.checkActiveSet(observation.parameters) }
        let kinds = Set(observations.map { $0.parameters["cf"] })
        #expect(kinds == [.string("als"), .string("bpr")])
        let random = RandomSearch(spaces: Self.conditionalSpaces, conditions: Self.conditions, seed: 31)
        #expect(random.drawOrder == ["cf", "als.factors", "bpr.lr", "reg"])
    }

    /// Most of the best observations lack `als.factors` (they used `bpr`, no longer searched); the
    /// one `als` observation among them has it at 63. Its estimator must use only the configurations holding it,
    /// so the suggestions centre on 64: reading a missing value as some number would pull them there.
    @Test func missingParametersDoNotBiasTheirEstimator() {
        let spaces: [String: ParameterSpace] = [
            "cf": .values([.string("als")]),
            "als.factors": .logUniform(low: 4, high: 256, integer: true),
            "reg": .uniform(low: 0, high: 1, integer: false),
        ]
        var observations: [SearchObservation] = []
        for step in 0..<60 {
            let factors = Int((4 * pow(64.0, Double(step) / 59)).rounded())  // 4 … 256, log-spaced
            observations.append(
                SearchObservation(
                    parameters: ["cf": .string("als"), "als.factors": .int(factors), "reg": .double(0.5)],
                    loss: abs(log2(Double(factors)) - 6)))
            observations.append(
                SearchObservation(
                    parameters: ["cf": .string("bpr"), "bpr.lr": .double(0.001), "reg": .double(0.5)],
                    loss: 0.05 + Double(step) / 1000))
        }
        // Malformed observations: an active child missing, a value of the wrong type, an unknown name.
        observations.append(SearchObservation(parameters: ["cf": .string("als"), "reg": .double(0.1)], loss: 0))
        observations.append(
            SearchObservation(parameters: ["cf": .string("als"), "als.factors": .string("many")], loss: 0))
        observations.append(SearchObservation(parameters: ["other": .int(3)], loss: .nan))

        let sampler = TPESampler(spaces: spaces, conditions: Self.conditions, seed: 17)
        var factors: [Int] = []
        for index in 200..<260 {
            let suggestion = sampler.suggest(index: index, observations: observations, pending: [])
            #expect(Set(suggestion.keys) == ["cf", "als.factors", "reg"])
            if let value = suggestion["als.factors"]?.intValue { factors.append(value) }
        }
        let sorted = factors.sorted()
        let median = sorted[sorted.count / 2]
        #expect((40...100).contains(median), "median \(median) of \(sorted)")
    }

    /// With the same observations and index, a pending copy of a suggestion must steer the next one
    /// elsewhere (without the constant liar both calls would return the same configuration).
    @Test func constantLiarSpreadsParallelSuggestions() {
        let (observations, _) = Self.history()
        let sampler = TPESampler(spaces: Self.spaces, seed: 41)
        for index in 30..<40 {
            let first = sampler.suggest(index: index, observations: observations, pending: [])
            let second = sampler.suggest(index: index, observations: observations, pending: [first])
            let third = sampler.suggest(index: index, observations: observations, pending: [first, second])
            #expect(second != first)
            #expect(third != first && third != second)
        }
    }

    // MARK: The estimators against Optuna's formulas, computed here independently.

    static func normalCDF(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }

    /// Σ wₖ · N(x; μₖ, σₖ) / (Φ((high − μₖ)/σₖ) − Φ((low − μₖ)/σₖ)).
    static func truncatedMixtureDensity(
        _ x: Double, kernels: [(mu: Double, sigma: Double, weight: Double)], low: Double, high: Double
    ) -> Double {
        kernels.reduce(0) { sum, kernel in
            let z = (x - kernel.mu) / kernel.sigma
            let density = exp(-0.5 * z * z) / (kernel.sigma * (2 * Double.pi).squareRoot())
            let mass = normalCDF((high - kernel.mu) / kernel.sigma) - normalCDF((low - kernel.mu) / kernel.sigma)
            return sum + kernel.weight * density / mass
        }
    }

    @Test func gammaIsOptunasDefault() {
        #expect(TPESampler.belowCount(observations: 0) == 0)
        #expect(TPESampler.belowCount(observations: 10) == 1)
        #expect(TPESampler.belowCount(observations: 11) == 2)
        #expect(TPESampler.belowCount(observations: 30) == 3)
        #expect(TPESampler.belowCount(observations: 240) == 24)
        #expect(TPESampler.belowCount(observations: 10_000) == 25)
    }

    @Test func parzenEstimatorMatchesOptunasKernels() {
        // Sorted with the ends: 0, 0.2, 0.5, 0.9, 1. σ: the outer points their inner gap (0.3, 0.4),
        // the middle one its larger gap (0.4); the clip floor is 1 / min(100, 3 + 2) = 0.2.
        #expect(ParzenEstimator.bandwidths(sorted: [0.2, 0.5, 0.9], low: 0, high: 1, represented: 3) == [0.3, 0.4, 0.4])
        #expect(ParzenEstimator.bandwidths(sorted: [0.2], low: 0, high: 1, represented: 1) == [0.8])
        #expect(ParzenEstimator.bandwidths(sorted: [0.5, 0.5001], low: 0, high: 1, represented: 2) == [0.25, 0.25])
        #expect(ParzenEstimator.bandwidths(sorted: [0, 1], low: 0, high: 1, represented: 2) == [1, 1])

        var points = WeightedPoints<Double>()
        for point in [0.9, 0.2, 0.5] { points.append(point, weight: 1) }
        let estimator = ParzenEstimator(points, low: 0, high: 1)
        let kernels = [(0.2, 0.3, 0.25), (0.5, 0.4, 0.25), (0.9, 0.4, 0.25), (0.5, 1.0, 0.25)]
            .map { (mu: $0.0, sigma: $0.1, weight: $0.2) }
        for x in [0.0, 0.13, 0.5, 0.77, 1.0] {
            let expected = Self.truncatedMixtureDensity(x, kernels: kernels, low: 0, high: 1)
            #expect(abs(exp(estimator.logDensity(at: x)) / expected - 1) < 1e-12)
        }
        // An integer cell's mass, and far into a tail where Φ(b) − Φ(a) would cancel to 0.
        let expectedMass = kernels.reduce(0.0) { sum, kernel in
            let mass = { (z: Double) in Self.normalCDF((z - kernel.mu) / kernel.sigma) }
            return sum + kernel.weight * (mass(0.55) - mass(0.45)) / (mass(1) - mass(0))
        }
        #expect(abs(exp(estimator.logMass(from: 0.45, to: 0.55)) / expectedMass - 1) < 1e-12)
        // log(Φ(31) − Φ(30)) ≈ log Q(30) = log(φ(30)/30 · (1 − 1/30² + 3/30⁴)); 1 − Φ(30) rounds to 0.
        let tail = -450 - log(30) - 0.5 * log(2 * Double.pi) + log(1 - 1.0 / 900 + 3.0 / 810_000)
        #expect(abs(ParzenEstimator.logGaussMass(30, 31) - tail) < 1e-6)
        #expect(abs(ParzenEstimator.logGaussMass(-31, -30) - tail) < 1e-6)

        // No points: the prior alone.
        let prior = ParzenEstimator(WeightedPoints(), low: 0, high: 1)
        let priorDensity = Self.truncatedMixtureDensity(0.3, kernels: [(mu: 0.5, sigma: 1, weight: 1)], low: 0, high: 1)
        #expect(abs(exp(prior.logDensity(at: 0.3)) / priorDensity - 1) < 1e-12)
    }

    @Test func categoricalEstimatorMatchesOptunasRows() {
        var observed = WeightedPoints<Int>()
        for choice in [0, 2, 0] { observed.append(choice, weight: 1) }
        let estimator = CategoricalParzenEstimator(observed, choiceCount: 3)
        // Optuna: one row per point with prior_weight / (n + 1) = 0.25 on every choice plus 1 on its
        // own, normalised; the prior row uniform; the rows mixed with weight 1/4 each.
        let row = { (own: Int) in (0..<3).map { ($0 == own ? 1.25 : 0.25) / 1.75 } }
        let rows = [row(0), row(2), row(0), [1.0 / 3, 1.0 / 3, 1.0 / 3]]
        for choice in 0..<3 {
            let expected = rows.map { $0[choice] }.reduce(0, +) / 4
            #expect(abs(estimator.probabilities[choice] - expected) < 1e-15)
        }
        #expect(CategoricalParzenEstimator(WeightedPoints(), choiceCount: 4).probabilities == [0.25, 0.25, 0.25, 0.25])
    }
}
