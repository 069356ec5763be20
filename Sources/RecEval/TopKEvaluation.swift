/// The result of ``TopKEvaluator``: per-user metric values (for paired tests), their means,
/// coverage, and where every test user went.
///
/// Per-user tables are indexed `[k index][user position]`, the user at position p being
/// `users[p]` (ascending user index); two models evaluated on the same split with the same
/// settings have the same `users`, so their arrays pair element by element.
public struct TopKEvaluation: Sendable, Equatable {
    /// Where each test user went: `usersWithTestRows = usersEvaluated + usersSkippedNoRelevantRows
    /// + usersSkippedNoRelevantCandidate`.
    public struct Counts: Sendable, Equatable, Codable {
        /// Users with at least one test row.
        public var usersWithTestRows = 0
        public var usersEvaluated = 0
        /// Skipped: no test row at or above the relevance threshold.
        public var usersSkippedNoRelevantRows = 0
        /// Skipped: relevant rows, but every relevant item was outside the user's candidates.
        public var usersSkippedNoRelevantCandidate = 0
        /// Evaluated users that have no training row (the model scored them by its fallback).
        public var usersEvaluatedWithoutTraining = 0
        /// Σ |Rel_u| over evaluated users.
        public var relevantItems = 0
        /// Test rows below the threshold (not relevant).
        public var testRowsBelowThreshold = 0
        /// Relevant test rows repeating an earlier (user, item) pair, counted once.
        public var repeatedRelevantRows = 0
        /// Relevant items dropped because the user already has them in training.
        public var relevantInTraining = 0
        /// Relevant items dropped because they are outside the candidate set C.
        public var relevantOutsideCandidateSet = 0
        /// |C|, the candidate items (coverage denominator).
        public var candidateItems = 0
        /// NaN scores met among candidates (ranked as −∞): a scorer that leaves items unset.
        public var nanScores = 0

        public init() {}
    }

    public var splitName: String
    public var ks: [Int]
    public var relevanceThreshold: Float?
    public var candidatePolicy: TopKEvaluator.CandidatePolicy
    /// Evaluated users, ascending.
    public var users: [Int32]
    /// |Rel_u| per evaluated user.
    public var relevantCounts: [Int]
    public var precision: [[Double]]
    public var recall: [[Double]]
    public var ndcg: [[Double]]
    public var hitRate: [[Double]]
    public var averagePrecision: [[Double]]
    /// RR over the full ranking, per user.
    public var reciprocalRank: [Double]
    /// coverage@K per K.
    public var coverage: [Double]
    public var counts: Counts

    public init(
        splitName: String, ks: [Int], relevanceThreshold: Float?, candidatePolicy: TopKEvaluator.CandidatePolicy,
        users: [Int32], relevantCounts: [Int], precision: [[Double]], recall: [[Double]], ndcg: [[Double]],
        hitRate: [[Double]], averagePrecision: [[Double]], reciprocalRank: [Double], coverage: [Double],
        counts: Counts
    ) {
        self.splitName = splitName
        self.ks = ks
        self.relevanceThreshold = relevanceThreshold
        self.candidatePolicy = candidatePolicy
        self.users = users
        self.relevantCounts = relevantCounts
        self.precision = precision
        self.recall = recall
        self.ndcg = ndcg
        self.hitRate = hitRate
        self.averagePrecision = averagePrecision
        self.reciprocalRank = reciprocalRank
        self.coverage = coverage
        self.counts = counts
    }

    /// Metric names in report order: `precision@K`, `recall@K`, `ndcg@K`, `hit_rate@K`, `map@K`
    /// per K, then `mrr`, then `coverage@K` per K.
    public var metricNames: [String] {
        let perK = ["precision", "recall", "ndcg", "hit_rate", "map"].flatMap { name in ks.map { "\(name)@\($0)" } }
        return perK + ["mrr"] + ks.map { "coverage@\($0)" }
    }

    /// Per-user values of a metric (`ndcg@10`, `mrr`, …), aligned with ``users``; nil for coverage
    /// (a catalogue figure) and unknown names.
    public func perUser(_ metric: String) -> [Double]? {
        if metric == "mrr" { return reciprocalRank }
        let parts = metric.split(separator: "@")
        guard parts.count == 2, let k = Int(parts[1]), let index = ks.firstIndex(of: k) else { return nil }
        switch parts[0] {
        case "precision": return precision[index]
        case "recall": return recall[index]
        case "ndcg": return ndcg[index]
        case "hit_rate": return hitRate[index]
        case "map": return averagePrecision[index]
        default: return nil
        }
    }

    /// The mean over evaluated users of a per-user metric, or coverage@K; NaN when no user was
    /// evaluated; nil for unknown names.
    public func value(_ metric: String) -> Double? {
        if let values = perUser(metric) { return Self.mean(values) }
        if metric.hasPrefix("coverage@"), let k = Int(metric.dropFirst("coverage@".count)),
            let index = ks.firstIndex(of: k)
        {
            return coverage[index]
        }
        return nil
    }

    /// Unweighted mean; NaN for an empty array.
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    public var report: MetricReport {
        var report = MetricReport(title: "top-K on \(splitName)")
        for name in metricNames { report.add(name, value(name)!) }
        report.count("users with test rows", counts.usersWithTestRows)
        report.count("users evaluated", counts.usersEvaluated)
        report.count("users skipped: no relevant test row", counts.usersSkippedNoRelevantRows)
        report.count("users skipped: no relevant candidate", counts.usersSkippedNoRelevantCandidate)
        report.count("users evaluated without training rows", counts.usersEvaluatedWithoutTraining)
        report.count("relevant items", counts.relevantItems)
        report.count("test rows below threshold", counts.testRowsBelowThreshold)
        report.count("relevant rows repeated", counts.repeatedRelevantRows)
        report.count("relevant dropped: in user's training", counts.relevantInTraining)
        report.count("relevant dropped: outside candidate set", counts.relevantOutsideCandidateSet)
        report.count("candidate items", counts.candidateItems)
        report.count("NaN scores", counts.nanScores)
        report.notes = [
            "candidates: \(candidatePolicy)",
            "relevant: " + (relevanceThreshold.map { "test value ≥ \($0)" } ?? "every test row"),
            "ties broken by the smaller item index; MRR over the full ranking",
        ]
        return report
    }
}
