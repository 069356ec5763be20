import ArgumentParser
import Foundation
import RecData
import RecEncoder
import SweepRuntime

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write the sentence encoder's item vectors of a data set as a numpy .npy matrix, with an ids file.",
        discussion: """
            Each row is the unit-length vector of one item's text (movies: title, year, genres, tags; news: title, \
            category, subcategory, abstract), the same vectors content models use for features 'minilm'. An item \
            without text gets a row of zeros. Vectors are looked up in the embedding cache first (<cache>/embeddings, \
            shared by every process on the machine) and only missing ones are encoded.

            Beside FILE.npy, FILE.ids.tsv names each row: a header 'row<TAB>domain<TAB>item', then one line per row.

            Examples:
              crossrec models fetch all-MiniLM-L6-v2
              crossrec embed ml-100k --output out/movies.npy
              crossrec embed --synthetic --domain news --output out/news.npy --model-dir ../shared/models/all-MiniLM-L6-v2
              python3 -c "import numpy; print(numpy.load('out/movies.npy').shape)"
            """
    )

    @OptionGroup var source: SourceOptions
    @Option(help: "Only this domain's items (default: every domain with item text, in the data set's order).")
    var domain: String?
    @Option(help: "The .npy file to write (its folder is created).") var output: String
    @OptionGroup(title: "Sentence encoder") var encoder: TextEncoderOptions

    func validate() throws {
        guard output.hasSuffix(".npy") else { throw ValidationError("--output must end in .npy, got '\(output)'") }
    }

    /// Texts per embedder call: small enough for a progress line every few seconds.
    static let chunk = 512

    func run() throws {
        try reportingUserErrors {
            let (dataset, _) = try source.open()
            let domains: [Domain]
            if let domain {
                guard let chosen = dataset.domain(domain) else {
                    throw RuntimeError(
                        "no domain '\(domain)'; the data set has \(dataset.domains.map(\.name).joined(separator: ", "))")
                }
                domains = [chosen]
            } else {
                domains = dataset.domains.filter { $0.catalog.records.contains { $0 != nil } }
            }
            var ids: [(domain: String, item: String)] = []
            var texts: [String] = []
            for domain in domains {
                let catalog = domain.catalog
                guard catalog.records.contains(where: { $0 != nil }) else {
                    throw RuntimeError(
                        "domain '\(domain.name)' has no item text (no u.item, movies.csv or news.tsv rows); "
                            + "nothing to embed")
                }
                for item in 0..<domain.items.count {
                    ids.append((domain.name, domain.items.ids[item]))
                    texts.append(catalog.text(of: Int32(item)))
                }
            }
            guard !texts.isEmpty else {
                throw RuntimeError("the data set has no domain with item text; nothing to embed")
            }
            let embedder = encoder.embedder()
            let (dimension, _) = try embedder.load()
            let started = ContinuousClock.now
            let progress = RateProgress(total: texts.count, unit: "items")
            var rows: [Float] = []
            rows.reserveCapacity(texts.count * dimension)
            var start = 0
            while start < texts.count {
                let end = min(texts.count, start + Self.chunk)
                rows += try embedder.embed(Array(texts[start..<end]))
                start = end
                progress.update(done: end)
            }
            progress.finish()
            let url = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try NPYFile.write(rows, rows: texts.count, columns: dimension, to: url)
            let idsPath = String(output.dropLast(".npy".count)) + ".ids.tsv"
            var lines = "row\tdomain\titem\n"
            for (row, id) in ids.enumerated() { lines += "\(row)\t\(id.domain)\t\(id.item)\n" }
            try Data(lines.utf8).write(to: URL(fileURLWithPath: idsPath), options: .atomic)
            let seconds = (ContinuousClock.now - started).seconds
            let withText = texts.filter { !$0.allSatisfy(\.isWhitespace) }
            let distinct = Set(withText).count
            var parts = ["\(embedder.encodedTexts) encoded", "\(distinct - embedder.encodedTexts) from the cache"]
            if withText.count > distinct { parts.append("\(withText.count - distinct) repeat another item's text") }
            if withText.count < texts.count { parts.append("\(texts.count - withText.count) without text as zero rows") }
            print(
                "\(output): \(texts.count) × \(dimension) float32 (\(domains.map(\.name).joined(separator: ", ")): "
                    + parts.joined(separator: ", ") + ") in \(String(format: "%.1f", seconds)) s")
            print("\(idsPath): the item id of each row")
        }
    }
}

/// A progress line for work counted in items: done/total, rate and time left. On a terminal it is
/// rewritten in place; otherwise a line is printed at each tenth.
final class RateProgress: @unchecked Sendable {
    private let total: Int
    private let unit: String
    private let started = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastTenth = 0

    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
    }

    func update(done: Int) {
        let seconds = (ContinuousClock.now - started).seconds
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let line = "  \(done)/\(total) \(unit)  \(String(format: "%.0f", rate)) \(unit)/s  ETA \(Self.duration(left))"
        if isTerminal {
            FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
        } else if total > 0, done * 10 / total > lastTenth || done == total {
            lastTenth = done * 10 / total
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
