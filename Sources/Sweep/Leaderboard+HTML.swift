extension Leaderboard {
    /// Configurations shown in the HTML bar chart.
    public static let chartLimit = 10

    /// A self-contained HTML page: inline CSS, an inline SVG bar chart of the primary metric's mean
    /// for the top ``chartLimit`` configurations, the full table and the best row per model.
    /// No scripts, fonts or images are fetched: the page opens offline and as a CI artifact.
    public func html(title: String) -> String {
        let heading = TextFormat.xmlEscaped("Leaderboard: \(title)")
        let better = metric.direction == .minimize ? "lower is better" : "higher is better"
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(heading)</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th { background: #f4f4f4; }
            .text { text-align: left; }
            tr.unranked td { color: #999; }
            td.failed { color: #b00; }
            svg text { font-size: 12px; font-family: system-ui, sans-serif; fill: #222; }
            svg rect.bar { fill: #4a7ab5; }
            </style>
            </head>
            <body>
            <h1>\(heading)</h1>

            """
        page +=
            "<p>Ranked by <b>\(TextFormat.xmlEscaped(metric.primary))</b> (\(metric.direction.rawValue), \(better)). "
        page += "\(rows.count) configurations, \(trialCount) trials, \(failedCount) failed.</p>\n"
        page += "<h2>Top configurations by \(TextFormat.xmlEscaped(metric.primary))</h2>\n"
        page += chartSVG()
        page += "<h2>All configurations</h2>\n"
        page += htmlTable(rows)
        page += "<h2>Best per model</h2>\n"
        page += htmlTable(bestPerModel)
        page += "</body>\n</html>\n"
        return page
    }

    /// A bar per top configuration, bar length proportional to |mean| (the value is printed beside it).
    func chartSVG() -> String {
        let top = Array(rows.filter { $0.rank != nil }.prefix(Self.chartLimit))
        let labelWidth = 300.0, barWidth = 320.0, rowHeight = 24.0, width = 720.0
        let height = max(1, Double(top.count)) * rowHeight + 16
        let name = TextFormat.xmlEscaped(metric.primary)
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\""
        svg += " role=\"img\" aria-label=\"mean \(name) of the top configurations\">\n"
        svg += "<title>mean \(name) of the top configurations</title>\n"
        guard !top.isEmpty else {
            return svg + "<text x=\"8\" y=\"20\">no configuration has reported \(name) yet</text>\n</svg>\n"
        }
        let largest = top.map { abs($0.mean(metric.primary)!) }.max()!
        for (index, row) in top.enumerated() {
            let mean = row.mean(metric.primary)!
            let y = 8 + Double(index) * rowHeight
            let length = largest > 0 ? abs(mean) / largest * barWidth : 0
            var label = "#\(row.rank!) \(row.configuration.description)"
            if label.count > 46 { label = String(label.prefix(45)) + "…" }
            let f = { (value: Double) in TextFormat.fixed(value, decimals: 1) }
            svg +=
                "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 16))\" text-anchor=\"end\">\(TextFormat.xmlEscaped(label))</text>\n"
            svg += "<rect class=\"bar\" x=\"\(f(labelWidth))\" y=\"\(f(y + 4))\" width=\"\(f(length))\" height=\"16\">"
            svg +=
                "<title>\(TextFormat.xmlEscaped(row.configuration.description)): \(TextFormat.fixed(mean))</title></rect>\n"
            svg += "<text x=\"\(f(labelWidth + length + 6))\" y=\"\(f(y + 16))\">\(TextFormat.fixed(mean))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// An HTML table of `rows` with the same columns as the Markdown table.
    func htmlTable(_ rows: [LeaderboardRow]) -> String {
        let arrow = metric.direction == .minimize ? " ↓" : " ↑"
        var html = "<table>\n<thead><tr><th>rank</th><th class=\"text\">model</th><th class=\"text\">parameters</th>"
        for column in columns {
            html += "<th>\(TextFormat.xmlEscaped(column))\(column == metric.primary ? arrow : "")</th>"
        }
        html += "<th>seeds</th><th>failed</th></tr></thead>\n<tbody>\n"
        for row in rows {
            html += row.rank == nil ? "<tr class=\"unranked\">" : "<tr>"
            html += "<td>\(row.rank.map(String.init) ?? "–")</td>"
            html += "<td class=\"text\">\(TextFormat.xmlEscaped(row.model))</td>"
            let parameters = row.configuration.parametersText
            html += "<td class=\"text\">\(TextFormat.xmlEscaped(parameters.isEmpty ? "–" : parameters))</td>"
            for column in columns {
                html += "<td>\(TextFormat.xmlEscaped(Self.meanAndDeviation(row.metrics[column])))</td>"
            }
            html += "<td>\(row.seeds.count)</td>"
            html += row.failed > 0 ? "<td class=\"failed\">\(row.failed)</td>" : "<td>0</td>"
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
