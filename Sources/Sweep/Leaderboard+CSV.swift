extension Leaderboard {
    /// Every row as RFC 4180 CSV: a header, CRLF line ends, fields quoted when they hold a comma,
    /// quote or line break.
    ///
    /// Columns: `rank,model,parameters,seeds,failed`, then `<metric>_mean,<metric>_sd,<metric>_n`
    /// per metric column. Numbers are exact (shortest round-trip form, for further analysis); empty
    /// fields mean "none" (no rank, no value, no deviation for one seed).
    public func csv() -> String {
        var header = ["rank", "model", "parameters", "seeds", "failed"]
        for column in columns { header += ["\(column)_mean", "\(column)_sd", "\(column)_n"] }
        var lines = [header.map(TextFormat.csvField).joined(separator: ",")]
        for row in rows {
            var fields = [
                row.rank.map(String.init) ?? "", row.model, row.configuration.parametersText, String(row.seeds.count),
                String(row.failed),
            ]
            for column in columns {
                let summary = row.metrics[column]
                fields += [
                    summary.map { TextFormat.exact($0.mean) } ?? "",
                    summary?.standardDeviation.map(TextFormat.exact) ?? "",
                    summary.map { String($0.count) } ?? "0",
                ]
            }
            lines.append(fields.map(TextFormat.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
