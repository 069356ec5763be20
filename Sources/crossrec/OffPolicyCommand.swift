import ArgumentParser
import Foundation
import ParameterSpecs
import RecModels
import RecOffPolicy
import Sweep
import SweepRuntime

struct OffPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ope",
        abstract: "Estimate trained models' click rates off policy on MIND impressions (IPS, SNIPS, doubly robust).",
        discussion: """
            Each model is trained on the split's training clicks and becomes a target policy over \
            every evaluated impression's candidates (greedy on its scores unless --policy says \
            otherwise). The impressions become a single-action log: one candidate per impression \
            drawn uniformly (--log-seed), so the logging propensity 1/|C| is exact. IPS, self-normalised \
            IPS and doubly robust (item click rates, 2-fold cross-fitted) estimate each policy's click \
            rate with 95% percentile bootstrap intervals over impressions, beside the effective \
            sample size and the full-information value read from every label (the reference MIND's \
            complete labels allow). Split: mind (train/dev) unless --split says mind-time[:DAYS]. \
            The estimators, the conversion and what OPE can and cannot say: docs/off-policy.md.

            Examples:
              crossrec ope --synthetic --model content --model popularity
              crossrec ope --synthetic --model ease:lambda=200 --policy softmax:0.5 --format md
              crossrec ope mind-sample --model content --param min_df=1 --clip 20
            """
    )

    @OptionGroup var data: DataOptions
    @Option(
        name: .customLong("model"),
        help: "A model as a target policy: NAME or NAME:name=value,name=value (repeatable; \(ModelRegistry.names.joined(separator: ", "))).")
    var models: [String] = []
    @Option(name: .customLong("param"), help: "Hyperparameter name=value of the one --model (repeatable).") var parameters: [String] = []
    @Option(help: "Target policy from each model's candidate scores: greedy, softmax:T (T > 0) or epsilon:E (0 ≤ E ≤ 1).")
    var policy: String = "greedy"
    @Option(help: "Clip importance weights at M (min(w, M); biases the estimates down; default: no clipping).") var clip: Double?
    @Option(help: "Seed of the logged-candidate draw, the cross-fitting folds and the bootstrap.") var logSeed: UInt64 = 1
    @Option(help: "Model seed.") var seed: UInt64 = 1
    @Option(help: "Bootstrap resamples.") var resamples: Int = 10_000
    @Option(help: "Output format: table, json, csv or md.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func validate() throws {
        try format.check([.table, .json, .csv, .md], command: "ope")
        guard !models.isEmpty else { throw ValidationError("name at least one --model (e.g. --model popularity)") }
        if !parameters.isEmpty && models.count != 1 {
            throw ValidationError(
                "--param applies to a single --model; with \(models.count) models write each one's as --model NAME:name=value,name=value")
        }
        guard resamples >= 100 else { throw ValidationError("--resamples must be at least 100, got \(resamples)") }
        if let clip, !(clip.isFinite && clip > 0) { throw ValidationError("--clip must be a weight M > 0, got \(clip)") }
        do {
            _ = try TargetPolicy(parsing: policy)
        } catch {
            throw ValidationError("--policy: \(error)")
        }
    }

    func run() throws {
        try reportingUserErrors {
            let catalog = TrialRunner.catalog
            let configs = try models.map { text in
                let (name, assignments) = Self.modelSpec(text)
                return TrialConfig(
                    model: name, parameters: try ParameterParsing.parse(assignments + parameters, model: name, catalog: catalog),
                    seed: seed)
            }
            var request = try data.request()
            if request.split == nil { request.split = .mind(train: "train", evaluate: "dev") }
            let target = try TargetPolicy(parsing: policy)
            let progress = CommandProgress(label: "ope")
            progress.start("loading the data, then training \(configs.map(\.label).joined(separator: ", "))")
            let result = TrialRunner(textEmbedder: encoder.embedder()).offPolicy(
                configs, dataset: request, policy: target,
                estimator: OffPolicyEstimator(weightClip: clip, resamples: resamples), logSeed: logSeed
            ) { model, epoch in
                progress.update(model: model, epoch)
            }
            progress.finish()
            switch result {
            case .success(let run):
                let text: String
                switch format {
                case .json: text = try JSONOutput.text(OffPolicyOutput(run))
                case .csv: text = Self.csv(run)
                case .md: text = Self.markdown(run)
                case .table, .html: text = Self.table(run)
                }
                try OutputFile.emit(text, to: output)
            case .failure(let failure):
                FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// `ease` → ("ease", []); `ease:lambda=200,x=1` → ("ease", ["lambda=200", "x=1"]).
    static func modelSpec(_ text: String) -> (name: String, assignments: [String]) {
        guard let colon = text.firstIndex(of: ":") else { return (text, []) }
        let assignments = text[text.index(after: colon)...].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return (String(text[..<colon]), assignments)
    }

    static func header(_ run: OffPolicyRun) -> [String] {
        let n = run.models.first?.estimate.impressions ?? 0
        var lines = [
            "target policy: \(run.policy) over each model's scores of an impression's candidates",
            "log: \(n) '\(run.part)' impressions, one candidate each drawn uniformly (seed \(run.logSeed)), propensity 1/|C|"
                + (run.skippedImpressions > 0 ? "; \(run.skippedImpressions) unlabeled skipped" : ""),
        ]
        if let first = run.models.first {
            var line = String(format: "logged click rate %.4f", first.estimate.loggedRewardMean)
            if let uniform = run.uniformFullInformationValue {
                line += String(format: " (uniform policy, every label: %.4f)", uniform)
            }
            if let clip = first.estimate.weightClip { line += "; weights clipped at \(clip)" }
            lines.append(line)
        }
        return lines
    }

    static func cell(_ interval: OffPolicyEstimate.Interval?) -> [String] {
        guard let interval else { return ["-", "-"] }
        return [String(format: "%.4f", interval.estimate), String(format: "[%.4f, %.4f]", interval.lower, interval.upper)]
    }

    static func rows(_ run: OffPolicyRun) -> [[String]] {
        run.models.map { model in
            let e = model.estimate
            return [model.config.label, String(format: "%.1f", e.effectiveSampleSize), String(format: "%.1f", e.maxWeight)]
                + cell(e.ips) + cell(e.snips) + cell(e.doublyRobust)
                + [model.fullInformationValue.map { String(format: "%.4f", $0) } ?? "-"]
        }
    }

    static let columns = [
        "model", "ESS", "max w", "IPS", "95% interval", "SNIPS", "95% interval", "DR", "95% interval", "every label",
    ]

    static func table(_ run: OffPolicyRun) -> String {
        let grid = [columns] + rows(run)
        let widths = columns.indices.map { column in grid.map { $0[column].count }.max()! }
        var lines = header(run) + [""]
        for row in grid {
            lines.append(
                row.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  "))
        }
        lines.append(
            "ESS: (Σw)²/Σw², of \(run.models.first?.estimate.impressions ?? 0) impressions; intervals: percentile bootstrap over impressions; "
                + "every label: the policy's click rate read from all of MIND's labels (slate effects ignored)")
        return lines.joined(separator: "\n")
    }

    static func markdown(_ run: OffPolicyRun) -> String {
        var lines = header(run).map { $0 + "  " } + [""]
        lines.append("| " + columns.joined(separator: " | ") + " |")
        lines.append("|" + columns.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined())
        for row in rows(run) { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// One line per model and estimator.
    static func csv(_ run: OffPolicyRun) -> String {
        var lines = ["model,estimator,estimate,lower,upper,impressions,ess,max_weight,every_label"]
        for model in run.models {
            let e = model.estimate
            let estimators: [(String, OffPolicyEstimate.Interval?)] = [("ips", e.ips), ("snips", e.snips), ("dr", e.doublyRobust)]
            for (name, interval) in estimators {
                guard let interval else { continue }
                let fields = [
                    "\"\(model.config.label.replacingOccurrences(of: "\"", with: "\"\""))\"", name, "\(interval.estimate)",
                    "\(interval.lower)", "\(interval.upper)", "\(e.impressions)", "\(e.effectiveSampleSize)", "\(e.maxWeight)",
                    model.fullInformationValue.map { "\($0)" } ?? "",
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n")
    }
}

struct OffPolicyOutput: Codable {
    struct Model: Codable {
        var trial: String
        var seed: UInt64
        var estimate: OffPolicyEstimate
        var everyLabel: Double?
        var fitSeconds: Double
    }

    var part: String
    var policy: String
    var logSeed: UInt64
    var skippedImpressions: Int
    var uniformEveryLabel: Double?
    var models: [Model]

    init(_ run: OffPolicyRun) {
        part = run.part
        policy = run.policy.description
        logSeed = run.logSeed
        skippedImpressions = run.skippedImpressions
        uniformEveryLabel = run.uniformFullInformationValue
        models = run.models.map {
            Model(
                trial: $0.config.label, seed: $0.config.seed, estimate: $0.estimate, everyLabel: $0.fullInformationValue,
                fitSeconds: $0.fitSeconds)
        }
    }
}
