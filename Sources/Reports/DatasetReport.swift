public import RecData
import HTMLRender
import RecText

/// The figures of the exploratory data report, per domain, and their HTML page (`crossrec data
/// report`): the rating or click histogram, rows per user and per item in log2 bins (the long
/// tails), rows per category, item text lengths and the most frequent words, then the users
/// shared across domains.
///
/// - Complexity: O(rows + items × text length) time, O(users + items + vocabulary) memory.
public struct DatasetReport: Sendable {
    public struct DomainFigures: Sendable {
        public var name: String
        public var rows: Int
        public var users: Int
        public var items: Int
        /// Label → rows, in display order.
        public var values: [(String, Int)]
        public var rowsPerUser: [(String, Int)]
        public var rowsPerItem: [(String, Int)]
        public var categories: [(String, Int)]
        public var textWords: [(String, Int)]
        public var words: [(String, Int)]
    }

    public var name: String
    public var users: Int
    public var usersInAllDomains: Int
    public var domains: [DomainFigures]

    public init(_ dataset: Dataset) {
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

    /// A heading and horizontal bars (``HTMLRender/BarChart``), one per label, with the count at the end.
    static func bars(_ data: [(String, Int)], title: String) -> String {
        guard let largest = data.map(\.1).max(), largest > 0 else { return "<p>\(XMLText.escaped(title)): no data</p>" }
        var chart = BarChart(bars: data.map { BarChart.Bar(label: $0.0, value: Double($0.1), valueText: String($0.1)) })
        chart.labelWidth = 150
        chart.barWidth = 360
        chart.width = 600
        chart.rowHeight = 18
        chart.minimumLength = 1
        return "<h3>\(XMLText.escaped(title))</h3>\n" + chart.svg()
    }

    /// A heading and the words as a cloud (``HTMLRender/WordCloud``).
    static func cloud(_ words: [(String, Int)], title: String) -> String {
        guard let svg = WordCloud(words: words).svg() else { return "<p>\(XMLText.escaped(title)): no text</p>" }
        return "<h3>\(XMLText.escaped(title))</h3>\n" + svg
    }

    /// The self-contained page (``HTMLRender/HTMLPage``).
    public func html() -> String {
        let escape = XMLText.escaped
        var sections: [String] = []
        for domain in domains {
            sections.append("<h2>\(escape(domain.name))</h2>")
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
        let body = """
            <h1>\(escape(name))</h1>
            <p>\(users) users, \(domains.count) domain(s): \(domains.map { escape($0.name) }.joined(separator: ", ")).</p>
            \(shared)
            \(sections.joined(separator: "\n"))
            """
        return HTMLPage(title: "\(name): data report", extraStyle: "body { max-width: 60em; }\nh3 { margin-bottom: 0.2em; }", body: body)
            .render()
    }
}
