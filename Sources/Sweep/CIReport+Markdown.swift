extension CIReport {
    /// A short Markdown summary for a CI job page: verdict, counts, the best result, each
    /// assertion, the best configuration per model and every failed trial.
    public func markdown() -> String {
        let board = leaderboard
        var text = "## Sweep \(TextFormat.markdownCell(name)): \(passed ? "passed ✅" : "failed ❌")\n\n"
        text += "- \(board.rows.count) configurations, \(board.trialCount) trials, \(board.failedCount) failed\n"
        if let best = board.best {
            text += "- Best \(board.metric.primary) (\(board.metric.direction.rawValue)): "
            text += "\(Leaderboard.meanAndDeviation(best.metrics[board.metric.primary])), `\(best.configuration)`\n"
        } else {
            text += "- No configuration reported \(board.metric.primary)\n"
        }
        if !assertions.isEmpty {
            text += "\n### Assertions\n\n"
            for result in assertions { text += "- \(result.passed ? "✅" : "❌") \(result.message)\n" }
        }
        text += "\n### Best per model\n\n"
        text += board.markdownTable(board.bestPerModel)
        let failed = board.rows.flatMap { row in row.failures.map { (row.configuration, $0) } }
        if !failed.isEmpty {
            text += "\n### Failed trials\n\n"
            for (configuration, failure) in failed {
                text += "- `\(configuration)` seed \(failure.seed) (\(failure.kind.rawValue)): \(failure.message)\n"
            }
        }
        return text
    }
}
