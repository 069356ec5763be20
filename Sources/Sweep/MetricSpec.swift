/// What a sweep optimizes and what else it keeps: `metric: {primary: rmse, direction: minimize, record: [mae]}`.
public struct MetricSpec: Sendable, Hashable, Codable {
    /// The metric leaderboards rank by (`rmse`, `ndcg@10`, …), as the evaluation names it.
    public var primary: String
    public var direction: MetricDirection
    /// Further metrics to show beside the primary one, in file order (the primary one excluded).
    public var record: [String]

    public init(primary: String, direction: MetricDirection, record: [String] = []) {
        self.primary = primary
        self.direction = direction
        self.record = record.filter { $0 != primary }
    }

    /// The primary metric followed by the recorded ones, without repeats: leaderboard columns.
    public var columns: [String] {
        var seen: Set<String> = []
        return ([primary] + record).filter { seen.insert($0).inserted }
    }
}
