import Foundation
import RecData
import Testing

@testable import RecModels

/// `validation_split: cold-users`: early stopping on simulated cold users instead of a share of
/// every user's rows.
@Suite("Two-tower validation split")
struct TwoTowerValidationSplitTests {
    static func hyperparameters(_ split: TwoTowerModel.ValidationSplit) -> TwoTowerModel.Hyperparameters {
        var h = TwoTowerModel.Hyperparameters()
        h.validation = 0.2
        h.validationSplit = split
        return h
    }

    /// cold-users holds out whole users, all of them known to the other domain, about the share
    /// asked for; rows holds out a share of each user's rows, so every held-out user keeps some.
    @Test func coldUsersHoldsOutWholeUsersTheOtherDomainKnows() throws {
        var (data, _) = UnifiedModelTests.data()
        // Users 60..<80 have evaluated rows and no other-domain rows: never simulated cold users.
        let other = data.otherDomains[0].interactions
        data.otherDomains[0].interactions = other.subset((0..<other.count).filter { !(60..<80).contains(Int(other.users[$0])) })
        let cold = try TwoTowerModel.innerHoldout(data, hyperparameters: Self.hyperparameters(.coldUsers), seed: 9)
        let heldUsers = Set(cold.test.users.map(Int.init))
        let keptUsers = Set(cold.train.users.map(Int.init))
        #expect(heldUsers.isDisjoint(with: keptUsers), "a held-out user keeps no evaluated row")
        #expect(heldUsers.allSatisfy { $0 < 60 }, "only users the other domain knows: \(heldUsers.sorted())")
        #expect(heldUsers.count == 12, "20% of the 60 eligible users with evaluated rows")
        #expect(cold.train.count + cold.test.count == data.interactions.count)

        let rows = try TwoTowerModel.innerHoldout(data, hyperparameters: Self.hyperparameters(.rows), seed: 9)
        #expect(Set(rows.test.users.map(Int.init)).isSubset(of: Set(rows.train.users.map(Int.init))))
        #expect(Set(rows.test.users.map(Int.init)).count > 60, "a share of nearly every user's rows")

        // Without other-domain rows there is no simulated cold user: the per-user holdout.
        data.otherDomains = []
        let fallback = try TwoTowerModel.innerHoldout(data, hyperparameters: Self.hyperparameters(.coldUsers), seed: 9)
        #expect(fallback.test.users == rows.test.users && fallback.test.items == rows.test.items)
    }

    /// The setting reaches the fit (the best epoch is picked on other users) and repeats bit for
    /// bit with the same seed.
    @Test func theFitStopsOnSimulatedColdUsersDeterministically() throws {
        let (data, _) = UnifiedModelTests.data()
        let parameters = TwoTowerModelTests.small([
            "validation": 0.2, "validation_split": "cold-users", "epochs": 12, "patience": 3, "pooling": "domains",
        ])
        let first = try trained("twotower", on: data, parameters: parameters, seed: 5)
        let again = try trained("twotower", on: data, parameters: parameters, seed: 5)
        var rows = parameters
        rows["validation_split"] = "rows"
        let plain = try trained("twotower", on: data, parameters: rows, seed: 5)
        #expect(allScores(first, data: data).map(\.bitPattern) == allScores(again, data: data).map(\.bitPattern))
        #expect(allScores(first, data: data) != allScores(plain, data: data))
        let cold = try #require(first.fitSummary["validation_ndcg@10"])
        let warm = try #require(plain.fitSummary["validation_ndcg@10"])
        #expect(cold != warm, "the figures come from different holdouts")
    }
}
