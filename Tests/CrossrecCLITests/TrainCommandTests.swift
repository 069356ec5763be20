import Foundation
import Testing

@Suite("crossrec train")
struct TrainCommandTests {
    @Test func trainsOnAGenericFileAndReportsHeldOutMetrics() throws {
        let folder = try TemporaryFolder()
        var lines = ["user,item,rating,timestamp"]
        for user in 0..<30 {
            for item in 0..<12 where (user + item) % 3 != 0 { lines.append("u\(user),i\(item),\((user * item) % 5 + 1),\(user * 100 + item)") }
        }
        try folder.write("ratings.csv", lines.joined(separator: "\n") + "\n")
        let result = try CLI.run([
            "train", folder.file("ratings.csv"), "--model", "mf", "--param", "factors=4", "--param", "epochs=3",
            "--param", "lr_bias=lr", "--param", "reg_bias=0.05", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let metrics = object?["metrics"] as? [String: Double]
        #expect(metrics?["rmse"].map { $0 > 0 && $0 < 5 } == true)
        #expect(metrics?["ndcg@10"] != nil)
    }

    @Test(arguments: [
        (["--model", "svd++"], "unknown model 'svd++'; known models:"),
        (["--model", "mf", "--param", "factorz=8"], "model 'mf' has no hyperparameter 'factorz'; accepted:"),
        (["--model", "mf", "--param", "factors=-3"], "'factors' must be an integer in"),
        (["--model", "mf", "--param", "lr=fast"], "--param lr: must be a number"),
        (["--model", "mf", "--param", "lr_bias=same"], "--param lr_bias: must be a number in 1e-06…1.0 or 'lr' (the same as lr), got 'same'"),
        (["--model", "mf", "--split", "sideways"], "unknown split 'sideways'"),
        (["--model", "hybrid", "--param", "als.factors=8"], "'als.factors' applies only when 'cf' is als, but 'cf' is ease"),
    ])
    func badRequestsAreClearErrors(arguments: [String], message: String) throws {
        let result = try CLI.run(["train", "--synthetic"] + arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func usersNeedsTheSyntheticData() throws {
        let result = try CLI.run(["train", "../somewhere", "--users", "500", "--model", "ease"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--users sets the size of the synthetic data; add --synthetic"), "\(result.stderr)")
    }
}

@Suite("crossrec compare")
struct CompareCommandTests {
    /// A model against itself: every per-user difference is 0, so the interval is [0, 0].
    @Test func aModelAgainstItselfDiffersByNothing() throws {
        let result = try CLI.run([
            "compare", "--synthetic", "--users", "200", "--model", "ease", "--baseline", "ease", "--metric", "ndcg@10",
            "--json", "--resamples", "200",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let comparisons = try #require(object["comparisons"] as? [[String: Any]])
        #expect(comparisons.count == 1)
        let bootstrap = try #require(comparisons.first?["bootstrap"] as? [String: Any])
        #expect(bootstrap["lower"] as? Double == 0 && bootstrap["upper"] as? Double == 0, "\(bootstrap)")
        #expect((object["model"] as? [String: Any])?["trial"] as? String == "ease()")
    }

    /// EASE against popularity on the synthetic data: a large, significant lift, printed as a table.
    @Test func aRealLiftIsSignificant() throws {
        let result = try CLI.run([
            "compare", "--synthetic", "--users", "300", "--model", "ease", "--baseline", "popularity", "--resamples", "500",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("ndcg@10 ") })
        let cells = row.split(separator: " ")
        // metric, units, A, B, A − B, [lower, upper], t-test p, Wilcoxon p
        let difference = try #require(Double(cells[4]))
        let tTestP = try #require(Double(cells[7]))
        #expect(difference > 0.02 && tTestP < 0.01, "\(row)")
        #expect(!result.stdout.contains("mind_auc"), "the MIND metrics are not listed off a MIND split")
    }

    @Test(arguments: [
        (["--model", "ease", "--baseline", "svd++"], "unknown model 'svd++'"),
        (["--model", "ease", "--baseline", "ease", "--baseline-param", "lamda=3"], "model 'ease' has no hyperparameter 'lamda'"),
        (["--model", "ease", "--baseline", "popularity", "--metric", "mind_auc"],
         "not compared: mind_auc: no MIND impressions in this split (use the mind split)"),
    ])
    func badRequestsAreClearErrors(arguments: [String], message: String) throws {
        let result = try CLI.run(["compare", "--synthetic", "--users", "100"] + arguments)
        #expect(result.status == 1)
        #expect((result.stderr + result.stdout).contains(message), "\(result.stderr)")
    }

    /// On a MIND split the default comparison adds the impression metrics, per impression.
    @Test func aMINDSplitComparesImpressions() throws {
        let result = try CLI.run([
            "compare", "--synthetic", "--users", "200", "--split", "mind", "--model", "content", "--baseline", "popularity",
            "--resamples", "200",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("mind_auc ") } && rows.contains { $0.hasPrefix("mind_ndcg@10 ") }, "\(result.stdout)")
    }
}
