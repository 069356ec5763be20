import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import RecModels
import RecSimulation
import SweepRuntime

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate users who see a model's slates and click; compare two policies (A/B) on the same users.",
        discussion: """
            Each session draws a user uniformly, shows the policy's slate and clicks every item with \
            the click model's probability. On generated data (truth.json beside it, or --synthetic) the \
            click model is the generator's planted truth: news clicks follow the generator's own rule, \
            movies the same rule on genres (an assumption), so the exact expected CTR of any slate is \
            known and printed beside the estimate. On other data (or with --click-model fitted) it is a \
            logistic model fitted on --held-out of the rows (item popularity and the user's category \
            affinity, against random untouched items): a model of users, not users, and the report says \
            so; the policies then learn from the other rows only.

            The policy's model is trained on every row of --domain (the simulation's clicks come from the \
            click model, not from held-out rows); --slate mixed mixes the domains it scores (unified and \
            twotower score both), or names one domain. With --compare, a second policy runs on the same \
            simulated sessions (common random numbers) and the difference comes with a paired t-test.

            Examples:
              crossrec simulate --synthetic --model unified --slate mixed
              crossrec simulate --synthetic --model unified --slate mixed --compare unified --compare-slate movies
              crossrec simulate out/synthetic --model popularity --domain news --slate news --sessions 20000 --format json
            """)

    @OptionGroup var source: SourceOptions
    @Option(help: "Model of policy A: \(ModelRegistry.names.joined(separator: ", ")).") var model: String = UnifiedModel.name
    @Option(name: .customLong("param"), help: "Hyperparameter of A, name=value (repeatable).") var parameters: [String] = []
    @Option(help: "The domain A's model is trained on (default: movies when present, else the first).") var domain: String?
    @Option(help: "A's slate: mixed, or a domain name.") var slate: String = "mixed"
    @Option(help: "Model of policy B (compared with A on the same sessions).") var compare: String?
    @Option(name: .customLong("compare-param"), help: "Hyperparameter of B, name=value (repeatable).") var compareParameters: [String] = []
    @Option(help: "The domain B's model is trained on (default: A's).") var compareDomain: String?
    @Option(help: "B's slate: mixed, or a domain name (default: A's).") var compareSlate: String?
    @Option(help: "Items per slate.") var size: Int = 10
    @Option(help: "A mixed slate has at least this many items of each domain.") var minPerDomain: Int = 3
    @Option(help: "Simulated sessions.") var sessions: Int = 10_000
    @Option(help: "Seed of the simulation (users and clicks), the held-out draw and the models.") var seed: UInt64 = 1
    @Option(help: "Click model: auto (planted when the data has truth.json, else fitted), planted or fitted.")
    var clickModel: String = "auto"
    @Option(help: "Share of the rows held out to fit the click model (fitted only).") var heldOut: Double = 0.2
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func validate() throws {
        try format.check([.table, .json], command: "simulate")
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size)") }
        guard minPerDomain >= 0 else { throw ValidationError("--min-per-domain must not be negative, got \(minPerDomain)") }
        guard ["auto", "planted", "fitted"].contains(clickModel) else {
            throw ValidationError("--click-model must be auto, planted or fitted, got '\(clickModel)'")
        }
        guard heldOut > 0 && heldOut < 1 else { throw ValidationError("--held-out must be in (0, 1), got \(heldOut)") }
        guard sessions >= 100 else { throw ValidationError("--sessions must be at least 100 for a useful interval, got \(sessions)") }
        if compare == nil && (!compareParameters.isEmpty || compareDomain != nil || compareSlate != nil) {
            throw ValidationError("--compare-param, --compare-domain and --compare-slate describe policy B; add --compare MODEL")
        }
    }

    struct Output: Codable {
        var clickModel: String
        var users: Int
        var results: [SlateSimulator.Result]
        var difference: SimulationEstimate?
        var pValue: Double?
    }

    func run() throws {
        try reportingUserErrors {
            let (opened, folder) = try source.open()
            let truth = try? SyntheticTruth.load(from: URL(fileURLWithPath: folder))
            let dataset: Dataset
            let chosen: any ClickModel
            let population: [Int32]
            if clickModel == "fitted" || (clickModel == "auto" && truth == nil) {
                let split = HeldOutSplit(opened, fraction: heldOut, seed: seed)
                let fitted = try FittedClickModel(split: split, seed: seed)
                dataset = split.training
                chosen = fitted
                let active = Set(dataset.domains.flatMap(\.interactions.users))
                population = (0..<Int32(dataset.users.count)).filter(active.contains)
            } else {
                guard let truth else {
                    throw RuntimeError(
                        "\(folder) has no planted truth (truth.json): --click-model planted needs generated data (crossrec data generate, or --synthetic); use --click-model fitted")
                }
                let planted = try PlantedClickModel(dataset: opened, truth: truth)
                dataset = opened
                chosen = planted
                population = (0..<Int32(dataset.users.count)).filter(planted.knows)
            }
            let clickModel = chosen
            let simulator = try SlateSimulator(dataset: dataset, clickModel: clickModel, population: population)
            let status = CommandProgress(label: "simulate")
            func policy(model: String, parameters: [String], domain: String?, slate: String) throws -> (String, [[SlateItem]]) {
                let names = dataset.domains.map(\.name)
                let targetName = domain ?? (names.contains("movies") ? "movies" : names[0])
                guard let target = names.firstIndex(of: targetName) else {
                    throw RuntimeError("no domain '\(targetName)'; the data set has \(names.joined(separator: ", "))")
                }
                let mode: SlatePolicy.Mode
                if slate == "mixed" {
                    mode = .mixed(minimumPerDomain: minPerDomain)
                } else if let index = names.firstIndex(of: slate) {
                    mode = .domain(index)
                } else {
                    throw RuntimeError("--slate '\(slate)': use mixed or a domain (\(names.joined(separator: ", ")))")
                }
                let parsed = try ParameterParsing.parse(parameters, model: model, catalog: TrialRunner.catalog)
                var recommender = try ModelRegistry.make(model, parameters: parsed, seed: seed)
                status.start("training \(model) on \(targetName)")
                try PolicyTraining.fit(&recommender, dataset: dataset, target: target, textEmbedder: encoder.embedder())
                status.start("slates of \(model) for \(population.count) users")
                let slates = try SlatePolicy.slates(model: recommender, dataset: dataset, target: target, users: population, size: size, mode: mode)
                status.finish()
                let label = (parameters.isEmpty ? model : "\(model)(\(parameters.joined(separator: ", ")))") + " on \(targetName), slate \(slate)"
                return (label, slates)
            }
            let a = try policy(model: model, parameters: parameters, domain: domain, slate: slate)
            var out = Output(clickModel: clickModel.description, users: population.count, results: [])
            if let compare {
                let b = try policy(
                    model: compare, parameters: compareParameters, domain: compareDomain ?? domain, slate: compareSlate ?? slate)
                let comparison = simulator.compare(a, b, sessions: sessions, seed: seed)
                out.results = [comparison.a, comparison.b]
                out.difference = comparison.difference
                out.pValue = comparison.test.pValue
            } else {
                out.results = [simulator.run(policy: a.0, slates: a.1, sessions: sessions, seed: seed)]
            }
            if format == .json {
                try OutputFile.emit(try JSONOutput.text(out), to: output)
                return
            }
            try OutputFile.emit(Self.table(out, sessions: sessions), to: output)
        }
    }

    static func table(_ out: Output, sessions: Int) -> String {
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        var lines = [
            "click model: \(out.clickModel)",
            "\(sessions) sessions over \(out.users) users, the same sessions for every policy",
            "",
            "| policy | CTR | 95% interval | exact CTR | clicks/session | coverage | diversity | domains |",
            "| :--- | ---: | :---: | ---: | ---: | ---: | ---: | :--- |",
        ]
        for result in out.results {
            let shares = result.domainShare.keys.sorted().map { "\($0) \(Int((result.domainShare[$0]! * 100).rounded()))%" }
            lines.append(
                "| \(result.policy) | \(f(result.ctr.mean)) | \(f(result.ctr.lower))–\(f(result.ctr.upper)) | "
                    + "\(result.exactCTR.map(f) ?? "–") | \(String(format: "%.3f", result.clicksPerSession.mean)) | "
                    + "\(f(result.catalogueCoverage)) | \(f(result.intraSlateDiversity)) | \(shares.joined(separator: ", ")) |")
        }
        if let difference = out.difference, let p = out.pValue {
            lines.append("")
            lines.append(
                "A − B: CTR \(f(difference.mean)) (95% interval \(f(difference.lower))–\(f(difference.upper))), paired t-test p \(p < 1e-16 ? "< 1e-16" : "= " + String(format: "%.3g", p))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
