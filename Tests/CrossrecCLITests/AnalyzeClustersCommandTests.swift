import Foundation
import Testing

@Suite("crossrec analyze --clusters")
struct AnalyzeClustersCommandTests {
    @Test func aFixedKAddsTheClustersToTheTableAndThePage() throws {
        let folder = try TemporaryFolder()
        let html = folder.file("clusters.html")
        let result = try CLI.run([
            "analyze", "--synthetic", "--users", "800", "--groups", "3", "--permutations", "100", "--clusters", "3",
            "--html", html,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("## User clusters"), "\(result.stdout)")
        #expect(result.stdout.contains("unified vectors (32 dimensions, scaled to length 1), k-means with k-means++ seeding, 10 restarts, seed 1: k = 3, silhouette "))
        #expect(result.stdout.contains("| cluster | users | top movies (lift) | top news (lift) | cross-domain r |"))
        let planted = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("planted groups: adjusted Rand index ") })
        let ari = try #require(Double(planted.split(separator: " ")[5]))
        #expect(ari > 0.5, "\(planted)")
        // Beside it, what the data allows: the Bayes oracle's ARI on the same users.
        let oracleText = try #require(planted.components(separatedBy: "knows the generator reaches ").last?.split(separator: " ").first)
        let oracle = try #require(Double(oracleText), "\(planted)")
        #expect(oracle > 0.5 && oracle <= 1, "\(planted)")
        #expect(result.stdout.contains("significant movies–news edges"))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<h2>User clusters</h2>") && page.contains("Cluster × category: log₂ lift"))
        #expect(page.contains("significant correlations</title>"), "the network graph is drawn")
    }

    @Test func autoChoosesKWithTheCurveInTheJSON() throws {
        let result = try CLI.run([
            "analyze", "--synthetic", "--users", "800", "--groups", "3", "--permutations", "50", "--clusters", "auto",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let clusters = try #require(json["clusters"] as? [String: Any])
        let k = try #require(clusters["clusters"] as? Int)
        let curve = try #require((clusters["selection"] as? [String: Any])?["curve"] as? [[String: Any]])
        #expect(curve.compactMap { $0["clusters"] as? Int } == Array(2...10))
        #expect((2...10).contains(k) && clusters["requested"] as? String == "auto")
        #expect((clusters["profiles"] as? [Any])?.count == k)
        #expect(clusters["plantedAgreement"] is Double)
        #expect(json["analysis"] != nil, "the affinity is still there")
    }

    @Test func aBadValueOrAModelWithoutVectorsIsAClearError() throws {
        let bad = try CLI.run(["analyze", "--synthetic", "--users", "300", "--clusters", "many"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--clusters: expected a number of clusters 1…100 or 'auto', got 'many'"), "\(bad.stderr)")
        let model = try CLI.run([
            "analyze", "--synthetic", "--users", "300", "--permutations", "20", "--clusters", "2", "--cluster-model", "popularity",
        ])
        #expect(model.status == 1)
        #expect(model.stderr.contains("popularity: has no user vectors to cluster; use unified, als or bpr"), "\(model.stderr)")
        let groups = try CLI.run(["analyze", "--synthetic", "--groups", "99"])
        #expect(groups.stderr.contains("--groups must be in 0…50, got 99"), "\(groups.stderr)")
    }
}
