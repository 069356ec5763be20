import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import RecModels
import Sweep
import SweepRuntime

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend a mixed slate (movies and news together) for one user.",
        discussion: """
            Trains the model on every row of the data set (no split: this is for use, not for \
            evaluation) and ranks the items the user has not consumed. The unified and twotower models score \
            every domain with the user's one vector, and the slate mixes the domains by \
            standardized score (z-scores per domain), with at least --min-per-domain items of each. \
            Any other model recommends from the evaluated domain only.

            Examples:
              crossrec recommend --synthetic --user 1
              crossrec recommend --synthetic --user 1 --size 12 --min-per-domain 4 --format json
              crossrec recommend out/synthetic --user 7 --param factors=64 --param other_weight=0.3
            """
    )

    @OptionGroup var source: SourceOptions
    @Option(help: "The user's id as the data set writes it (a MovieLens userId or a MIND user id).") var user: String
    @Option(help: "Model: \(ModelRegistry.names.joined(separator: ", ")); unified and twotower mix domains.") var model: String = UnifiedModel.name
    @Option(name: .customLong("param"), help: "Hyperparameter name=value (repeatable).") var parameters: [String] = []
    @Option(help: "The model's own domain (default: movies when present, else the first).") var domain: String?
    @Option(help: "Items in the slate.") var size: Int = 10
    @Option(help: "At least this many items of each domain (when it has them).") var minPerDomain: Int = 3
    @Option(help: "Model seed.") var seed: UInt64 = 1
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @Flag(help: .hidden) var json = false
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

    func validate() throws {
        try format.check([.table, .json], command: "recommend")
        guard size >= 1 else { throw ValidationError("--size must be at least 1, got \(size)") }
        guard minPerDomain >= 0 else { throw ValidationError("--min-per-domain must not be negative") }
    }

    struct Item: Codable {
        var rank: Int
        var domain: String
        var item: String
        var title: String
        var categories: [String]
        var score: Float
    }

    struct Output: Codable {
        var user: String
        var model: String
        /// Per domain: the user's rows and their three most frequent categories.
        var history: [String: [String]]
        var slate: [Item]
    }

    func run() throws {
        try reportingUserErrors {
            let (dataset, _) = try source.open()
            let names = dataset.domains.map(\.name)
            let targetName = domain ?? (names.contains("movies") ? "movies" : names[0])
            guard let target = dataset.domain(targetName) else {
                throw RuntimeError("no domain '\(targetName)'; the data set has \(names.joined(separator: ", "))")
            }
            guard let userIndex = dataset.users.index(of: user) else {
                let examples = dataset.users.ids.prefix(5).joined(separator: ", ")
                throw RuntimeError("no user '\(user)' in the data set (\(dataset.users.count) users, e.g. \(examples))")
            }
            let parsed = try ParameterParsing.parse(parameters, model: model, catalog: TrialRunner.catalog)
            var recommender = try ModelRegistry.make(model, parameters: parsed, seed: seed)
            var training = TrainingData(
                interactions: target.interactions, userCount: dataset.users.count, itemCount: target.items.count,
                isExplicit: target.isExplicit, catalog: target.catalog)
            training.otherDomains = TrainingData.OtherDomain.others(in: dataset, evaluating: targetName)
            training.textEmbedder = encoder.embedder()
            let status = CommandProgress(label: "recommend")
            status.start("training \(model) on \(targetName)")
            try recommender.fit(training) { epoch in
                status.update(TrialProgress(epoch: epoch.epoch, totalEpochs: epoch.totalEpochs, values: epoch.values))
                return .proceed
            }
            status.finish()

            var domains = [target]
            var scores: [[Float]] = [[Float](repeating: 0, count: target.items.count)]
            scores[0].withUnsafeMutableBufferPointer { recommender.scoreAll(user: userIndex, into: $0) }
            if let crossDomain = recommender.crossDomain {
                for other in dataset.domains where other.name != targetName {
                    var otherScores = [Float](repeating: 0, count: other.items.count)
                    let scored = otherScores.withUnsafeMutableBufferPointer {
                        crossDomain.scoreOtherDomain(other.name, user: userIndex, into: $0)
                    }
                    if scored {
                        domains.append(other)
                        scores.append(otherScores)
                    }
                }
            }
            let excluded = domains.map { domain in
                var consumed = [Bool](repeating: false, count: domain.items.count)
                for k in 0..<domain.interactions.count where domain.interactions.users[k] == userIndex {
                    consumed[Int(domain.interactions.items[k])] = true
                }
                return consumed
            }
            let slate = MixedSlate.build(scores: scores, excluded: excluded, size: size, minimumPerDomain: minPerDomain)
            let items = slate.enumerated().map { rank, entry in
                let domain = domains[entry.domain]
                let record = Int(entry.item) < domain.catalog.records.count ? domain.catalog.records[Int(entry.item)] : nil
                return Item(
                    rank: rank + 1, domain: domain.name, item: domain.items[entry.item], title: record?.title ?? "",
                    categories: domain.catalog.categoryNames(of: entry.item),
                    score: entry.score)
            }
            var history: [String: [String]] = [:]
            for domain in dataset.domains {
                var counts: [String: Int] = [:]
                var rows = 0
                for k in 0..<domain.interactions.count where domain.interactions.users[k] == userIndex {
                    rows += 1
                    let item = Int(domain.interactions.items[k])
                    for name in domain.catalog.categoryNames(of: Int32(item)) { counts[name, default: 0] += 1 }
                }
                let top = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(3)
                history[domain.name] = ["\(rows) rows"] + top.map { "\($0.key) \($0.value)" }
            }
            let label = TrialConfig(model: model, parameters: parsed, seed: seed).label
            if json || format == .json {
                try OutputFile.emit(try JSONOutput.text(Output(user: user, model: label, history: history, slate: items)), to: output)
                return
            }
            var lines = ["user \(user), \(label) seed \(seed)"]
            for name in names { lines.append("  history \(name): \(history[name]!.joined(separator: ", "))") }
            if domains.count == 1 && names.count > 1 {
                lines.append("  (\(model) learns one domain: the slate is \(targetName) only; unified and twotower mix domains)")
            }
            lines += ["", "| rank | domain | item | title | categories | z |", "| ---: | --- | --- | --- | --- | ---: |"]
            for item in items {
                lines.append(
                    "| \(item.rank) | \(item.domain) | \(item.item) | \(item.title) | \(item.categories.joined(separator: ", ")) | \(String(format: "%.2f", item.score)) |"
                )
            }
            try OutputFile.emit(lines.joined(separator: "\n"), to: output)
        }
    }
}
