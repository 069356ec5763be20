import Foundation
import Testing

@Suite("crossrec simulate")
struct SimulateCommandTests {
    @Test func aMixedSlateAgainstAMoviesSlateOnTheSameSessions() throws {
        let result = try CLI.run([
            "simulate", "--synthetic", "--users", "300", "--param", "factors=8", "--slate", "mixed", "--compare", "unified",
            "--compare-param", "factors=8", "--compare-slate", "movies", "--sessions", "2000", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let shares = results.compactMap { $0["domainShare"] as? [String: Double] }
        #expect(shares.count == 2 && shares[0].keys.sorted() == ["movies", "news"] && shares[1] == ["movies": 1])
        for policy in results {
            let ctr = try #require(policy["ctr"] as? [String: Double])
            let exact = try #require(policy["exactCTR"] as? Double)
            #expect(ctr["lower"]! < ctr["mean"]! && ctr["mean"]! < ctr["upper"]!)
            #expect(exact > 0.02 && exact < 0.57, "between the click rule's base and base + taste")
        }
        let difference = try #require(object["difference"] as? [String: Double])
        let a = try #require((results[0]["ctr"] as? [String: Double])?["mean"]), b = try #require((results[1]["ctr"] as? [String: Double])?["mean"])
        #expect(abs(difference["mean"]! - (a - b)) < 1e-12, "the paired difference of the same sessions")
        #expect(object["pValue"] is Double)
        #expect((object["clickModel"] as? String)?.contains("assumption") == true, "the report says what the click model is")
    }

    @Test func theTableNamesTheClickModelAndTheExactCTR() throws {
        let result = try CLI.run([
            "simulate", "--synthetic", "--users", "200", "--model", "popularity", "--domain", "news", "--slate", "news", "--sessions", "500",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("click model: the generator's planted tastes"))
        #expect(result.stdout.contains("| popularity on news, slate news |"))
        #expect(result.stdout.contains("exact CTR"))
    }

    @Test func dataWithoutAPlantedTruthGetsAFittedClickModelThatSaysSo() throws {
        let folder = try TemporaryFolder()
        // Linked data without truth.json stands for real data: nothing planted to simulate with.
        let generated = try CLI.run(["data", "generate", "--output", folder.file("linked"), "--users", "150"])
        #expect(generated.status == 0, "\(generated.stderr)")
        try FileManager.default.removeItem(atPath: folder.file("linked/truth.json"))
        let fitted = try CLI.run(["simulate", folder.file("linked"), "--param", "factors=8", "--sessions", "300"])
        #expect(fitted.status == 0, "\(fitted.stderr)")
        #expect(fitted.stdout.hasPrefix("click model: a logistic click model fitted on") && fitted.stdout.contains("not users"))
        let planted = try CLI.run(["simulate", folder.file("linked"), "--click-model", "planted", "--sessions", "300"])
        #expect(planted.status == 1 && planted.stderr.contains("no planted truth (truth.json)"), "\(planted.stderr)")
    }

    /// A content policy on MiniLM vectors gets the sentence encoder like `recommend` does: a wrong
    /// folder is named as such (before, every `minilm` policy failed for want of an encoder).
    @Test func minilmPoliciesGetTheSentenceEncoder() throws {
        let folder = try TemporaryFolder()
        let missing = try CLI.run([
            "simulate", "--synthetic", "--users", "100", "--model", "content", "--param", "features=minilm", "--slate", "movies",
            "--sessions", "200", "--model-dir", folder.file("no-model"), "--cache", folder.file("cache"),
        ])
        #expect(missing.status == 1 && missing.stderr.contains("not a complete sentence-model folder"), "\(missing.stderr)")
    }

    @Test(.disabled(if: ModelsCommandTests.sharedModelAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func aMinilmContentPolicyRuns() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run([
            "simulate", "--synthetic", "--users", "100", "--model", "content", "--param", "features=minilm", "--slate", "movies",
            "--sessions", "200", "--model-dir", ModelsCommandTests.sharedModel, "--cache", folder.file("cache"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| content(features=minilm) on movies, slate movies |"), "\(result.stdout)")
    }

    @Test func badOptionsAreClearErrors() throws {
        let orphan = try CLI.run(["simulate", "--synthetic", "--compare-slate", "news"])
        let unknown = try CLI.run(["simulate", "--synthetic", "--click-model", "magic"])
        #expect(unknown.status == 64 && unknown.stderr.contains("auto, planted or fitted"))
        #expect(orphan.status == 64 && orphan.stderr.contains("add --compare MODEL"))
        let slate = try CLI.run(["simulate", "--synthetic", "--users", "100", "--slate", "books", "--sessions", "200"])
        #expect(slate.status == 1 && slate.stderr.contains("--slate 'books': use mixed or a domain (movies, news)"), "\(slate.stderr)")
        let popular = try CLI.run([
            "simulate", "--synthetic", "--users", "100", "--model", "popularity", "--slate", "news", "--sessions", "200",
        ])
        #expect(popular.status == 1 && popular.stderr.contains("learned no other domain"), "\(popular.stderr)")
    }
}

@Suite("sim_ctr@10 as a sweep objective")
struct SimulatedObjectiveTests {
    @Test func aSweepRanksByThePlantedUsersExpectedCTR() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "sim.yaml",
            """
            name: sim-objective
            dataset:
              synthetic: {users: 200}
            metric: {primary: sim_ctr@10, direction: maximize, record: [ndcg@10]}
            models:
              popularity: {}
              unified: {factors: 8, iterations: 3}
            seeds: [1]
            """)
        let run = try CLI.run(["sweep", "run", "sim.yaml", "--workers", "1", "--store", "s.sqlite", "--format", "json"], currentDirectory: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        let board = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rows = try #require(board["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        for row in rows {
            let metrics = try #require(row["metrics"] as? [String: Any])
            let ctr = try #require((metrics["sim_ctr@10"] as? [String: Any])?["mean"] as? Double)
            #expect(ctr > 0.02 && ctr < 0.57, "between the click rule's base and base + taste: \(ctr)")
        }
    }

    @Test func dataWithoutAPlantedTruthIsRefusedBeforeAnythingRuns() throws {
        let folder = try TemporaryFolder()
        let generated = try CLI.run(["data", "generate", "--output", folder.file("linked"), "--users", "60"])
        #expect(generated.status == 0, "\(generated.stderr)")
        try FileManager.default.removeItem(atPath: folder.file("linked/truth.json"))
        try folder.write(
            "sim.yaml",
            """
            name: no-truth
            dataset:
              path: linked
            metric: {primary: sim_ctr@10, direction: maximize}
            models:
              popularity: {}
            """)
        let run = try CLI.run(["sweep", "run", "sim.yaml", "--workers", "1", "--store", "s.sqlite"], currentDirectory: folder.path)
        #expect(run.status == 1 && run.stderr.contains("sim.yaml:4: 'sim_ctr@10' is the planted users' click rate"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("s.sqlite")), "nothing ran")
    }
}
