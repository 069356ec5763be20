import ArgumentParser
import Foundation
import RecData
import RecText

extension DataCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an exploratory HTML report of a data set (charts as inline SVG, viewable offline).",
            discussion: """
                Per domain: the rating or click histogram, how many rows users and items have (log2 \
                bins: the long tails), the categories (genres, news categories), the length of item \
                texts and the most frequent words (a word cloud, English stop words removed). Then the \
                users shared across domains. For genre × topic correlations use `crossrec analyze`.

                Example:
                  crossrec data generate --output out/synthetic && crossrec data report out/synthetic
                """
        )

        @OptionGroup var dataset: DatasetOptions
        @Option(help: "The HTML file to write (default: out/<data set>-report.html).") var output: String?

        func run() throws {
            let opened = try runReportingDataErrors { () throws in try dataset.open() }
            let report = DatasetReport(opened.dataset)
            let file = output ?? "out/\(opened.dataset.name)-report.html"
            let folder = (file as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try report.html().write(toFile: file, atomically: true, encoding: .utf8)
            print("wrote \(file): \(report.domains.count) domain(s), \(opened.dataset.users.count) users")
        }
    }
}

/// The figures of the exploratory report, per domain, and their HTML page.
struct DatasetReport {
    struct DomainFigures {
        var name: String
        var rows: Int
        var users: Int
        var items: Int
        /// Label → rows, in display order.
        var values: [(String, Int)]
        var rowsPerUser: [(String, Int)]
        var rowsPerItem: [(String, Int)]
        var categories: [(String, Int)]
        var textWords: [(String, Int)]
        var words: [(String, Int)]
    }

    var name: String
    var users: Int
    var usersInAllDomains: Int
    var domains: [DomainFigures]

    init(_ dataset: Dataset) {
        name = dataset.name
        users = dataset.users.count
        var seen = [Int](repeating: 0, count: dataset.users.count)
        for domain in dataset.domains {
            var present = [Bool](repeating: false, count: dataset.users.count)
            for user in domain.interactions.users { present[Int(user)] = true }
            for u in present.indices where present[u] { seen[u] += 1 }
        }
        usersInAllDomains = seen.filter { $0 == dataset.domains.count }.count
        let analyzer = TextAnalyzer(stems: false)
        domains = dataset.domains.map { domain in
            let rows = domain.interactions
            var perUser = [Int](repeating: 0, count: dataset.users.count)
            var perItem = [Int](repeating: 0, count: domain.items.count)
            var values: [Float: Int] = [:]
            var categories = [Int](repeating: 0, count: domain.catalog.categories.count)
            for k in 0..<rows.count {
                perUser[Int(rows.users[k])] += 1
                perItem[Int(rows.items[k])] += 1
                values[rows.values[k], default: 0] += 1
                let item = Int(rows.items[k])
                if item < domain.catalog.records.count, let record = domain.catalog.records[item] {
                    for category in record.categories where Int(category) < categories.count { categories[Int(category)] += 1 }
                }
            }
            let texts = domain.catalog.records.compactMap { $0 }.map { [$0.title, $0.abstract ?? ""].joined(separator: " ") }
            let terms = analyzer.terms(of: texts)
            var wordCounts: [String: Int] = [:]
            // Words of three letters or more; numbers (the years in movie titles) are not words.
            for document in terms {
                for word in document where word.count > 2 && word.contains(where: \.isLetter) { wordCounts[word, default: 0] += 1 }
            }
            let lengths = texts.map { $0.split(whereSeparator: \.isWhitespace).count }
            return DomainFigures(
                name: domain.name, rows: rows.count, users: perUser.filter { $0 > 0 }.count,
                items: perItem.filter { $0 > 0 }.count,
                values: values.sorted { $0.key < $1.key }.map { (Self.format($0.key), $0.value) },
                rowsPerUser: Self.log2Bins(perUser.filter { $0 > 0 }), rowsPerItem: Self.log2Bins(perItem.filter { $0 > 0 }),
                categories: zip(domain.catalog.categories, categories).filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
                    .prefix(24).map { ($0.0, $0.1) },
                textWords: Self.bins(lengths, width: 5),
                words: wordCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(60)
                    .map { ($0.key, $0.value) })
        }
    }

    static func format(_ value: Float) -> String { DatasetStatistics.format(value) }

    /// Counts of values in [1], [2, 3], [4, 7], …: how long the tail is.
    static func log2Bins(_ counts: [Int]) -> [(String, Int)] {
        guard let largest = counts.max(), largest > 0 else { return [] }
        var bins: [(String, Int)] = []
        var low = 1
        while low <= largest {
            let high = low * 2 - 1
            bins.append((low == high ? "\(low)" : "\(low)–\(high)", counts.filter { $0 >= low && $0 <= high }.count))
            low *= 2
        }
        return bins
    }

    /// Counts in [0, w), [w, 2w), …
    static func bins(_ values: [Int], width: Int) -> [(String, Int)] {
        guard let largest = values.max() else { return [] }
        return stride(from: 0, through: largest, by: width).map { low in
            ("\(low)–\(low + width - 1)", values.filter { $0 >= low && $0 < low + width }.count)
        }
    }

    static func escape(_ text: String) -> String { XMLText.escaped(text) }

    /// Horizontal bars, one per label, with the count at the end.
    static func bars(_ data: [(String, Int)], title: String) -> String {
        guard let largest = data.map(\.1).max(), largest > 0 else { return "<p>\(escape(title)): no data</p>" }
        let left = 150, width = 360, row = 18
        var svg = [
            "<h3>\(escape(title))</h3>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(left + width + 80)\" height=\"\(data.count * row + 4)\" font-family=\"sans-serif\" font-size=\"11\">",
        ]
        for (index, (label, count)) in data.enumerated() {
            let y = index * row
            let length = count == 0 ? 0 : max(1, Int((Double(count) / Double(largest) * Double(width)).rounded()))
            svg.append("<text x=\"\(left - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(escape(label))</text>")
            svg.append("<rect x=\"\(left)\" y=\"\(y + 2)\" width=\"\(length)\" height=\"\(row - 4)\" fill=\"#4a7ab5\"/>")
            svg.append("<text x=\"\(left + length + 4)\" y=\"\(y + 13)\">\(count)</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// Words flowed left to right, font size growing with the square root of the count.
    static func cloud(_ words: [(String, Int)], title: String) -> String {
        guard let largest = words.map(\.1).max(), largest > 0 else { return "<p>\(escape(title)): no text</p>" }
        let width = 600
        var x = 0, y = 0, lineHeight = 0
        var parts: [String] = []
        for (index, (word, count)) in words.enumerated() {
            let size = 11 + Int((25 * (Double(count) / Double(largest)).squareRoot()).rounded())
            let wordWidth = Int(Double(word.count * size) * 0.68) + 12
            if x + wordWidth > width {
                x = 0
                y += lineHeight
                lineHeight = 0
            }
            lineHeight = max(lineHeight, size + 6)
            let shade = ["#1f4e79", "#2e75b6", "#548235", "#bf9000", "#843c0c"][index % 5]
            parts.append(
                "<text x=\"\(x)\" y=\"\(y + size)\" font-size=\"\(size)\" fill=\"\(shade)\"><title>\(escape(word)): \(count)</title>\(escape(word))</text>"
            )
            x += wordWidth
        }
        return "<h3>\(escape(title))</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(y + lineHeight + 4)\" font-family=\"sans-serif\">\n"
            + parts.joined(separator: "\n") + "\n</svg>"
    }

    func html() -> String {
        var sections: [String] = []
        for domain in domains {
            sections.append("<h2>\(Self.escape(domain.name))</h2>")
            sections.append(
                "<p>\(domain.rows) rows from \(domain.users) users on \(domain.items) items.</p>")
            sections.append(Self.bars(domain.values, title: "Rows per value (rating, or 1 for a click)"))
            sections.append(Self.bars(domain.rowsPerUser, title: "Users by number of rows"))
            sections.append(Self.bars(domain.rowsPerItem, title: "Items by number of rows"))
            sections.append(Self.bars(domain.categories, title: "Rows per category"))
            sections.append(Self.bars(domain.textWords, title: "Items by words of text (title and abstract)"))
            sections.append(Self.cloud(domain.words, title: "Most frequent words in item texts (stop words and numbers removed)"))
        }
        let shared =
            domains.count > 1
            ? "<p>\(usersInAllDomains) of \(users) users have rows in every domain; `crossrec analyze` correlates their categories across domains.</p>"
            : ""
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>\(Self.escape(name)): data report</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:60em}h3{margin-bottom:0.2em}</style>
            </head><body>
            <h1>\(Self.escape(name))</h1>
            <p>\(users) users, \(domains.count) domain(s): \(domains.map { Self.escape($0.name) }.joined(separator: ", ")).</p>
            \(shared)
            \(sections.joined(separator: "\n"))
            </body></html>
            """
    }
}
