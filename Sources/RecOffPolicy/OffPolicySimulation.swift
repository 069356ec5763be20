import Foundation

/// The goal experiment of off-policy evaluation: on synthetic logs with a known logging policy,
/// how biased IPS, SNIPS and DR are, how often their intervals cover the truth, and how both
/// degrade as the target moves away from the logging policy.
///
/// Protocol: one ``SyntheticBanditProblem`` (fixed by its configuration's seed). For each seed s,
/// a log of `impressions` impressions is drawn with seed s; q̂ is cross-fitted on it in 2 folds
/// (``ItemRewardModel``, fold seed s); for each mixture weight λ the target
/// π_λ = (1 − λ) π0 + λ · greedy(target scores) is estimated (bootstrap seed s, `resamples`
/// draws) and compared with the exact V(π_λ).
///
/// Goal rule (decided before the measurement, docs/off-policy.md): at λ = `nearMixture`, an
/// estimator meets the goal when |mean estimate − V| < 0.005 over the seeds and at least 90 % of
/// its intervals contain V (90 of 100 seeds). The bias's standard error and |bias| + 1.96 SE are
/// reported beside it.
/// - Complexity: O(seeds × (mixtures × resamples × impressions + pool slots)).
public struct OffPolicySimulation: Sendable {
    public var problem = SyntheticBanditProblem.Configuration()
    public var impressions = 5_000
    public var seeds: [UInt64] = Array(1...100)
    public var mixtures: [Double] = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]
    public var nearMixture = 0.25
    public var resamples = 1_000
    public var confidence = 0.95
    public var weightClip: Double?
    public static let biasGoal = 0.005
    public static let coverageGoal = 0.9

    public init() {}

    public static let rule =
        "at the near target (mixture λ), an estimator meets the goal when |mean estimate − truth| over the seeds is "
        + "below 0.005 and at least 90% of its 95% bootstrap intervals contain the truth; the bias's standard error "
        + "(sd/√seeds) and |bias| + 1.96·SE are reported beside it"

    /// Runs every seed and mixture; `progress(done, total)` after each seed.
    public func run(progress: (Int, Int) -> Void = { _, _ in }) throws(OffPolicyError) -> OffPolicySimulationReport {
        precondition(mixtures.contains(nearMixture), "the near mixture \(nearMixture) must be one of the mixtures")
        precondition(seeds.count >= 2, "a bias's standard error needs at least 2 seeds")
        let world = SyntheticBanditProblem(problem)
        let policies = mixtures.map { world.mixture($0) }
        let truths = policies.map { world.trueValue(of: $0) }
        let estimator = OffPolicyEstimator(weightClip: weightClip, resamples: resamples, confidence: confidence)
        // estimates[mixture][seed]
        var estimates = [[OffPolicyEstimate]](repeating: [], count: mixtures.count)
        for (done, seed) in seeds.enumerated() {
            let log = world.drawLog(impressions: impressions, seed: seed)
            let predictions = ItemRewardModel.crossFitted(log, seed: seed)
            var seeded = estimator
            seeded.seed = seed
            for index in mixtures.indices {
                let probabilities = world.perLogSlot(policies[index], for: log)
                estimates[index].append(
                    try seeded.estimate(log, targetProbabilities: probabilities, rewardPredictions: predictions))
            }
            progress(done + 1, seeds.count)
        }
        let rows = mixtures.indices.map { index in
            Self.row(mixture: mixtures[index], truth: truths[index], estimates: estimates[index], impressions: impressions)
        }
        let goals = rows.filter { $0.mixture == nearMixture }.flatMap { row in
            [("ips", row.ips), ("snips", row.snips), ("dr", row.doublyRobust)].map { name, summary in
                let upper = abs(summary.bias) + 1.96 * summary.biasStandardError
                return OffPolicySimulationReport.Goal(
                    estimator: name, mixture: row.mixture, bias: summary.bias, biasStandardError: summary.biasStandardError,
                    biasUpperBound: upper, covered: summary.covered, seeds: summary.seeds,
                    biasMet: abs(summary.bias) < Self.biasGoal,
                    coverageMet: Double(summary.covered) >= Self.coverageGoal * Double(summary.seeds))
            }
        }
        return OffPolicySimulationReport(
            rule: Self.rule.replacingOccurrences(of: "mixture λ", with: "mixture λ = \(nearMixture)"), problem: problem,
            impressions: impressions, seeds: seeds, resamples: resamples, confidence: confidence, weightClip: weightClip,
            loggingValue: world.trueValue(of: world.loggingProbabilities), rows: rows, goals: goals)
    }

    static func row(mixture: Double, truth: Double, estimates: [OffPolicyEstimate], impressions: Int) -> OffPolicySimulationReport.Row {
        let count = Double(estimates.count)
        let directBias = estimates.map { $0.directMethod ?? .nan }.reduce(0, +) / count - truth
        let ess = estimates.map(\.effectiveSampleSize).reduce(0, +) / count
        return OffPolicySimulationReport.Row(
            mixture: mixture, truth: truth,
            ips: summary(estimates.map(\.ips), truth: truth),
            // A seed whose weights are all 0 has no SNIPS: counted as 0 with the empty interval [0, 0].
            snips: summary(estimates.map { $0.snips ?? .init(estimate: 0, lower: 0, upper: 0) }, truth: truth),
            doublyRobust: summary(estimates.map { $0.doublyRobust! }, truth: truth),
            directMethodBias: directBias, meanEffectiveSampleSize: ess, meanEffectiveSampleFraction: ess / Double(impressions),
            meanMaxWeight: estimates.map(\.maxWeight).reduce(0, +) / count)
    }

    /// Bias, its standard error, RMSE, coverage and width of one estimator over the seeds.
    static func summary(_ intervals: [OffPolicyEstimate.Interval], truth: Double) -> OffPolicySimulationReport.EstimatorSummary {
        let count = Double(intervals.count)
        let values = intervals.map(\.estimate)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, count - 1)
        return .init(
            meanEstimate: mean, bias: mean - truth, biasStandardError: (variance / count).squareRoot(),
            rmse: (values.reduce(0) { $0 + ($1 - truth) * ($1 - truth) } / count).squareRoot(),
            covered: intervals.count(where: { $0.covers(truth) }), seeds: intervals.count,
            meanIntervalWidth: intervals.map(\.width).reduce(0, +) / count)
    }
}
