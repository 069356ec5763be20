import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import Sweep
import SweepRuntime

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train and evaluate one model on one data set and split (the code path a sweep worker runs).",
        discussion: """
            Examples:
              crossrec train ../shared/data/ml-100k --model mf --param factors=64
              crossrec train --synthetic --model content --param min_df=1
              crossrec train --synthetic --users 3000 --model hybrid --param cf=itemknn

            Splits: official:u1 (…u5, ua, ub), random:0.2[:SEED], per-user:0.2[:SEED], cold-users:0.2[:SEED], \
            leave-last-out[:N], temporal:0.2, mind (train/dev), mind-time[:DAYS] (the last DAYS calendar days of MIND train evaluated, each impression from its own history), \
            cold-items:0.2[:SEED] and cold-items-time:0.2 (a fraction of the items, drawn at random or the latest \
            to arrive, held out whole; top-K then ranks only those items). Metrics are measured on the test \
            split only.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "Model name.") var model: String
    @Option(name: .customLong("param"), help: "Hyperparameter name=value (repeatable).") var parameters: [String] = []
    @Option(help: "Model seed.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func run() throws {
        try reportingUserErrors {
            let catalog = TrialRunner.catalog
            let parsed = try ParameterParsing.parse(parameters, model: model, catalog: catalog)
            let request = try data.request()
            let config = TrialConfig(model: model, parameters: parsed, seed: seed)
            let isTerminal = isatty(STDERR_FILENO) != 0
            let result = TrialRunner(textEmbedder: encoder.embedder()).run(config, dataset: request, cancel: CancellationFlag()) { progress in
                let values = progress.values.keys.sorted().map { "\($0) \(String(format: "%.4f", progress.values[$0]!))" }
                let line = "epoch \(progress.epoch)/\(progress.totalEpochs.map(String.init) ?? "?") " + values.joined(separator: ", ")
                FileHandle.standardError.write(Data(((isTerminal ? "\r" : "") + line + (isTerminal ? "" : "\n")).utf8))
            }
            if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            switch result {
            case .success(let metrics):
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    let output = TrainOutput(trial: config.label, seed: seed, metrics: metrics.values, timings: metrics.timings)
                    print(String(decoding: try encoder.encode(output), as: UTF8.self))
                } else {
                    print("\(config.label) seed \(seed)")
                    print("  " + DataOptions.protocolLine(request))
                    // One column wide enough for the longest name (names are never cut).
                    let names = metrics.values.keys.sorted(), timings = metrics.timings.keys.sorted().map { "time " + $0 }
                    let width = max(16, (names + timings).map(\.count).max() ?? 0)
                    func row(_ name: String, _ value: String) { print("  \(name.padding(toLength: width, withPad: " ", startingAt: 0)) \(value)") }
                    for name in names { row(name, String(format: "%.4f", metrics.values[name]!)) }
                    for name in metrics.timings.keys.sorted() { row("time " + name, String(format: "%.3f", metrics.timings[name]!) + " s") }
                }
            case .failure(let failure):
                FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

struct TrainOutput: Codable {
    var trial: String
    var seed: UInt64
    var metrics: [String: Double]
    var timings: [String: Double]
}
