/// What metric names mean, shared by the reports of every module (RecEval's texts, the sweep
/// leaderboards): which figures count things, so they are written as integers.
public enum MetricNames {
    /// True for figures that count things (users, rows, impressions, terms, dimensions); a stage
    /// prefix (`validation.users`) is ignored.
    public static func isCount(_ name: String) -> Bool {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        if countNames.contains(last) { return true }
        return countSuffixes.contains { last.hasSuffix($0) }
    }

    private static let countNames: Set<String> = [
        "users_evaluated", "validation_users", "mind_impressions", "sampled_rows", "vocabulary", "mapping_users",
        "users_from_other_domains", "rows", "users", "items", "impressions", "epochs", "terms", "topics",
        "member", "ensemble_members",
    ]
    private static let countSuffixes = ["_dimension", "_count", "_users", "_rows", "_items", "_impressions"]
}
