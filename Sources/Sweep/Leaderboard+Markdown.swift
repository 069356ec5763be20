public import ParameterSpecs
import RecData

extension Leaderboard {
    /// The overall table and the best configuration per model, as GitHub-flavoured Markdown.
    ///
    /// Metric cells are `mean ± sd` with 4 decimals (`mean` alone for one seed, `–` when no trial
    /// reported the metric); the primary column is marked ↓ (minimize) or ↑ (maximize). In the
    /// overall table a model's rows show only the parameters that tell them apart; the values they
    /// share are listed once under it (``sharedParameters``). The best-per-model table shows every
    /// parameter, ready to copy.
    public func markdown() -> String {
        var text = "**Ranked by \(metric.primary) (\(metric.direction.rawValue))** · \(rows.count) configurations · "
        text += "\(trialCount) trials · \(failedCount) failed\n\n"
        let shared = sharedParameters
        text += markdownTable(rows, omitting: shared)
        if !shared.isEmpty {
            text += "\nSame in every row of its model: "
            text += shared.keys.sorted().map { model in
                let values = shared[model]!
                let list = values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ", ")
                return "\(TextFormat.markdownCell(model)) (\(TextFormat.markdownCell(list)))"
            }.joined(separator: "; ")
            text += "\n"
        }
        text += "\n**Best per model**\n\n"
        text += markdownTable(bestPerModel)
        return text
    }

    /// For each model with at least two configurations on the board, the parameters every one of
    /// them sets to the same value (models with one configuration have nothing to compare).
    public var sharedParameters: [String: [String: ParameterValue]] {
        var byModel: [String: [[String: ParameterValue]]] = [:]
        for row in rows { byModel[row.model, default: []].append(row.configuration.parameters) }
        var shared: [String: [String: ParameterValue]] = [:]
        for (model, sets) in byModel where sets.count >= 2 {
            var common = sets[0]
            for set in sets.dropFirst() { common = common.filter { set[$0.key] == $0.value } }
            if !common.isEmpty { shared[model] = common }
        }
        return shared
    }

    /// One table of `rows` (any subset of this board's rows, in the order given); `omitting`
    /// leaves out, per model, parameters shown elsewhere.
    public func markdownTable(_ rows: [LeaderboardRow], omitting: [String: [String: ParameterValue]] = [:]) -> String {
        let arrow = metric.direction == .minimize ? "↓" : "↑"
        let metricHeaders = columns.map { $0 == metric.primary ? "\($0) \(arrow)" : $0 }
        let header = ["rank", "model", "parameters"] + metricHeaders + ["seeds", "failed"]
        let alignment = [":---:", ":---", ":---"] + columns.map { _ in "---:" } + ["---:", "---:"]
        var lines = [header, alignment].map { "| " + $0.map(TextFormat.markdownCell).joined(separator: " | ") + " |" }
        for row in rows {
            var configuration = row.configuration
            if let omitted = omitting[row.model] { configuration.parameters = configuration.parameters.filter { omitted[$0.key] == nil } }
            let parameters = configuration.parametersText
            let cells =
                [row.rank.map(String.init) ?? "–", row.model, parameters.isEmpty ? "–" : parameters]
                + columns.map { Self.meanAndDeviation(row.metrics[$0], metric: $0) } + [
                    String(row.seeds.count), String(row.failed),
                ]
            lines.append("| " + cells.map(TextFormat.markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A metric value as every leaderboard prints it: four decimals, locale-free (`0.8123`).
    public static func valueText(_ value: Double) -> String { TextFormat.fixed(value) }

    /// `0.8123 ± 0.0040` (mean ± standard deviation over seeds), the mean alone for one seed, `–` for none.
    /// A count (`metric` such as `users_from_other_domains`, ``RecData/MetricNames``) whose mean and
    /// deviation are whole is written as integers: `1000`, not `1000.0000`.
    public static func meanAndDeviation(_ summary: MetricSummary?, metric: String? = nil) -> String {
        guard let summary else { return "–" }
        let whole = { (value: Double) in value.isFinite && value == value.rounded() && abs(value) < 1e15 }
        let asCount =
            metric.map(MetricNames.isCount) == true && whole(summary.mean) && (summary.standardDeviation.map(whole) ?? true)
        let text = { (value: Double) in asCount ? String(Int64(value)) : TextFormat.fixed(value) }
        return summary.standardDeviation.map { "\(text(summary.mean)) ± \(text($0))" } ?? text(summary.mean)
    }
}
