import ArgumentParser
import Foundation
import RecData
import RecModels
import RecText
import SweepRuntime

struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Topics of the item texts (LDA): top words, shares per domain and category, held-out perplexity.",
        discussion: """
            Fits latent Dirichlet allocation by online variational Bayes (scikit-learn's schedule and \
            defaults: α = η = 1/K, τ0 = 10, κ = 0.7, batches of 128) on one document per item: \
            title, abstract and tags, and with --with-categories the category and subcategory \
            names too (MovieLens movies have only their titles without them). A random --holdout \
            fraction of the items is kept out of the fit and scored by perplexity, lower is \
            better: scikit-learn's definition, whose topics' term weighs heavily on a small \
            held-out set, and the documents' own per-word bound. Topic shares are mean topic \
            proportions over the items of a domain or category.

            Examples:
              crossrec topics --synthetic --k 14
              crossrec topics mind-sample --k 20 --passes 20
              crossrec topics ml-100k --k 10 --with-categories
              crossrec topics out/synthetic --domain news --format json
            """
    )

    @OptionGroup var source: SourceOptions
    @Option(name: .customLong("k"), help: "Number of topics.") var topics: Int = 20
    @Option(help: "Passes over the training items.") var passes: Int = 10
    @Option(help: "Seed of the initialization and of the held-out draw.") var seed: UInt64 = 1
    @Option(help: "Only this domain's items (default: every domain).") var domain: String?
    @Option(help: "Items per mini-batch.") var batchSize: Int = 128
    @Option(help: "Fraction of the items held out for perplexity, in [0, 1).") var holdout: Double = 0.1
    @Option(help: "Terms must occur in at least this many items.") var minDf: Int = 2
    @Option(help: "Terms in more than this fraction of the items are dropped.") var maxDf: Double = 0.5
    @Option(help: "Words listed per topic.") var topWords: Int = 10
    @Flag(help: "Add the category and subcategory names to the item text.") var withCategories = false
    @Option(help: "Output format: table or json.") var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @Flag(help: .hidden) var json = false

    func validate() throws {
        try format.check([.table, .json], command: "topics")
        guard topics >= 1 else { throw ValidationError("--k must be at least 1, got \(topics)") }
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1, got \(passes)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard (0..<1).contains(holdout) else { throw ValidationError("--holdout must be in [0, 1), got \(holdout)") }
        guard minDf >= 1 else { throw ValidationError("--min-df must be at least 1, got \(minDf)") }
        guard maxDf > 0 && maxDf <= 1 else { throw ValidationError("--max-df must be in (0, 1], got \(maxDf)") }
        guard topWords >= 1 else { throw ValidationError("--top-words must be at least 1, got \(topWords)") }
    }

    func run() throws {
        try reportingUserErrors {
            let (dataset, folder) = try source.open()
            var domains = dataset.domains
            if let domain {
                guard let chosen = dataset.domain(domain) else {
                    throw RuntimeError(
                        "\(folder) has no domain '\(domain)'; it has \(dataset.domains.map(\.name).joined(separator: ", "))"
                    )
                }
                domains = [chosen]
            }
            let options = ItemTopics.Options(
                trainer: LDATrainer(topicCount: topics, passes: passes, batchSize: batchSize, seed: seed),
                heldOutFraction: holdout, minimumDocumentFrequency: minDf, maximumDocumentFraction: maxDf,
                includesCategories: withCategories, topWordCount: topWords)
            let start = ContinuousClock.now
            let status = CommandProgress(label: "topics")
            status.start("\(topics) topics over the item texts, \(passes) passes")
            let result = try ItemTopics(domains: domains, options: options) { pass in
                status.note("pass \(pass)/\(passes)", final: pass == passes)
            }
            status.finish()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if json || format == .json {
                try OutputFile.emit(try JSONOutput.text(result), to: output)
                return
            }
            try OutputFile.emit(Self.render(result, seconds: seconds), to: output)
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }

    static func render(_ result: ItemTopics, seconds: Double) -> String {
        var lines: [String] = []
        let perDomain = result.domains.map { "\($0.name) \($0.items)" }.joined(separator: ", ")
        lines.append(
            "\(result.topics.count) topics over \(result.trainingDocuments + result.heldOutDocuments) item texts (\(perDomain)), \(result.vocabularySize) terms, \(result.tokens) tokens; \(result.passes) passes, seed \(result.seed), \(String(format: "%.2f", seconds)) s"
        )
        if let heldOut = result.heldOutPerplexity, let documentsOnly = result.heldOutDocumentPerplexity {
            lines.append(
                String(
                    format:
                        "held-out perplexity %.1f on %d items (scikit-learn's definition; training %.1f); without the topics' term %.1f",
                    heldOut, result.heldOutDocuments, result.trainingPerplexity, documentsOnly))
        } else {
            lines.append(String(format: "no item held out; training perplexity %.1f", result.trainingPerplexity))
        }
        if result.itemsWithoutText > 0 {
            lines.append("\(result.itemsWithoutText) items without a catalog row or a vocabulary term are left out")
        }
        lines.append("")
        lines.append("| topic | share | " + result.domains.map(\.name).joined(separator: " | ") + " | top words |")
        lines.append("| ---: | ---: | " + result.domains.map { _ in "---:" }.joined(separator: " | ") + " | --- |")
        for topic in result.topics {
            let shares = result.domains.map { percent($0.shares[topic.index]) }.joined(separator: " | ")
            lines.append(
                "| \(topic.index + 1) | \(percent(topic.share)) | \(shares) | \(topic.words.joined(separator: ", ")) |")
        }
        for domain in result.domains {
            let categories = result.categories.filter { $0.domain == domain.name }
            guard !categories.isEmpty else { continue }
            lines.append("")
            lines.append("topics per category (\(domain.name)):")
            lines.append("| category | items | top topics |")
            lines.append("| --- | ---: | --- |")
            for category in categories {
                let top = category.topTopics(3).map { "\($0 + 1) (\(percent(category.shares[$0])))" }
                lines.append("| \(category.name) | \(category.items) | \(top.joined(separator: ", ")) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
