import ArgumentParser
import Foundation
import ParameterSpecs
import RecEval
import RecModels
import Sweep
import SweepRuntime

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train a model and one or more baselines on the same data and split and test whether it is better (paired tests).",
        discussion: """
            The models are evaluated on the same held-out users (and MIND impressions); each \
            metric's per-user values are compared with a paired t-test, Wilcoxon's signed-rank test \
            and a 95% bootstrap interval of the mean difference (model − baseline), one table per \
            baseline. The model under test is trained once however many baselines there are.

            Examples:
              crossrec compare --synthetic --users 3000 --model hybrid --baseline ease
              crossrec compare ml-100k --model ease --baseline itemknn \\
                  --baseline-param neighbors=50 --metric ndcg@10
              crossrec compare --synthetic --model twotower --baseline emcdr \\
                  --baseline popularity --baseline-param emcdr.factors=32

            With a cold-users split, --all-folds compares on every fold of the draw instead of \
            one: the users in the draw's seeded order are cut into folds of its size, each fold is \
            made cold in turn (both models trained once per fold), and each user's values enter \
            one pooled paired test: about 1/f times the users of one draw (5 times at 0.2). \
            cold-users:0.2:SEED:FOLD names one fold (0 is the draw itself). With --resume-dir DIR \
            each finished fold is kept in DIR and reused by the same command run again.

            Splits: official:u1 (…u5, ua, ub), files:TRAIN,TEST (a given pair of user,item,rating files), random:0.2[:SEED], per-user:0.2[:SEED], cold-users:0.2[:SEED[:FOLD]], \
            leave-last-out[:N], temporal:0.2, mind (train/dev), mind-time[:DAYS], cold-items:0.2[:SEED] and \
            cold-items-time:0.2 (items held out whole; top-K then ranks only them). Metrics are measured on the \
            test split only.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "The model under test: \(ModelRegistry.names.joined(separator: ", ")).") var model: String
    @Option(name: .customLong("param"), help: "Its hyperparameter name=value (repeatable).") var parameters: [String] = []
    @Option(
        name: .customLong("baseline"),
        help: "The model it is compared with (any of the above; repeatable: the model under test is trained once and compared with each).")
    var baselines: [String]
    @Option(
        name: .customLong("baseline-param"),
        help: "A baseline's hyperparameter name=value (repeatable); with several baselines name the model: emcdr.factors=32.")
    var baselineParameters: [String] = []
    @Option(
        name: .customLong("metric"),
        help: "Metric to compare (repeatable; default: ndcg@10, recall@10, mrr, and mind_auc, mind_ndcg@10 on a MIND split).")
    var metrics: [String] = []
    @Option(help: "Seed of both models.") var seed: UInt64 = 1
    @Option(help: "Bootstrap resamples.") var resamples: Int = 10_000
    @Flag(help: "With a cold-users split: compare on every fold of the draw (each user cold once) and pool them in one paired test.")
    var allFolds = false
    @Option(help: "With --all-folds: folds trained at the same time (each on one thread as usual; the result does not depend on it).")
    var jobs: Int = 1
    @Option(
        name: .customLong("resume-dir"),
        help: "With --all-folds: keep each finished fold in this folder (fold-K.json) and reuse it when the same comparison runs again, so a crash loses only the folds in progress.")
    var resumeFolder: String?
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @Flag(help: .hidden) var json = false
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func validate() throws {
        try format.check([.table, .json], command: "compare")
        guard resamples >= 100 else { throw ValidationError("--resamples must be at least 100, got \(resamples)") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if jobs > 1 && !allFolds { throw ValidationError("--jobs runs folds at the same time: it needs --all-folds") }
        if resumeFolder != nil && !allFolds { throw ValidationError("--resume-dir keeps the folds of --all-folds: it needs --all-folds") }
        if allFolds {
            guard let draw = try data.split.map(SplitParsing.parse)?.coldUsersDraw else {
                throw ValidationError("--all-folds needs a cold-users split, e.g. --split cold-users:0.2:1")
            }
            guard draw.fold == 0 else {
                throw ValidationError("--all-folds runs folds 0…K−1 itself: give the draw without a fold (--split cold-users:0.2:SEED)")
            }
        }
        if let repeated = Dictionary(grouping: baselines, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError(
                "--baseline \(repeated) is given twice; to compare with one model under two settings, run compare once per setting")
        }
    }

    /// Each baseline's `--baseline-param` values: `model.name=value` goes to that model, a plain
    /// `name=value` to the only baseline (with several it must name one).
    static func parametersByBaseline(_ parameters: [String], baselines: [String]) throws -> [String: [String]] {
        var result = Dictionary(uniqueKeysWithValues: baselines.map { ($0, [String]()) })
        for parameter in parameters {
            let key = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? parameter
            if let dot = key.firstIndex(of: ".") {
                let model = String(key[..<dot])
                guard result[model] != nil else {
                    throw ValidationError(
                        "--baseline-param \(parameter): '\(model)' is not a baseline here (baselines: \(baselines.joined(separator: ", ")))")
                }
                result[model]!.append(String(parameter[parameter.index(after: dot)...]))
            } else {
                guard baselines.count == 1 else {
                    throw ValidationError(
                        "--baseline-param \(parameter): with several baselines name the model, e.g. --baseline-param \(baselines[0]).\(parameter)")
                }
                result[baselines[0]]!.append(parameter)
            }
        }
        return result
    }

    func run() throws {
        try reportingUserErrors {
            let catalog = TrialRunner.catalog
            let a = TrialConfig(
                model: model, parameters: try ParameterParsing.parse(parameters, model: model, catalog: catalog), seed: seed)
            let parameters = try Self.parametersByBaseline(baselineParameters, baselines: baselines)
            let bs = try baselines.map { baseline in
                TrialConfig(
                    model: baseline,
                    parameters: try ParameterParsing.parse(parameters[baseline] ?? [], model: baseline, catalog: catalog),
                    seed: seed)
            }
            let requested =
                metrics.isEmpty
                ? TrialRunner.defaultComparisonMetrics + (data.sampled == nil ? [] : ["sampled_hit_rate@10", "sampled_ndcg@10"])
                : metrics
            let request = try data.request()
            let progress = CommandProgress(label: "compare")
            let names = bs.map(\.label).joined(separator: " and ")
            progress.start("loading the data, then training \(a.label) (A) and \(names) (B) and testing \(requested.count) metrics")
            if allFolds && resumeFolder == nil {
                progress.note(
                    "no --resume-dir: a crash loses every finished fold (with --resume-dir DIR, rerunning the same command reuses them)",
                    final: true)
            }
            let runner = TrialRunner(textEmbedder: encoder.embedder())
            let result: Result<[ModelComparison], TrialFailure>
            var folds: [ColdUserFoldComparison.Fold]? = nil
            if allFolds {
                result = runner.compareColdUserFolds(
                    a, against: bs, dataset: request, metrics: requested, resamples: resamples, jobs: jobs,
                    resumeFolder: resumeFolder
                ) { model, fold, count, epoch in
                    progress.update(model: "\(model), fold \(fold) of \(count)", epoch)
                }.map { pooled in
                    folds = pooled.folds
                    return pooled.comparisons
                }
            } else {
                result = runner.compare(a, against: bs, dataset: request, metrics: requested, resamples: resamples) { model, epoch in
                    progress.update(model: model, epoch)
                }
            }
            progress.finish()
            var comparisons: [ModelComparison]
            switch result {
            case .success(let value):
                comparisons = value
                // The default list names the MIND metrics for MIND splits; elsewhere they are not news.
                if metrics.isEmpty {
                    for k in comparisons.indices {
                        comparisons[k].skipped = comparisons[k].skipped.filter { !$0.key.hasPrefix("mind_") }
                    }
                }
            case .failure(let failure):
                FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
                throw ExitCode(1)
            }
            if json || format == .json {
                var out = CompareOutput(comparisons)
                out.folds = folds
                try OutputFile.emit(try JSONOutput.text(out), to: output)
            } else {
                let tables = comparisons.map(Self.table).joined(separator: "\n\n")
                let foldTable = folds.map { "\n\n" + Self.foldTable($0, comparisons) } ?? ""
                try OutputFile.emit(tables + foldTable + "\n" + DataOptions.protocolLine(request), to: output)
            }
            if comparisons.contains(where: { $0.comparisons.isEmpty }) {
                FileHandle.standardError.write(Data("error: no metric could be compared\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// A: …, B: …, then one row per metric: means, difference, interval and p-values.
    static func table(_ comparison: ModelComparison) -> String {
        var lines = [
            "A: \(comparison.a.label) seed \(comparison.a.seed)",
            "B: \(comparison.b.label) seed \(comparison.b.seed)",
        ]
        for (name, metrics) in [("A", comparison.metricsA), ("B", comparison.metricsB)] where !metrics.values.isEmpty {
            // What the model reports of its own fit (ModelRegistry's fit-summary names).
            let learned = [
                "content_weight", "validation_ndcg@10", "users_from_other_domains", "cold_popularity_weight",
                "chosen_other_weight", "chosen_cold_other_weight", "mapping_users", "sampled_rows", "wide_weight",
            ].compactMap { key in
                metrics.values[key].map { "\(key) \(MetricText.value($0, of: key))" }
            }
            let fit = metrics.timings["fit"].map { String(format: "fit %.3f s", $0) } ?? ""
            lines.append("\(name): " + ([fit] + learned).filter { !$0.isEmpty }.joined(separator: ", "))
        }
        lines.append("")
        let header = ["metric", "units", "A", "B", "A − B", "95% interval", "t-test p", "Wilcoxon p"]
        var rows = [header]
        for c in comparison.comparisons {
            rows.append([
                c.metric, "\(c.count)", String(format: "%.4f", c.meanA), String(format: "%.4f", c.meanB),
                String(format: "%+.4f", c.tTest.meanDifference),
                String(format: "[%+.4f, %+.4f]", c.bootstrap.lower, c.bootstrap.upper), pValue(c.tTest.pValue),
                pValue(c.wilcoxon.pValue),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
        for row in rows {
            lines.append(
                row.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  "))
        }
        for (metric, reason) in comparison.skipped.sorted(by: { $0.key < $1.key }) {
            lines.append("not compared: \(metric): \(reason)")
        }
        lines.append("units: evaluated users (top-K metrics) or scored impressions (mind_*); intervals are bootstrap percentiles")
        return lines.joined(separator: "\n")
    }

    /// With --all-folds: per fold, its users and each model's mean of every compared metric.
    static func foldTable(_ folds: [ColdUserFoldComparison.Fold], _ comparisons: [ModelComparison]) -> String {
        let metrics = comparisons.first?.comparisons.map(\.metric) ?? []
        var header = ["fold", "users"]
        for metric in metrics {
            header.append("A \(metric)")
            for index in comparisons.indices { header.append("B\(comparisons.count > 1 ? "\(index + 1)" : "") \(metric)") }
        }
        var rows = [header]
        for fold in folds {
            var row = ["\(fold.fold)", "\(fold.units)"]
            for metric in metrics {
                row.append(fold.meanA[metric].map { String(format: "%.4f", $0) } ?? "–")
                for index in comparisons.indices {
                    row.append((index < fold.meanB.count ? fold.meanB[index][metric] : nil).map { String(format: "%.4f", $0) } ?? "–")
                }
            }
            rows.append(row)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
        var lines = ["folds (every user cold in exactly one; the tables above pool them):"]
        for row in rows {
            lines.append(
                row.enumerated().map { column, cell in String(repeating: " ", count: widths[column] - cell.count) + cell }
                    .joined(separator: "  "))
        }
        if comparisons.count > 1 {
            lines.append(comparisons.enumerated().map { "B\($0.offset + 1): \($0.element.b.label)" }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }

    static func pValue(_ p: Double) -> String { p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
}

struct CompareOutput: Codable {
    struct Model: Codable {
        var trial: String
        var seed: UInt64
        var metrics: [String: Double]
        var timings: [String: Double]
    }

    /// One baseline and the model under test against it.
    struct Against: Codable {
        var baseline: Model
        var comparisons: [PairedComparison]
        var skipped: [String: String]
    }

    var model: Model
    /// The first baseline's (the whole output with one `--baseline`).
    var baseline: Model
    var comparisons: [PairedComparison]
    var skipped: [String: String]
    /// Every baseline's, in the order given (the first repeats the fields above).
    var baselines: [Against]
    /// With --all-folds: each fold's users and means (the comparisons above pool them).
    var folds: [ColdUserFoldComparison.Fold]?

    init(_ all: [ModelComparison]) {
        let comparison = all[0]
        model = Model(
            trial: comparison.a.label, seed: comparison.a.seed, metrics: comparison.metricsA.values,
            timings: comparison.metricsA.timings)
        baselines = all.map { c in
            Against(
                baseline: Model(trial: c.b.label, seed: c.b.seed, metrics: c.metricsB.values, timings: c.metricsB.timings),
                comparisons: c.comparisons, skipped: c.skipped)
        }
        baseline = baselines[0].baseline
        comparisons = comparison.comparisons
        skipped = comparison.skipped
    }
}
