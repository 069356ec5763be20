extension CIReport {
    /// A JUnit XML report: one `testcase` per configuration (in leaderboard order) with a `failure`
    /// element per failed trial, then one `testcase` per assertion (a `failure` when violated).
    ///
    /// `tests` counts test cases and `failures` the test cases with at least one failure; the
    /// configuration's figures go in `system-out`. Text is XML-escaped, so any model name or error
    /// message keeps the document well-formed.
    public func junitXML() -> String {
        let board = leaderboard
        let suite = TextFormat.xmlEscaped(name)
        let failingRows = board.rows.filter { $0.failed > 0 }.count
        let failingAssertions = assertions.filter { !$0.passed }.count
        let tests = board.rows.count + assertions.count
        let failures = failingRows + failingAssertions
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\">\n"
        xml +=
            "  <testsuite name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        xml += "    <properties>\n"
        xml += "      <property name=\"metric.primary\" value=\"\(TextFormat.xmlEscaped(board.metric.primary))\"/>\n"
        xml += "      <property name=\"metric.direction\" value=\"\(board.metric.direction.rawValue)\"/>\n"
        xml += "    </properties>\n"
        for row in board.rows {
            let classname = TextFormat.xmlEscaped("\(name).\(row.model)")
            xml +=
                "    <testcase classname=\"\(classname)\" name=\"\(TextFormat.xmlEscaped(row.configuration.description))\">\n"
            for failure in row.failures {
                let message = TextFormat.xmlEscaped("seed \(failure.seed): \(failure.message)")
                xml += "      <failure type=\"\(failure.kind.rawValue)\" message=\"\(message)\">"
                xml +=
                    "\(TextFormat.xmlEscaped("seed \(failure.seed) (\(failure.kind.rawValue)): \(failure.message)"))</failure>\n"
            }
            xml += "      <system-out>\(TextFormat.xmlEscaped(Self.figures(row, board)))</system-out>\n"
            xml += "    </testcase>\n"
        }
        for result in assertions {
            let classname = TextFormat.xmlEscaped("\(name).assertions")
            xml +=
                "    <testcase classname=\"\(classname)\" name=\"\(TextFormat.xmlEscaped(result.assertion.description))\">\n"
            if !result.passed {
                xml += "      <failure type=\"assertion\" message=\"\(TextFormat.xmlEscaped(result.message))\">"
                xml += "\(TextFormat.xmlEscaped(result.message))</failure>\n"
            }
            xml += "      <system-out>\(TextFormat.xmlEscaped(result.message))</system-out>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// `rank 1; rmse 0.9000 ± 0.0100 (2 seeds); mae 0.7000 ± 0.0050 (2 seeds); 0 failed`
    static func figures(_ row: LeaderboardRow, _ board: Leaderboard) -> String {
        var parts = ["rank \(row.rank.map(String.init) ?? "–")"]
        for column in board.columns {
            guard let summary = row.metrics[column] else {
                parts.append("\(column) –")
                continue
            }
            parts.append(
                "\(column) \(Leaderboard.meanAndDeviation(summary, metric: column)) (\(summary.count) seed\(summary.count == 1 ? "" : "s"))"
            )
        }
        parts.append("\(row.failed) failed")
        return parts.joined(separator: "; ")
    }
}
