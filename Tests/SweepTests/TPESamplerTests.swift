import Foundation
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
            return SearchObservation(parameters: configuration, loss: index % 5 == 0 ? .infinity : Self.loss(configuration))
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
        #expect(RandomSearch(spaces: Self.conditionalSpaces, conditions: Self.conditions, seed: 31).drawOrder.first == "cf")
    }

    /// Half the history has no `als.factors`; the best half all have it near 64. The estimator of
    /// `als.factors` must use only the configurations holding it: its suggestions centre on 64
    /// (reading a missing value as any number, or the range's end, would pull them away).
    @Test func missingParametersDoNotBiasTheirEstimator() {
        var observations: [SearchObservation] = []
        for step in 0..<60 {
            let factors = Int((4 * pow(64.0, Double(step) / 59)).rounded())  // 4 … 256, log-spaced
            observations.append(
                SearchObservation(
                    parameters: ["cf": .string("als"), "als.factors": .int(factors), "reg": .double(0.5)],
                    loss: abs(log2(Double(factors)) - 6)))
            observations.append(
                SearchObservation(
                    parameters: ["cf": .string("bpr"), "bpr.lr": .double(0.001 * Double(step + 1)), "reg": .double(0.5)],
                    loss: 0.2 + Double(step) / 20))
        }
        // Malformed observations: an active child missing, a value of the wrong type, an unknown name.
        observations.append(SearchObservation(parameters: ["cf": .string("als"), "reg": .double(0.1)], loss: 0.01))
        observations.append(
            SearchObservation(parameters: ["cf": .string("als"), "als.factors": .string("many")], loss: 0.02))
        observations.append(SearchObservation(parameters: ["other": .int(3)], loss: .nan))

        let sampler = TPESampler(spaces: Self.conditionalSpaces, conditions: Self.conditions, seed: 17)
        var factors: [Int] = []
        for index in 200..<300 {
            let suggestion = sampler.suggest(index: index, observations: observations, pending: [])
            Self.checkActiveSet(suggestion)
            if let value = suggestion["als.factors"]?.intValue { factors.append(value) }
        }
        #expect(factors.count >= 50)
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
}
