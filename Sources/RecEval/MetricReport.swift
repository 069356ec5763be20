import Foundation

/// Named metric values and named counts from one evaluation, printable as an aligned table and
/// encodable as JSON.
///
/// Values keep the order they were added in. Non-finite values (NaN: nothing to average) are
/// written as JSON `null` and read back as NaN; the table shows them as `n/a`.
public struct MetricReport: Sendable, Equatable, Codable {
    public struct Metric: Sendable, Equatable, Codable {
        public var name: String
        public var value: Double

        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }

        private enum CodingKeys: String, CodingKey { case name, value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            value = try container.decodeIfPresent(Double.self, forKey: .value) ?? .nan
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            if value.isFinite {
                try container.encode(value, forKey: .value)
            } else {
                try container.encodeNil(forKey: .value)
            }
        }
    }

    public struct Count: Sendable, Equatable, Codable {
        public var name: String
        public var value: Int

        public init(_ name: String, _ value: Int) {
            self.name = name
            self.value = value
        }
    }

    /// What was evaluated (`top-K on ml-100k/random-0.2-seed1`).
    public var title: String
    public var metrics: [Metric]
    /// Users or impressions evaluated and skipped (with the reason in the name), rows dropped, …
    public var counts: [Count]
    /// Conventions worth printing beside the figures (tie rule, candidate policy).
    public var notes: [String]

    public init(title: String, metrics: [Metric] = [], counts: [Count] = [], notes: [String] = []) {
        self.title = title
        self.metrics = metrics
        self.counts = counts
        self.notes = notes
    }

    /// The value of the metric called `name` (the first, if repeated).
    public subscript(metric name: String) -> Double? { metrics.first { $0.name == name }?.value }
    /// The count called `name`.
    public subscript(count name: String) -> Int? { counts.first { $0.name == name }?.value }

    /// Metric name → value.
    public var values: [String: Double] {
        Dictionary(metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func add(_ name: String, _ value: Double) { metrics.append(Metric(name, value)) }
    public mutating func count(_ name: String, _ value: Int) { counts.append(Count(name, value)) }

    /// The report as a text table: the title, metric names left-aligned and values right-aligned
    /// with `decimals` decimals, then the counts, then the notes.
    public func render(decimals: Int = 4) -> String {
        let valueTexts = metrics.map { $0.value.isFinite ? String(format: "%.\(decimals)f", $0.value) : "n/a" }
        let countTexts = counts.map { String($0.value) }
        let nameWidth = (metrics.map(\.name.count) + counts.map(\.name.count) + ["metric".count]).max() ?? 0
        let valueWidth = (valueTexts.map(\.count) + countTexts.map(\.count) + ["value".count]).max() ?? 0
        func line(_ name: String, _ value: String) -> String {
            name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: valueWidth - value.count) + value
        }
        var lines = [title, line("metric", "value"), String(repeating: "-", count: nameWidth + 2 + valueWidth)]
        for (metric, text) in zip(metrics, valueTexts) { lines.append(line(metric.name, text)) }
        if !counts.isEmpty {
            lines.append(String(repeating: "-", count: nameWidth + 2 + valueWidth))
            for (count, text) in zip(counts, countTexts) { lines.append(line(count.name, text)) }
        }
        for note in notes { lines.append("note: " + note) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON with sorted keys (stable for diffs and golden files).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a report written by ``jsonText()``.
    public init(jsonText: String) throws {
        self = try JSONDecoder().decode(MetricReport.self, from: Data(jsonText.utf8))
    }
}
