/// Model A against model B on the same users or impressions: the paired t-test, Wilcoxon's
/// signed-rank test and a percentile bootstrap interval of the mean difference A − B.
///
/// The two arrays must be aligned (element i of both is the same user or impression), as the
/// per-user and per-impression arrays of ``TopKEvaluation`` and ``ImpressionEvaluation`` are when
/// both models were evaluated on the same split or log with the same settings.
/// - Complexity: O(B · n + n log n).
public struct PairedComparison: Sendable, Equatable, Codable {
    public let metric: String
    public let count: Int
    public let meanA: Double
    public let meanB: Double
    public let tTest: PairedTTest
    public let wilcoxon: WilcoxonSignedRankTest
    public let bootstrap: BootstrapInterval

    public init(
        metric: String, _ a: [Double], _ b: [Double], resamples: Int = 10_000, confidence: Double = 0.95,
        seed: UInt64 = 0
    ) {
        precondition(a.count == b.count, "paired comparison of \(metric): \(a.count) values against \(b.count)")
        precondition(a.count >= 2, "paired comparison of \(metric) needs at least 2 pairs, got \(a.count)")
        self.metric = metric
        count = a.count
        meanA = a.reduce(0, +) / Double(a.count)
        meanB = b.reduce(0, +) / Double(b.count)
        tTest = PairedTTest(a, b)
        wilcoxon = WilcoxonSignedRankTest(a, b)
        bootstrap = BootstrapInterval(a, b, resamples: resamples, confidence: confidence, seed: seed)
    }

    public var report: MetricReport {
        var report = MetricReport(title: "paired comparison of \(metric): A − B")
        report.add("mean A", meanA)
        report.add("mean B", meanB)
        report.add("mean difference", tTest.meanDifference)
        report.add("t", tTest.t)
        report.add("t-test p", tTest.pValue)
        report.add("Wilcoxon T", wilcoxon.statistic)
        report.add("Wilcoxon p", wilcoxon.pValue)
        report.add("bootstrap lower", bootstrap.lower)
        report.add("bootstrap upper", bootstrap.upper)
        report.count("pairs", count)
        report.count("t-test df", tTest.degreesOfFreedom)
        report.count("Wilcoxon zero differences dropped", wilcoxon.zeroCount)
        report.count("bootstrap resamples", bootstrap.resamples)
        report.notes = [
            "Wilcoxon \(wilcoxon.method.rawValue)",
            "bootstrap \(Int((bootstrap.confidence * 100).rounded()))% percentile interval, seed \(bootstrap.seed)",
        ]
        return report
    }
}
