/// The result of ``ImpressionEvaluator``: per-impression AUC, MRR, nDCG@5 and nDCG@10 (aligned with
/// ``impressions``, for paired tests), their means as the official MIND scorer reports them, and
/// the skipped impressions by reason.
public struct ImpressionEvaluation: Sendable, Equatable {
    /// `impressions = impressionsScored + Σ skipped`.
    public struct Counts: Sendable, Equatable, Codable {
        public var impressions = 0
        public var impressionsScored = 0
        public var skippedNoCandidates = 0
        public var skippedUnlabeled = 0
        public var skippedNoClick = 0
        public var skippedAllClicked = 0
        /// NaN scores among scored candidates (ranked as −∞).
        public var nanScores = 0

        public init() {}

        public var skipped: Int { skippedNoCandidates + skippedUnlabeled + skippedNoClick + skippedAllClicked }

        mutating func skip(_ reason: ImpressionScorer.SkipReason) {
            switch reason {
            case .noCandidates: skippedNoCandidates += 1
            case .unlabeled: skippedUnlabeled += 1
            case .noClick: skippedNoClick += 1
            case .allClicked: skippedAllClicked += 1
            }
        }
    }

    /// `train`, `dev` or `test`.
    public var split: String
    /// Indices (in the log) of the scored impressions, ascending.
    public var impressions: [Int]
    public var auc: [Double]
    public var mrr: [Double]
    public var ndcg5: [Double]
    public var ndcg10: [Double]
    public var counts: Counts

    public init(
        split: String, impressions: [Int], auc: [Double], mrr: [Double], ndcg5: [Double], ndcg10: [Double],
        counts: Counts
    ) {
        self.split = split
        self.impressions = impressions
        self.auc = auc
        self.mrr = mrr
        self.ndcg5 = ndcg5
        self.ndcg10 = ndcg10
        self.counts = counts
    }

    /// Metric names: `auc`, `mrr`, `ndcg@5`, `ndcg@10`.
    public static let metricNames = ["auc", "mrr", "ndcg@5", "ndcg@10"]

    /// Per-impression values of a metric, aligned with ``impressions``; nil for unknown names.
    public func perImpression(_ metric: String) -> [Double]? {
        switch metric {
        case "auc": return auc
        case "mrr": return mrr
        case "ndcg@5": return ndcg5
        case "ndcg@10": return ndcg10
        default: return nil
        }
    }

    /// Unweighted mean over scored impressions (NaN when none); nil for unknown names.
    public func value(_ metric: String) -> Double? {
        perImpression(metric).map { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) }
    }

    public var report: MetricReport {
        var report = MetricReport(title: "MIND impressions (\(split))")
        for name in Self.metricNames { report.add(name, value(name)!) }
        report.count("impressions", counts.impressions)
        report.count("impressions scored", counts.impressionsScored)
        report.count("skipped: no candidates", counts.skippedNoCandidates)
        report.count("skipped: unlabeled", counts.skippedUnlabeled)
        report.count("skipped: no clicked candidate", counts.skippedNoClick)
        report.count("skipped: every candidate clicked", counts.skippedAllClicked)
        report.count("NaN scores", counts.nanScores)
        report.notes = [
            "means over scored impressions, as the official MIND scorer",
            "ties: descending score, later candidate first (stable np.argsort(y_score)[::-1]); AUC uses average ranks",
        ]
        return report
    }
}
