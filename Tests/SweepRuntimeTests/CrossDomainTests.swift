import Foundation
import RecData
import Sweep
import SweepRuntime
import Testing

@Suite("Cross-domain data and the cold-users split")
struct CrossDomainTests {
    static let synthetic = SyntheticDatasetSpec(users: 200, movies: 40, news: 40)

    @Test func trainingCarriesTheOtherDomainsAndColdUsersHaveNoTrainingRows() throws {
        let data = try PreparedData.prepare(
            DatasetSpec(source: .synthetic(Self.synthetic), split: .coldUsers(testFraction: 0.3, seed: 2)))
        #expect(data.domainName == "movies")
        let news = try #require(data.training.otherDomains.first)
        #expect(data.training.otherDomains.map(\.name) == ["news"])
        #expect(!news.interactions.isEmpty && news.interactions.users.allSatisfy { Int($0) < data.userCount })
        let cold = Set(data.test.users)
        #expect(!cold.isEmpty)
        #expect(cold.isDisjoint(with: Set(data.training.interactions.users)), "a cold user has no movie row in training")
        #expect(cold.isSubset(of: Set(news.interactions.users)), "cold users are drawn among users the news domain knows")
    }

    @Test func aUnifiedTrialReportsTheUsersItLearnedFromTheOtherDomain() throws {
        let request = DatasetSpec(source: .synthetic(Self.synthetic), split: .coldUsers(testFraction: 0.3, seed: 2))
        let values = try TrialRunner().run(
            TrialConfig(model: "unified", parameters: ["factors": .int(8)], seed: 1), dataset: request,
            cancel: CancellationFlag()
        ) { _ in }.get().values
        #expect(values["users_from_other_domains"].map { $0 > 0 } == true, "\(values)")
        #expect(values["ndcg@10"] != nil)
        #expect(TrialRunner.catalog.model(named: "unified")?.metrics.contains("users_from_other_domains") == true)
    }
}
