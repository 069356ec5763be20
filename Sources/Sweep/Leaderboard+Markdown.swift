extension Leaderboard {
    /// The overall table and the best configuration per model, as GitHub-flavoured Markdown.
    ///
    /// Metric cells are `mean ± sd` with 4 decimals (`mean` alone for one seed, `–` when no trial
    /// reported the metric); the primary column is marked ↓ (minimize) or ↑ (maximize).
    public func markdown() -> String {
        var text = "**Ranked by \(metric.primary) (\(metric.direction.rawValue))** · \(rows.count) configurations · "
        text += "\(trialCount) trials · \(failedCount) failed\n\n"
        text += markdownTable(rows)
        text += "\n**Best per model**\n\n"
        text += markdownTable(bestPerModel)
        return text
    }

    /// One table of `rows` (any subset of this board's rows, in the order given).
    public func markdownTable(_ rows: [LeaderboardRow]) -> String {
        let arrow = metric.direction == .minimize ? "↓" : "↑"
        let metricHeaders = columns.map { $0 == metric.primary ? "\($0) \(arrow)" : $0 }
        let header = ["rank", "model", "parameters"] + metricHeaders + ["seeds", "failed"]
        let alignment = [":---:", ":---", ":---"] + columns.map { _ in "---:" } + ["---:", "---:"]
        var lines = [header, alignment].map { "| " + $0.map(TextFormat.markdownCell).joined(separator: " | ") + " |" }
        for row in rows {
            let parameters = row.configuration.parametersText
            let cells =
                [row.rank.map(String.init) ?? "–", row.model, parameters.isEmpty ? "–" : parameters]
                + columns.map { Self.meanAndDeviation(row.metrics[$0]) } + [
                    String(row.seeds.count), String(row.failed),
                ]
            lines.append("| " + cells.map(TextFormat.markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0.9000 ± 0.0100`, `0.9000` for one value, `–` for none.
    static func meanAndDeviation(_ summary: MetricSummary?) -> String {
        guard let summary else { return "–" }
        let mean = TextFormat.fixed(summary.mean)
        return summary.standardDeviation.map { "\(mean) ± \(TextFormat.fixed($0))" } ?? mean
    }
}
