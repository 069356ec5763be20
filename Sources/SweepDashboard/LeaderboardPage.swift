import Foundation
import HTMLRender
import RecEval
import ParameterSpecs
import Sweep

/// The leaderboard of one sweep, the same rows and numbers as `crossrec leaderboard` (both read
/// ``SweepRuntime/CoordinatorService/storedLeaderboard(store:record:)``): every recorded metric as
/// mean ± sd over seeds, sortable by any column and filterable by model through the address
/// (`?sort=recall@10&order=desc&model=mf`), with a bar chart of the top configurations and a link
/// to each seed's trial.
enum LeaderboardPage {
    static func body(
        _ leaderboard: Leaderboard, sweep: String, query: DashboardRoute.LeaderboardQuery, trialID: (TrialConfig) -> String
    ) -> String {
        let metric = leaderboard.metric
        let better = metric.direction == .minimize ? "lower is better" : "higher is better"
        let columns = metricColumns(leaderboard)
        var html = "<h1>Leaderboard</h1>\n"
        html += "<p>Ranked by <b>\(DashboardFormat.escaped(metric.primary))</b> (\(better)), mean over seeds. "
        html += "\(leaderboard.rows.count) configurations, \(leaderboard.trialCount) trials with an outcome, \(leaderboard.failedCount) failed.</p>\n"
        html += "<p class=\"filters\">model: "
        html += filterLink(sweep, query, model: nil, text: "all")
        for model in leaderboard.models { html += filterLink(sweep, query, model: model, text: model) }
        html += "</p>\n"
        if let model = query.model, !leaderboard.models.contains(model) {
            html += "<p>No configuration of model <b>\(DashboardFormat.escaped(model))</b> in this sweep.</p>\n"
        }
        let rows = sorted(query.model.map { leaderboard.model($0).rows } ?? leaderboard.rows, by: query, metric: metric)
        html += "<h2>Top configurations by \(DashboardFormat.escaped(metric.primary))</h2>\n" + chart(leaderboard, rows: rows)
        html += "<h2>Configurations</h2>\n"
        var header: [HTMLTable.Cell] = [
            sortHeader("rank", sweep: sweep, query: query, metric: metric),
            sortHeader("model", sweep: sweep, query: query, metric: metric, className: "text"),
            HTMLTable.Cell("parameters", class: "text"),
        ]
        header += columns.map { sortHeader($0, sweep: sweep, query: query, metric: metric) }
        header += [
            sortHeader("seeds", sweep: sweep, query: query, metric: metric),
            sortHeader("failed", sweep: sweep, query: query, metric: metric),
            HTMLTable.Cell("trials", class: "text"),
        ]
        let body = rows.map { row -> HTMLTable.Row in
            let parameters = row.configuration.parametersText
            var cells: [HTMLTable.Cell] = [
                HTMLTable.Cell(row.rank.map(String.init) ?? "–"), HTMLTable.Cell(row.model, class: "text"),
                HTMLTable.Cell(parameters.isEmpty ? "–" : parameters, class: "text"),
            ]
            cells += columns.map { HTMLTable.Cell(Leaderboard.meanAndDeviation(row.metrics[$0], metric: $0)) }
            cells.append(HTMLTable.Cell(String(row.seeds.count)))
            cells.append(HTMLTable.Cell(String(row.failed), class: row.failed > 0 ? "failed" : nil))
            let seeds = (row.seeds + row.failures.map(\.seed)).sorted()
            var links = seeds.prefix(shownSeeds).map { seed -> String in
                let config = TrialConfig(model: row.model, parameters: row.configuration.parameters, seed: seed)
                return DashboardFormat.link(DashboardLink.trial(sweep, trialID(config)), "seed \(seed)")
            }
            if seeds.count > shownSeeds { links.append("… +\(seeds.count - shownSeeds)") }
            cells.append(HTMLTable.Cell(html: links.joined(separator: " "), class: "text"))
            return HTMLTable.Row(cells, class: row.rank == nil ? "unranked" : nil, attributes: [("data-model", row.model)])
        }
        html += HTMLTable(header: header, rows: body, id: "leaderboard").render()
        return html
    }

    /// Trial links per row; a configuration run with thousands of seeds lists the first ones.
    static let shownSeeds = 10

    /// The primary metric, the sweep's other recorded metrics, then any other metric some row has.
    static func metricColumns(_ leaderboard: Leaderboard) -> [String] {
        var columns = leaderboard.columns
        let extra = MetricText.sorted(Set(leaderboard.rows.flatMap(\.metrics.keys)).subtracting(columns))
        columns += extra
        return columns
    }

    /// Rows in the order `query` asks. A metric sorts best first by default (its direction), rows
    /// without the metric last; ties keep the leaderboard's order.
    static func sorted(_ rows: [LeaderboardRow], by query: DashboardRoute.LeaderboardQuery, metric: MetricSpec) -> [LeaderboardRow] {
        guard let key = query.sort, key != "rank" || query.descending == true else { return rows }
        let descending = query.descending ?? naturalDescending(key, metric: metric)
        func value(_ row: LeaderboardRow) -> Double? {
            switch key {
            case "rank": return row.rank.map(Double.init)
            case "seeds": return Double(row.seeds.count)
            case "failed": return Double(row.failed)
            default: return row.mean(key)
            }
        }
        let indexed = Array(rows.enumerated())
        return indexed.sorted { a, b in
            let order: Int
            if key == "model" {
                let x = a.element.model, y = b.element.model
                order = x == y ? 0 : ((x < y) != descending ? -1 : 1)
            } else {
                order = compareOptional(value(a.element), value(b.element), descending: descending)
            }
            return order == 0 ? a.offset < b.offset : order < 0
        }.map(\.element)
    }

    /// The order a column sorts in when first clicked: rank and model ascending, counts descending,
    /// a metric best first (see ``direction(of:metric:)``).
    static func naturalDescending(_ column: String, metric: MetricSpec) -> Bool {
        switch column {
        case "rank", "model": return false
        case "seeds", "failed": return true
        default: return direction(of: column, metric: metric) == .maximize
        }
    }

    /// -1 when `a` goes first. Missing values always go last.
    static func compareOptional(_ a: Double?, _ b: Double?, descending: Bool) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?):
            if x == y || (x.isNaN && y.isNaN) { return 0 }
            if x.isNaN { return 1 }
            if y.isNaN { return -1 }
            return (x < y) != descending ? -1 : 1
        }
    }

    /// The direction a metric is best in: the sweep's for its primary metric, lower for error
    /// metrics (`rmse`, `mae`, `loss`, `perplexity`, `seconds`), higher for the rest.
    static func direction(of name: String, metric: MetricSpec) -> MetricDirection {
        if name == metric.primary { return metric.direction }
        let lowered = name.lowercased()
        let lowerIsBetter = ["rmse", "mae", "mse", "loss", "perplexity", "seconds", "time"]
        return lowerIsBetter.contains { lowered.contains($0) } ? .minimize : .maximize
    }

    static func sortHeader(
        _ column: String, sweep: String, query: DashboardRoute.LeaderboardQuery, metric: MetricSpec, className: String? = nil
    ) -> HTMLTable.Cell {
        let current = (query.sort ?? "rank") == column
        let shownDescending = query.descending ?? naturalDescending(column, metric: metric)
        var next = query
        next.sort = column
        next.descending = current ? !shownDescending : nil
        let arrow = current ? (shownDescending ? " ▼" : " ▲") : ""
        let label = column == metric.primary ? column + " (primary)" : column
        return HTMLTable.Cell(html: DashboardFormat.link(DashboardLink.leaderboard(sweep, next), label + arrow), class: className)
    }

    static func filterLink(_ sweep: String, _ query: DashboardRoute.LeaderboardQuery, model: String?, text: String) -> String {
        var next = query
        next.model = model
        let link = DashboardFormat.link(DashboardLink.leaderboard(sweep, next), text)
        return query.model == model ? link.replacingOccurrences(of: "<a ", with: "<a class=\"current\" ") : link
    }

    /// Bars for the first ten ranked rows in the shown order.
    static func chart(_ leaderboard: Leaderboard, rows: [LeaderboardRow]) -> String {
        let primary = leaderboard.metric.primary
        let top = rows.filter { $0.rank != nil && $0.mean(primary) != nil }.prefix(Leaderboard.chartLimit)
        let bars = top.map { row in
            let mean = row.mean(primary)!
            return BarChart.Bar(
                label: "#\(row.rank!) \(row.configuration.description)", value: mean, valueText: Leaderboard.valueText(mean),
                tooltip: "\(row.configuration.description): \(Leaderboard.valueText(mean))")
        }
        return BarChart(bars: bars, title: "mean \(primary)", emptyMessage: "no configuration has reported \(primary) yet").svg()
    }
}
