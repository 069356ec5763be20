import Foundation
import Testing

/// One convention on every command: `--format` where there is more than one, `--output PATH` for
/// what is written, metrics in reading order with counts as integers, errors that say why.
@Suite("CLI conventions")
struct CLIConventionTests {
    @Test func trainWritesJSONToTheOutputFileAndNothingToStandardOutput() throws {
        let folder = try TemporaryFolder()
        let file = folder.file("runs/train.json")  // its folder does not exist yet
        let result = try CLI.run(["train", "--synthetic", "--users", "200", "--model", "popularity", "--format", "json", "--output", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect((object["metrics"] as? [String: Double])?["ndcg@10"] != nil)
    }

    @Test func aFormatACommandDoesNotWriteIsAUsageErrorListingTheOnesItDoes() throws {
        let result = try CLI.run(["train", "--synthetic", "--model", "popularity", "--format", "csv"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("train writes table, json"), "\(result.stderr)")
        let analyze = try CLI.run(["analyze", "--synthetic", "--format", "md"])
        #expect(analyze.status == 64)
        #expect(analyze.stderr.contains("table, json, html"), "\(analyze.stderr)")
    }

    @Test func metricsAreInReadingOrderAndCountsAreIntegers() throws {
        let result = try CLI.run(["train", "--synthetic", "--users", "200", "--model", "popularity"])
        #expect(result.status == 0, "\(result.stderr)")
        let names = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        let ndcg = names.filter { $0.hasPrefix("ndcg@") }
        #expect(ndcg == ["ndcg@5", "ndcg@10", "ndcg@20"], "not the string order @10, @20, @5: \(names)")
        let users = try #require(result.stdout.split(separator: "\n").first { $0.contains("users_evaluated") })
        let value = try #require(users.split(separator: " ").last)
        #expect(Int(value) != nil, "a count is written as an integer: \(users)")
    }

    @Test func progressNamesTheHybridsStagesAndWritesCountsAsIntegers() throws {
        let result = try CLI.run(["train", "--synthetic", "--users", "200", "--model", "hybrid"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("hybrid [validation fit, content]: epoch 1/1  vocabulary "), "\(result.stderr)")
        #expect(!result.stderr.contains("validation.content.vocabulary"), "a stage prefix is not a metric name")
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("vocabulary") })
        #expect(Int(line.split(separator: " ").last ?? "") != nil, "the vocabulary size is a count: \(line)")
    }

    @Test func compareAndAnalyzeShowProgress() throws {
        let compare = try CLI.run([
            "compare", "--synthetic", "--users", "200", "--model", "ease", "--baseline", "popularity", "--resamples", "200",
        ])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stderr.contains("compare: loading the data, then training ease() (A) and popularity() (B)"), "\(compare.stderr)")
        let analyze = try CLI.run(["analyze", "--synthetic", "--users", "300", "--permutations", "100"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stderr.contains("permutation 100/100"), "\(analyze.stderr)")
    }

    @Test func statusOfASweepTheStoreDoesNotHoldIsAnErrorThatListsItsSweeps() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "s.yaml",
            """
            name: tiny
            dataset: {synthetic: {users: 50, movies: 20, news: 20}}
            metric: {primary: score, direction: maximize}
            models:
              noop: {}
            seeds: [1]
            """)
        let run = try CLI.run(["sweep", "run", "s.yaml", "--workers", "1", "--store", "s.sqlite"], currentDirectory: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        let status = try CLI.run(["sweep", "status", folder.file("s.sqlite"), "--sweep", "nosuch"])
        #expect(status.status == 1)
        #expect(status.stderr.contains("no sweep named 'nosuch'") && status.stderr.contains("tiny"), "\(status.stderr)")
        let json = try CLI.run(["sweep", "status", folder.file("s.sqlite"), "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["sweep"] as? String == "tiny" && rows.first?["finished"] as? Int == 1)
        let workers = try #require(rows.first?["workers"] as? [[String: Any]])
        #expect(workers.count == 1 && (workers.first?["attempts"] as? Int) == 1, "\(json.stdout)")
        let text = try CLI.run(["sweep", "status", folder.file("s.sqlite")])
        #expect(text.stdout.contains("tiny: 1 finished, 0 running, 0 pending, 0 failed, 1 total"), "\(text.stdout)")
        #expect(text.stdout.contains("  worker ") && text.stdout.contains("idle, 1 lease"), "\(text.stdout)")
    }

    @Test func keysIntoAPlaceThatCannotHoldThemSayWhy() throws {
        let folder = try TemporaryFolder()
        try folder.write("a-file", "x")
        let result = try CLI.run(["keys", "generate", "w1", "--output", folder.file("a-file/keys")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a file, not a folder"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func anOutputThatCannotBeWrittenSaysWhyAndNamesThePath() throws {
        let folder = try TemporaryFolder()
        try folder.write("a-file", "x")
        let target = folder.file("a-file/out.json")
        let result = try CLI.run(["train", "--synthetic", "--users", "200", "--model", "popularity", "--output", target])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write \(target)") && result.stderr.contains("is a file, not a folder"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func workerLogsAreJSONLinesWhenAsked() throws {
        let result = try CLI.run([
            "worker", "--connect", "tcp://127.0.0.1:9", "--id", "w9", "--give-up-after", "1", "--log-format", "json",
        ])
        #expect(result.status == 1)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("{") }, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "error" && object["worker.id"] == "w9", "\(line)")
        #expect(object["message"]?.contains("no answer from tcp://127.0.0.1:9") == true)
    }

    @Test func olderSpellingsStillWork() throws {
        let folder = try TemporaryFolder()
        let keys = try CLI.run(["keys", "generate", "w1", "--folder", folder.file("keys")])
        #expect(keys.status == 0 && FileManager.default.fileExists(atPath: folder.file("keys/w1.pub")), "\(keys.stderr)")
        let train = try CLI.run(["train", "--synthetic", "--users", "200", "--model", "popularity", "--json"])
        #expect(train.status == 0 && (try? JSONSerialization.jsonObject(with: Data(train.stdout.utf8))) != nil)
    }

    static let bench = (CLI.executable as NSString).deletingLastPathComponent + "/crossrec-bench"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: bench), "crossrec-bench is not built beside crossrec: skipped"))
    func benchmarkHelpPrintsUsageInsteadOfRunningTheBenchmark() throws {
        for benchmark in ["models", "sweep", "search", "cold-ceiling"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.bench)
            process.arguments = [benchmark, "--help"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(text.contains("usage: crossrec-bench"), "\(benchmark) --help: \(text.prefix(200))")
        }
    }
}
