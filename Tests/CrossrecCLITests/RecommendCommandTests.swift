import Foundation
import Testing

@Suite("crossrec recommend")
struct RecommendCommandTests {
    @Test func aMixedSlateHoldsBothDomainsAndNothingTheUserHas() throws {
        let result = try CLI.run([
            "recommend", "--synthetic", "--users", "300", "--user", "1", "--size", "8", "--min-per-domain", "3", "--format", "json",
            "--param", "factors=8",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let slate = try #require(object["slate"] as? [[String: Any]])
        #expect(slate.count == 8)
        let domains = slate.compactMap { $0["domain"] as? String }
        #expect(domains.filter { $0 == "movies" }.count >= 3 && domains.filter { $0 == "news" }.count >= 3, "\(domains)")
        let scores = slate.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        #expect((object["history"] as? [String: [String]])?["movies"]?.first?.hasSuffix("rows") == true)
    }

    @Test func anUnknownUserIsAClearError() throws {
        let result = try CLI.run(["recommend", "--synthetic", "--users", "300", "--user", "nobody"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no user 'nobody' in the data set (300 users, e.g. "), "\(result.stderr)")
    }

    /// With news as the model's own domain the slate still mixes in movies from the other side.
    @Test func theOwnDomainCanBeNews() throws {
        let result = try CLI.run([
            "recommend", "--synthetic", "--users", "300", "--user", "1", "--domain", "news", "--size", "6", "--format", "json",
            "--param", "factors=8",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let domains = Set(((object["slate"] as? [[String: Any]]) ?? []).compactMap { $0["domain"] as? String })
        #expect(domains == ["news", "movies"], "\(domains)")
    }

    /// The two-tower model's user vector scores both domains too, so its slate mixes them.
    @Test func theTwoTowerSlateMixesDomains() throws {
        let result = try CLI.run([
            "recommend", "--synthetic", "--users", "200", "--user", "1", "--model", "twotower", "--size", "8",
            "--min-per-domain", "3", "--format", "json", "--param", "epochs=2", "--param", "dimension=16",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let slate = try #require(object["slate"] as? [[String: Any]])
        let domains = slate.compactMap { $0["domain"] as? String }
        #expect(slate.count == 8)
        #expect(domains.filter { $0 == "movies" }.count >= 3 && domains.filter { $0 == "news" }.count >= 3, "\(domains)")
        let scores = slate.compactMap { $0["score"] as? Double }
        #expect(scores.allSatisfy(\.isFinite) && scores == scores.sorted(by: >), "\(scores)")
    }
}
