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
    ])
    func badRequestsAreClearErrors(arguments: [String], message: String) throws {
        let result = try CLI.run(["train", "--synthetic"] + arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
