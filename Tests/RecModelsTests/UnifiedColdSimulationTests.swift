import Foundation
import RecData
import Testing

@testable import RecModels

/// `cold_simulation`: some warm users' evaluated rows are hidden from their own solve each
/// iteration, so that the evaluated items learn to serve vectors built from the other domain.
@Suite("Unified model: cold-user simulation")
struct UnifiedColdSimulationTests {
    /// The blocks of `data` (evaluated first) with item factors drawn from `seed`.
    static func blocks(_ data: TrainingData, seed: UInt64) -> [UnifiedModel.Block] {
        var generator = SeededGenerator(seed: seed)
        let other = data.otherDomains[0]
        func block(_ rows: Interactions, items: Int, weight: Float) -> UnifiedModel.Block {
            let byUser = SparseMatrix(rows, userCount: data.userCount, itemCount: items)
            let byItem = SparseMatrix(rows, userCount: data.userCount, itemCount: items, orientation: .itemsByUsers)
            return UnifiedModel.Block(
                byUser: byUser, byItem: byItem, userConfidence: byUser.values.map { 1 + 2 * $0 },
                itemConfidence: byItem.values.map { 1 + 2 * $0 }, weight: weight,
                items: FactorMatrix(rows: items, factors: 5, standardDeviation: 0.3, generator: &generator))
        }
        return [
            block(data.interactions, items: data.itemCount, weight: 1),
            block(other.interactions, items: other.itemCount, weight: 0.4),
        ]
    }

    /// A hidden user's solve is exactly the solve of the same data without their evaluated rows;
    /// everyone else's is untouched. Under both `absent_users` settings (the Gram patterns differ).
    @Test(arguments: [UnifiedModel.AbsentUsers.negative, .unobserved])
    func aHiddenUserIsSolvedAsIfTheirEvaluatedRowsWereGone(absent: UnifiedModel.AbsentUsers) throws {
        let (data, _) = UnifiedModelTests.data()
        let otherUsers = Set(data.otherDomains[0].interactions.users)
        let hiddenUsers = (0..<data.userCount).filter { u in
            otherUsers.contains(Int32(u)) && data.interactions.users.contains(Int32(u))
        }.prefix(7)
        try #require(hiddenUsers.count == 7)
        var without = data
        var kept = Interactions()
        let rows = data.interactions
        for k in 0..<rows.count where !hiddenUsers.contains(Int(rows.users[k])) {
            kept.append(user: rows.users[k], item: rows.items[k], value: rows.values[k], timestamp: rows.timestamps[k])
        }
        without.interactions = kept
        var h = UnifiedModel.Hyperparameters(factors: 5, regularization: 0.2, absentUsers: absent, threads: 1)
        h.coldSimulation = 0.5
        var hidden = [Bool](repeating: false, count: data.userCount)
        for u in hiddenUsers { hidden[u] = true }

        var masked = FactorMatrix(rows: data.userCount, factors: 5)
        try UnifiedModel.solveUsers(&masked, Self.blocks(data, seed: 9), h, hidingEvaluatedRowsOf: hidden)
        var removed = FactorMatrix(rows: data.userCount, factors: 5)
        try UnifiedModel.solveUsers(&removed, Self.blocks(without, seed: 9), h)
        var plain = FactorMatrix(rows: data.userCount, factors: 5)
        try UnifiedModel.solveUsers(&plain, Self.blocks(data, seed: 9), h)
        #expect(masked.values == removed.values, "hidden users solved as if their evaluated rows were gone")
        let stride = masked.stride
        for u in 0..<data.userCount {
            let row = masked.values[(u * stride)..<(u * stride + 5)]
            let full = plain.values[(u * stride)..<(u * stride + 5)]
            if hidden[u] {
                #expect(row != full, "user \(u) is hidden but solved with their evaluated rows")
            } else {
                #expect(row == full, "user \(u) is not hidden but changed")
            }
        }
    }

    /// With the option on, the fit changes, stays bit-identical for a seed across thread counts, and
    /// ends with every warm user's vector from all their rows (a final full solve).
    @Test func theOptionChangesTheFitAndKeepsItThreadInvariant() throws {
        let (data, _) = UnifiedModelTests.data()
        func scoresOf(simulation: Double, threads: Int) throws -> [Float] {
            let model = try trained(
                "unified", on: data,
                parameters: [
                    "factors": 6, "iterations": 8, "reg": 0.5, "other_weight": 0.5,
                    "cold_simulation": .init(floatLiteral: simulation), "threads": .init(integerLiteral: threads),
                ], seed: 3)
            return allScores(model, data: data)
        }
        let one = try scoresOf(simulation: 0.5, threads: 1)
        let two = try scoresOf(simulation: 0.5, threads: 2)
        let off = try scoresOf(simulation: 0, threads: 1)
        #expect(one == two)
        #expect(one != off)
        #expect(one.allSatisfy { $0.isFinite })

        // The final solve: a warm user's vector satisfies their full normal equations against the
        // final item factors (checked through the model's own fold-in of the same rows).
        let model = try #require(
            try trained(
                "unified", on: data,
                parameters: ["factors": 6, "iterations": 8, "reg": 0.5, "other_weight": 0.5, "cold_simulation": 0.5],
                seed: 3
            ).unwrap(as: UnifiedModel.self))
        var users = FactorMatrix(rows: data.userCount, factors: 6)
        var blocks = [
            UnifiedModel.Block(
                byUser: data.byUser, byItem: data.byItem, userConfidence: data.byUser.values.map { 1 + $0 },
                itemConfidence: data.byItem.values.map { 1 + $0 }, weight: 1, items: model.itemFactors)
        ]
        let other = data.otherDomains[0]
        let otherByUser = SparseMatrix(other.interactions, userCount: data.userCount, itemCount: other.itemCount)
        blocks.append(
            UnifiedModel.Block(
                byUser: otherByUser,
                byItem: SparseMatrix(
                    other.interactions, userCount: data.userCount, itemCount: other.itemCount, orientation: .itemsByUsers),
                userConfidence: otherByUser.values.map { 1 + $0 }, itemConfidence: [], weight: 0.5,
                items: model.otherItemFactors[0]))
        let h = UnifiedModel.Hyperparameters(factors: 6, regularization: 0.5, otherWeight: 0.5, threads: 1)
        try UnifiedModel.solveUsers(&users, blocks, h)
        var largest: Float = 0
        for u in 0..<data.userCount where data.byUser.rowLength(u) > 0 {
            for a in 0..<6 {
                largest = max(largest, abs(users.values[u * users.stride + a] - model.userFactors.values[u * users.stride + a]))
            }
        }
        #expect(largest < 1e-4, "warm users' vectors differ from a full solve by up to \(largest)")
    }
}
