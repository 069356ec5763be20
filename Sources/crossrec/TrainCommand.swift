import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import RecEval
import RecModels
import Sweep
import SweepRuntime

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train and evaluate one model on one data set and split (the code path a sweep worker runs).",
        discussion: """
            Examples:
              crossrec train ml-100k --model mf --param factors=64
              crossrec train --synthetic --model content --param min_df=1
              crossrec train --synthetic --users 3000 --model hybrid --param cf=itemknn

            Splits: official:u1 (…u5, ua, ub), files:TRAIN,TEST (a given pair of user,item,rating files), random:0.2[:SEED], per-user:0.2[:SEED], cold-users:0.2[:SEED[:FOLD]], \
            leave-last-out[:N], temporal:0.2, mind (train/dev), mind-time[:DAYS] (the last DAYS calendar days of MIND train evaluated, each impression from its own history), \
            cold-items:0.2[:SEED] and cold-items-time:0.2 (a fraction of the items, drawn at random or the latest \
            to arrive, held out whole; top-K then ranks only those items). Metrics are measured on the test \
            split only.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "Model: \(ModelRegistry.names.joined(separator: ", ")) (parameters: docs/models.md).") var model: String
    @Option(name: .customLong("param"), help: "Hyperparameter name=value (repeatable).") var parameters: [String] = []
    @Option(help: "Model seed.") var seed: UInt64 = 1
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @Flag(help: .hidden) var json = false
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func validate() throws { try format.check([.table, .json], command: "train") }

    func run() throws {
        try reportingUserErrors {
            let catalog = TrialRunner.catalog
            let parsed = try ParameterParsing.parse(parameters, model: model, catalog: catalog)
            let request = try data.request()
            let config = TrialConfig(model: model, parameters: parsed, seed: seed)
            let progress = CommandProgress(label: model)
            progress.start("loading the data and training \(config.label)")
            let result = TrialRunner(textEmbedder: encoder.embedder()).run(config, dataset: request, cancel: CancellationFlag()) {
                progress.update($0)
            }
            progress.finish()
            switch result {
            case .success(let metrics):
                if json || format == .json {
                    let output = TrainOutput(trial: config.label, seed: seed, metrics: metrics.values, timings: metrics.timings)
                    try OutputFile.emit(try JSONOutput.text(output), to: self.output)
                } else {
                    var lines = ["\(config.label) seed \(seed)", "  " + DataOptions.protocolLine(request)]
                    // One column wide enough for the longest name (names are never cut).
                    let names = MetricText.sorted(metrics.values.keys), timings = metrics.timings.keys.sorted()
                    let width = max(16, (names + timings.map { "time " + $0 }).map(\.count).max() ?? 0)
                    func row(_ name: String, _ value: String) { lines.append("  \(name.padding(toLength: width, withPad: " ", startingAt: 0)) \(value)") }
                    for name in names { row(name, MetricText.value(metrics.values[name]!, of: name)) }
                    for name in timings { row("time " + name, String(format: "%.3f", metrics.timings[name]!) + " s") }
                    try OutputFile.emit(lines.joined(separator: "\n"), to: self.output)
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
