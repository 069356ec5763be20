internal import HTMLRender

extension Leaderboard {
    /// Configurations shown in the HTML bar chart.
    public static let chartLimit = 10

    /// A self-contained HTML page (``HTMLRender/HTMLPage``): an inline SVG bar chart of the primary
    /// metric's mean for the top ``chartLimit`` configurations, the full table and the best row per
    /// model. No scripts, fonts or images are fetched: the page opens offline and as a CI artifact.
    public func html(title: String) -> String {
        let heading = "Leaderboard: \(title)"
        let better = metric.direction == .minimize ? "lower is better" : "higher is better"
        var body = "<h1>\(XMLText.escaped(heading))</h1>\n"
        body += "<p>Ranked by <b>\(XMLText.escaped(metric.primary))</b> (\(metric.direction.rawValue), \(better)). "
        body += "\(rows.count) configurations, \(trialCount) trials, \(failedCount) failed.</p>\n"
        body += "<h2>Top configurations by \(XMLText.escaped(metric.primary))</h2>\n"
        body += chartSVG()
        body += "<h2>All configurations</h2>\n"
        body += htmlTable(rows)
        body += "<h2>Best per model</h2>\n"
        body += htmlTable(bestPerModel)
        return HTMLPage(title: heading, body: body).render()
    }

    /// A bar per top configuration, bar length proportional to |mean| (the value is printed beside it).
    func chartSVG() -> String {
        let top = rows.filter { $0.rank != nil }.prefix(Self.chartLimit)
        let bars = top.map { row in
            let mean = row.mean(metric.primary)!
            return BarChart.Bar(
                label: "#\(row.rank!) \(row.configuration.description)", value: mean, valueText: TextFormat.fixed(mean),
                tooltip: "\(row.configuration.description): \(TextFormat.fixed(mean))")
        }
        return BarChart(
            bars: bars, title: "mean \(metric.primary) of the top configurations",
            emptyMessage: "no configuration has reported \(metric.primary) yet"
        ).svg()
    }

    /// An HTML table of `rows` with the same columns as the Markdown table.
    func htmlTable(_ rows: [LeaderboardRow]) -> String {
        let arrow = metric.direction == .minimize ? " ↓" : " ↑"
        var header: [HTMLTable.Cell] = ["rank", HTMLTable.Cell("model", class: "text"), HTMLTable.Cell("parameters", class: "text")]
        header += columns.map { HTMLTable.Cell($0 == metric.primary ? $0 + arrow : $0) }
        header += ["seeds", "failed"]
        let body = rows.map { row in
            let parameters = row.configuration.parametersText
            var cells: [HTMLTable.Cell] = [
                HTMLTable.Cell(row.rank.map(String.init) ?? "–"), HTMLTable.Cell(row.model, class: "text"),
                HTMLTable.Cell(parameters.isEmpty ? "–" : parameters, class: "text"),
            ]
            cells += columns.map { HTMLTable.Cell(Self.meanAndDeviation(row.metrics[$0], metric: $0)) }
            cells.append(HTMLTable.Cell(String(row.seeds.count)))
            cells.append(HTMLTable.Cell(String(row.failed), class: row.failed > 0 ? "failed" : nil))
            return HTMLTable.Row(cells, class: row.rank == nil ? "unranked" : nil)
        }
        return HTMLTable(header: header, rows: body).render()
    }
}
