import Foundation

/// What `crossrec data inspect` prints: counts, density, rating histogram, per-domain figures
/// and the loader's report. Computed in one pass over each domain.
public struct DatasetStatistics: Sendable, Codable, Equatable {
    public struct DomainFigures: Sendable, Codable, Equatable {
        public var name: String
        public var items: Int
        public var itemsWithInteractions: Int
        public var itemsWithCatalogRow: Int
        public var activeUsers: Int
        public var interactions: Int
        /// interactions / (active users × items with interactions).
        public var density: Double
        public var explicit: Bool
        /// Value → count, for explicit data (ratings); values printed as given.
        public var valueHistogram: [String: Int]
        public var meanValue: Double?
        public var categories: Int
        public var firstTimestamp: Int64?
        public var lastTimestamp: Int64?
    }

    public var name: String
    public var layout: String
    public var users: Int
    public var interactions: Int
    public var domains: [DomainFigures]
    /// Users with interactions in every domain (for two or more domains).
    public var usersInAllDomains: Int?
    public var rowsRead: [String: Int]
    public var duplicatesRemoved: [String: Int]
    public var skipped: [String: [String: Int]]
    public var notes: [String]
    /// Odd but valid input the loaders found, each naming file, line and field.
    public var warnings: [String]
    /// Extra figures a loader adds (MIND coverage, impressions), printed as `key: value`.
    public var extra: [String: String]

    public init(_ dataset: Dataset, extra: [String: String] = [:]) {
        name = dataset.name
        layout = dataset.layout
        users = dataset.users.count
        interactions = dataset.interactionCount
        var presence = [Int](repeating: 0, count: dataset.users.count)
        domains = dataset.domains.map { domain in
            let rows = domain.interactions
            var seenUser = [Bool](repeating: false, count: dataset.users.count)
            var seenItem = [Bool](repeating: false, count: domain.items.count)
            var activeUsers = 0, activeItems = 0
            var histogram: [Float: Int] = [:]
            var sum = 0.0
            for k in 0..<rows.count {
                let user = Int(rows.users[k]), item = Int(rows.items[k])
                if !seenUser[user] {
                    seenUser[user] = true
                    activeUsers += 1
                    presence[user] += 1
                }
                if !seenItem[item] {
                    seenItem[item] = true
                    activeItems += 1
                }
                if domain.isExplicit {
                    histogram[rows.values[k], default: 0] += 1
                    sum += Double(rows.values[k])
                }
            }
            let cells = Double(activeUsers) * Double(activeItems)
            let stamped = rows.timestamps.filter { $0 != 0 }
            return DomainFigures(
                name: domain.name, items: domain.items.count, itemsWithInteractions: activeItems,
                itemsWithCatalogRow: domain.catalog.describedCount, activeUsers: activeUsers, interactions: rows.count,
                density: cells > 0 ? Double(rows.count) / cells : 0, explicit: domain.isExplicit,
                valueHistogram: Dictionary(uniqueKeysWithValues: histogram.map { (Self.format($0.key), $0.value) }),
                meanValue: domain.isExplicit && rows.count > 0 ? sum / Double(rows.count) : nil,
                categories: domain.catalog.categories.count, firstTimestamp: stamped.min(), lastTimestamp: stamped.max())
        }
        usersInAllDomains = dataset.domains.count > 1 ? presence.filter { $0 == dataset.domains.count }.count : nil
        rowsRead = dataset.report.rowsRead
        duplicatesRemoved = dataset.report.duplicatesRemoved
        skipped = dataset.report.skipped
        notes = dataset.report.notes
        warnings = dataset.report.warnings
        self.extra = extra
    }

    /// `4`, `3.5`, `1e+30`: whole numbers without a decimal point while they fit an integer
    /// exactly (a 32-bit float holds every integer up to 2^24), anything else as Swift prints it.
    public static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) <= 16_777_216 ? String(Int(value)) : String(value)
    }

    /// A plain-text report for a terminal or a log.
    public func render() -> String {
        var lines: [String] = []
        lines.append("\(name): \(layout)")
        lines.append("  users \(users), interactions \(interactions)")
        if let both = usersInAllDomains { lines.append("  users in all \(domains.count) domains: \(both)") }
        for domain in domains {
            lines.append("  domain '\(domain.name)' (\(domain.explicit ? "explicit ratings" : "implicit events")):")
            lines.append("    items \(domain.items) (\(domain.itemsWithInteractions) with interactions, \(domain.itemsWithCatalogRow) with a catalog row), categories \(domain.categories)")
            lines.append("    active users \(domain.activeUsers), interactions \(domain.interactions), density \(String(format: "%.4f", domain.density))")
            if let mean = domain.meanValue {
                let ordered = domain.valueHistogram.sorted { (Double($0.key) ?? 0) < (Double($1.key) ?? 0) }
                let total = max(1, domain.interactions)
                lines.append("    mean value \(String(format: abs(mean) < 1e6 ? "%.3f" : "%.4g", mean)); histogram:")
                for (value, count) in ordered {
                    let bar = String(repeating: "#", count: Int((Double(count) / Double(total) * 50).rounded()))
                    lines.append("      \(value.padding(toLength: 4, withPad: " ", startingAt: 0)) \(String(count).padding(toLength: 9, withPad: " ", startingAt: 0)) \(bar)")
                }
            }
            if let first = domain.firstTimestamp, let last = domain.lastTimestamp {
                let formatter = ISO8601DateFormatter()
                lines.append("    time \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(first)))) … \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(last))))")
            }
        }
        for key in extra.keys.sorted() { lines.append("  \(key): \(extra[key]!)") }
        if !rowsRead.isEmpty {
            lines.append("  rows read: " + rowsRead.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for (file, count) in duplicatesRemoved.sorted(by: { $0.key < $1.key }) {
            lines.append("  duplicates removed: \(file) \(count)")
        }
        for (file, reasons) in skipped.sorted(by: { $0.key < $1.key }) {
            for (reason, count) in reasons.sorted(by: { $0.key < $1.key }) { lines.append("  skipped: \(file): \(count) \(reason)") }
        }
        for note in notes { lines.append("  note: \(note)") }
        for warning in warnings { lines.append("  warning: \(warning)") }
        return lines.joined(separator: "\n")
    }
}
