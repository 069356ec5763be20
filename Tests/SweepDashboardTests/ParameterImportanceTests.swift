import ParameterSpecs
import Testing

@testable import SweepDashboard

@Suite struct ParameterImportanceTests {
    @Test func thePlantedParameterExplainsTheSpreadAndTheOtherNothing() {
        // value = factors effect + tiny lr-independent noise; lr varies but does nothing.
        var points: [(parameters: [String: ParameterValue], value: Double)] = []
        for factors in [4, 8, 16, 32] {
            for (index, lr) in [0.001, 0.01, 0.1].enumerated() {
                points.append((["factors": .int(factors), "lr": .double(lr)], Double(factors) / 10 + [0.001, -0.001, 0][index] * Double(factors % 3)))
            }
        }
        let importance = ParameterImportance(points: points)
        #expect(importance.entries.map(\.parameter) == ["factors", "lr"])
        #expect(importance.entries[0].share > 0.99 && importance.entries[0].adjusted)
        #expect(importance.entries[1].share < 0.01)
        #expect(importance.entries[0].levels.map(\.label) == ["4", "8", "16", "32"])
        #expect(importance.entries[0].levels.map(\.count) == [3, 3, 3, 3])
    }

    @Test func manyDistinctNumbersAreBinnedByRankAndUnsetIsItsOwnLevel() {
        let points: [(parameters: [String: ParameterValue], value: Double)] =
            (0..<40).map { (["lr": .double(Double($0) / 100)], Double($0)) } + [([:], 100)]
        let entry = ParameterImportance(points: points, bins: 4).entries[0]
        #expect(entry.levels.count == 5, "4 bins and (unset)")
        #expect(entry.levels.prefix(4).map(\.count) == [10, 10, 10, 10])
        #expect(entry.levels.last?.label == "(unset)" && entry.levels.last?.count == 1)
        #expect(entry.levels[0].label == "0…0.09")
    }

    @Test func oneConfigurationPerLevelFallsBackToEtaSquared() {
        let points: [(parameters: [String: ParameterValue], value: Double)] = [
            (["solver": .string("cg")], 1), (["solver": .string("cholesky")], 2),
        ]
        let entry = ParameterImportance(points: points).entries[0]
        #expect(!entry.adjusted && entry.share == 1, "two groups of one: η² is 1 and says so")
    }

    @Test func aConstantMetricOrAFixedParameterGivesNoImportance() {
        let constant = ParameterImportance(points: [(["a": .int(1)], 0.5), (["a": .int(2)], 0.5), (["a": .int(2)], 0.5)])
        #expect(constant.entries.map(\.share) == [0])
        let fixed = ParameterImportance(points: [(["a": .int(1)], 0.5), (["a": .int(1)], 0.7)])
        #expect(fixed.entries.isEmpty, "a parameter with one value is not listed")
        let nonFinite = ParameterImportance(points: [(["a": .int(1)], .nan), (["a": .int(2)], 0.7), (["a": .int(3)], 0.2)])
        #expect(nonFinite.entries[0].levels.count == 2, "non-finite values are left out")
    }
}
