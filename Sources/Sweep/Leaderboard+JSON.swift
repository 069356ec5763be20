extension Leaderboard {
    /// The board as JSON with keys in a fixed order (not alphabetical: the order a reader wants),
    /// two-space indentation, exact numbers (shortest round-trip form) and `null` for "none".
    ///
    /// Shape: `{"metric": {primary, direction, record}, "configurations", "trials", "failed",
    /// "rows": [{rank, model, configuration, parameters, seeds, failed, metrics: {name: {mean, sd, n}},
    /// failures: [{seed, kind, message}]}]}`.
    public func json() -> String {
        let rowValues: [JSONText] = rows.map { row in
            let parameters = row.configuration.parameters.keys.sorted().map {
                ($0, JSONText.parameter(row.configuration.parameters[$0]!))
            }
            let metrics: [(String, JSONText)] = columns.map { column in
                guard let summary = row.metrics[column] else { return (column, .null) }
                return (
                    column,
                    .object([
                        ("mean", .double(summary.mean)), ("sd", .double(summary.standardDeviation)),
                        ("n", .number(String(summary.count))),
                    ])
                )
            }
            let failures: [JSONText] = row.failures.map {
                .object([
                    ("seed", .number(String($0.seed))), ("kind", .string($0.kind.rawValue)),
                    ("message", .string($0.message)),
                ])
            }
            return .object([
                ("rank", row.rank.map { .number(String($0)) } ?? .null),
                ("model", .string(row.model)),
                ("configuration", .string(row.configuration.description)),
                ("parameters", .object(parameters)),
                ("seeds", .array(row.seeds.map { .number(String($0)) })),
                ("failed", .number(String(row.failed))),
                ("metrics", .object(metrics)),
                ("failures", .array(failures)),
            ])
        }
        let document = JSONText.object([
            (
                "metric",
                .object([
                    ("primary", .string(metric.primary)), ("direction", .string(metric.direction.rawValue)),
                    ("record", .array(metric.record.map { .string($0) })),
                ])
            ),
            ("configurations", .number(String(rows.count))),
            ("trials", .number(String(trialCount))),
            ("failed", .number(String(failedCount))),
            ("rows", .array(rowValues)),
        ])
        return document.rendered() + "\n"
    }
}
