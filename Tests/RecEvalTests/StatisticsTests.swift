@testable import RecEval
import Testing

/// Expected values from scipy 1.17 (`ttest_rel`, `wilcoxon`, `special.betainc`, `stats.t.cdf`)
/// and, for the bootstrap, a Python SplitMix64 with numpy's `percentile`.
@Suite("Significance tests")
struct StatisticsTests {
    /// Student's sleep data (Cushny and Peebles), the paired t-test's textbook example.
    let sleepA = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    let sleepB = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    let a = [0.82, 0.75, 0.91, 0.60, 0.77, 0.85, 0.70, 0.88, 0.64, 0.93, 0.58, 0.71]
    let b = [0.78, 0.71, 0.85, 0.62, 0.70, 0.80, 0.71, 0.81, 0.69, 0.87, 0.6, 0.655]

    @Test(
        "regularized incomplete beta against scipy.special.betainc",
        arguments: [
            (0.3, 2.0, 3.0, 0.34829999999999994),
            (0.9, 0.5, 0.5, 0.7951672353008665),
            (0.5, 50.0, 0.5, 9.90168898459413e-17),
            (0.999, 200.0, 0.5, 0.5272441070252349),
            (0.01, 4.5, 0.5, 2.597549811426686e-10),
            (0.7, 10.0, 20.0, 0.9999828580828269),
        ])
    func incompleteBeta(x: Double, a: Double, b: Double, expected: Double) {
        let value = SpecialFunctions.regularizedIncompleteBeta(x, a: a, b: b)
        #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)) || abs(value / expected - 1) < 1e-10)
    }

    @Test(
        "Student t CDF against scipy.stats.t.cdf",
        arguments: [
            (2.0, 5.0, 0.9490302605850708),
            (-1.3, 12.0, 0.10900858554175706),
            (0.0, 3.0, 0.5),
            (4.5, 1.0, 0.9303955127269361),
            (1.96, 1000.0, 0.9748634075221256),
            (-2.5, 30000.0, 0.006212313044899922),
        ])
    func studentT(t: Double, df: Double, expected: Double) {
        #expect(close(SpecialFunctions.studentTCDF(t, degreesOfFreedom: df), expected, 1e-12))
    }

    @Test("paired t-test on the sleep data: t = −4.0621, df = 9, p = 0.002833")
    func tTestSleep() {
        let test = PairedTTest(sleepA, sleepB)
        #expect(close(test.t, -4.062127683382037, 1e-10))
        #expect(test.degreesOfFreedom == 9)
        #expect(close(test.pValue, 0.002832890197384273, 1e-12))
        #expect(close(test.meanDifference, -1.58, 1e-12))
    }

    @Test("paired t-test against scipy ttest_rel; constant differences")
    func tTestOther() {
        let test = PairedTTest(a, b)
        #expect(close(test.t, 2.3834361705683342, 1e-10))
        #expect(close(test.pValue, 0.03628004845074543, 1e-12))
        let constant = PairedTTest([2, 3, 4], [1, 2, 3])
        #expect(constant.t == .infinity && constant.pValue == 0)
        let same = PairedTTest([1, 2], [1, 2])
        #expect(same.t.isNaN && same.pValue.isNaN)
    }

    @Test("Wilcoxon on the sleep data (a zero and ties): normal approximation as scipy")
    func wilcoxonSleep() {
        let corrected = WilcoxonSignedRankTest(sleepA, sleepB, method: .normalApproximation)
        #expect(corrected.count == 9 && corrected.zeroCount == 1 && corrected.hasTies)
        #expect(corrected.statistic == 0 && corrected.rankSumNegative == 45)
        #expect(close(corrected.pValue, 0.009090698015925044, 1e-12))
        #expect(close(corrected.z!, -2.6086243336065102, 1e-10))
        let plain = WilcoxonSignedRankTest(sleepA, sleepB, method: .normalApproximation, continuityCorrection: false)
        #expect(close(plain.pValue, 0.007632441648205508, 1e-12))
        // Ties: automatic falls back to the normal approximation.
        #expect(WilcoxonSignedRankTest(sleepA, sleepB).method == .normalApproximation)
    }

    @Test("Wilcoxon exact and approximate against scipy, with half ranks")
    func wilcoxonHalfRanks() {
        let exact = WilcoxonSignedRankTest(a, b, method: .exact)
        #expect(exact.statistic == 12.5)
        #expect(close(exact.pValue, 0.04248046875, 1e-12))
        let normal = WilcoxonSignedRankTest(a, b, method: .normalApproximation)
        #expect(close(normal.pValue, 0.04115497547430592, 1e-12))
    }

    @Test("Wilcoxon exact for n = 25 without ties (the automatic choice)")
    func wilcoxonExact25() {
        let x = [
            1.5, -2.25, 3.125, 4.0, -0.5, 6.75, 7.0, 8.5, -9.25, 10.0, 11.5, 12.25, -13.0, 14.5, 15.0, 16.25, 17.5,
            -18.0, 19.5, 20.25, 21.0, 22.5, -23.75, 24.0, 25.5,
        ]
        let zeros = [Double](repeating: 0, count: x.count)
        let automatic = WilcoxonSignedRankTest(x, zeros)
        #expect(automatic.method == .exact)
        #expect(automatic.statistic == 67)
        #expect(close(automatic.pValue, 0.008822321891784668, 1e-12))
        let normal = WilcoxonSignedRankTest(x, zeros, method: .normalApproximation)
        #expect(close(normal.pValue, 0.01058354713701517, 1e-12))
    }

    @Test("Wilcoxon with every difference zero is NaN")
    func wilcoxonAllZero() {
        let test = WilcoxonSignedRankTest([1, 2, 3], [1, 2, 3])
        #expect(test.count == 0 && test.zeroCount == 3 && test.pValue.isNaN)
    }

    @Test("bootstrap percentile interval, seeded, as the Python reimplementation")
    func bootstrap() {
        let interval = BootstrapInterval(a, b, resamples: 2000, confidence: 0.95, seed: 42)
        #expect(close(interval.meanDifference, 0.028749999999999998, 1e-12))
        #expect(close(interval.lower, 0.005000000000000013, 1e-12))
        #expect(close(interval.upper, 0.049999999999999996, 1e-12))
        let sleep = BootstrapInterval(sleepA, sleepB, resamples: 1000, confidence: 0.9, seed: 7)
        #expect(close(sleep.lower, -2.1905, 1e-12))
        #expect(close(sleep.upper, -1.0100000000000002, 1e-12))
        #expect(BootstrapInterval(a, b, resamples: 500, seed: 3) == BootstrapInterval(a, b, resamples: 500, seed: 3))
        #expect(BootstrapInterval(a, b, resamples: 500, seed: 3) != BootstrapInterval(a, b, resamples: 500, seed: 4))
    }

    @Test("a paired comparison reports all three tests")
    func pairedComparison() {
        let comparison = PairedComparison(metric: "ndcg@10", a, b, resamples: 2000, seed: 42)
        #expect(comparison.tTest == PairedTTest(a, b))
        #expect(comparison.bootstrap.lower == BootstrapInterval(a, b, resamples: 2000, seed: 42).lower)
        let report = comparison.report
        #expect(close(report[metric: "t-test p"]!, 0.03628004845074543, 1e-12))
        #expect(report[count: "pairs"] == 12)
    }
}
