/// The result of ``SampledRankingEvaluator``: per-row and per-user HR@K, NDCG@K and MRR, their
/// means, and where every test row went.
///
/// Per-row tables are indexed `[k index][row]`, row r being (``rowUsers``[r], ``positiveItems``[r]).
/// ``value(_:)`` is the mean over rows, as the literature reports it. ``perUser(_:)`` averages each
/// user's rows, aligned with ``users``: the unit of a paired test (``PairedComparison``), since two
/// models evaluated against the same ``SampledCandidates`` have the same users. Under
/// leave-one-out (one test row per user) the two coincide.
public struct SampledRankingEvaluation: Sendable, Equatable {
    /// What the scorer did.
    public struct Counts: Sendable, Equatable, Codable {
        public var rowsEvaluated = 0
        /// Rows where at least one negative scored exactly as the positive.
        public var rowsWithTies = 0
        /// NaN scores met among candidates (ranked as −∞): a scorer that leaves items unset.
        public var nanScores = 0

        public init() {}
    }

    public var splitName: String
    public var ks: [Int]
    public var ties: SampledRankingEvaluator.TieRule
    /// N, the negatives asked for per row.
    public var negativeCount: Int
    /// The seed the negatives were drawn with.
    public var seed: UInt64
    public var rowUsers: [Int32]
    public var positiveItems: [Int32]
    /// The positive's 0-based rank among its candidates (with ``SampledRankingEvaluator/TieRule/expected``,
    /// its mean over tie orders: g + t/2).
    public var ranks: [Double]
    public var hitRate: [[Double]]
    public var ndcg: [[Double]]
    public var reciprocalRank: [Double]
    /// How the candidates were built (rows skipped, short of negatives).
    public var candidateCounts: SampledCandidates.Counts
    public var counts: Counts

    public init(
        splitName: String, ks: [Int], ties: SampledRankingEvaluator.TieRule, negativeCount: Int, seed: UInt64,
        rowUsers: [Int32], positiveItems: [Int32], ranks: [Double], hitRate: [[Double]], ndcg: [[Double]],
        reciprocalRank: [Double], candidateCounts: SampledCandidates.Counts, counts: Counts
    ) {
        self.splitName = splitName
        self.ks = ks
        self.ties = ties
        self.negativeCount = negativeCount
        self.seed = seed
        self.rowUsers = rowUsers
        self.positiveItems = positiveItems
        self.ranks = ranks
        self.hitRate = hitRate
        self.ndcg = ndcg
        self.reciprocalRank = reciprocalRank
        self.candidateCounts = candidateCounts
        self.counts = counts
    }

    /// Metric names in report order: `hit_rate@K` per K, `ndcg@K` per K, then `mrr`.
    public var metricNames: [String] {
        ks.map { "hit_rate@\($0)" } + ks.map { "ndcg@\($0)" } + ["mrr"]
    }

    /// Per-row values of a metric, aligned with ``rowUsers``; nil for unknown names.
    public func perRow(_ metric: String) -> [Double]? {
        if metric == "mrr" { return reciprocalRank }
        let parts = metric.split(separator: "@")
        guard parts.count == 2, let k = Int(parts[1]), let index = ks.firstIndex(of: k) else { return nil }
        switch parts[0] {
        case "hit_rate": return hitRate[index]
        case "ndcg": return ndcg[index]
        default: return nil
        }
    }

    /// Users with an evaluated row, ascending.
    public var users: [Int32] {
        var users: [Int32] = []
        for user in rowUsers where users.last != user { users.append(user) }
        return users
    }

    /// Per-user values of a metric (the mean over the user's rows), aligned with ``users``; nil
    /// for unknown names.
    public func perUser(_ metric: String) -> [Double]? {
        guard let values = perRow(metric) else { return nil }
        var means: [Double] = []
        var start = 0
        while start < values.count {
            var end = start + 1
            while end < values.count && rowUsers[end] == rowUsers[start] { end += 1 }
            means.append(values[start..<end].reduce(0, +) / Double(end - start))
            start = end
        }
        return means
    }

    /// The mean over rows of a metric; NaN when no row was evaluated; nil for unknown names.
    public func value(_ metric: String) -> Double? {
        guard let values = perRow(metric) else { return nil }
        return TopKEvaluation.mean(values)
    }

    public var report: MetricReport {
        var report = MetricReport(title: "sampled ranking (1 + \(negativeCount) candidates) on \(splitName)")
        for name in metricNames { report.add(name, value(name)!) }
        report.add("mean_rank", TopKEvaluation.mean(ranks))
        report.count("test rows", candidateCounts.testRows)
        report.count("rows evaluated", counts.rowsEvaluated)
        report.count("users evaluated", users.count)
        report.count("rows skipped: below threshold", candidateCounts.rowsBelowThreshold)
        report.count("rows skipped: repeated", candidateCounts.repeatedRows)
        report.count("rows skipped: item in user's training", candidateCounts.rowsInTraining)
        report.count("rows skipped: no negative left", candidateCounts.rowsWithoutNegatives)
        report.count("rows short of negatives", candidateCounts.rowsShortOfNegatives)
        report.count("negatives missing", candidateCounts.missingNegatives)
        report.count("rows with ties", counts.rowsWithTies)
        report.count("NaN scores", counts.nanScores)
        report.notes = [
            "negatives: \(negativeCount) per row without replacement, seed \(seed), none the user interacted with",
            ties.description,
            "means over rows; fractions in [0, 1]; not comparable with full-ranking figures",
        ]
        return report
    }
}
