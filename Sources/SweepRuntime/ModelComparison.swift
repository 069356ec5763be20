public import RecEval
public import Sweep
import RecModels

/// Two models trained on the same data and split and evaluated on the same held-out users (or
/// MIND impressions), with paired tests of their per-user (per-impression) metric values: is A's
/// lift over B real, or the luck of which users were held out?
public struct ModelComparison: Sendable {
    public var a: TrialConfig
    public var b: TrialConfig
    /// Each model's reported figures, as a trial reports them (test metrics, fit summary).
    public var metricsA: TrialMetrics
    public var metricsB: TrialMetrics
    /// A − B per requested metric that has per-unit values, in request order.
    public var comparisons: [PairedComparison]
    /// Requested metrics that could not be compared, with the reason.
    public var skipped: [String: String]
}

extension TrialRunner {
    /// Metrics compared when none are named: top-K NDCG@10, recall@10 and MRR per user, and on a
    /// MIND split the impression AUC and nDCG@10 per impression.
    public static let defaultComparisonMetrics = ["ndcg@10", "recall@10", "mrr", "mind_auc", "mind_ndcg@10"]

    /// Trains `a` and `b` (each with its own seed) on `dataset`, evaluates both exactly as a trial
    /// does, and compares them on `metrics` with ``RecEval/PairedComparison`` (paired t-test,
    /// Wilcoxon signed-rank, bootstrap interval of the mean difference with `resamples` draws).
    /// A metric is skipped (with the reason) when the split has no per-unit values for it (no
    /// MIND impressions, an unknown name) or fewer than 2 units.
    public func compare(
        _ a: TrialConfig, _ b: TrialConfig, dataset: DatasetSpec, metrics: [String] = defaultComparisonMetrics,
        resamples: Int = 10_000, cancel: CancellationFlag = CancellationFlag(),
        progress: (_ model: String, TrialProgress) -> Void = { _, _ in }
    ) -> Result<ModelComparison, TrialFailure> {
        compare(
            a, against: [b], dataset: dataset, metrics: metrics, resamples: resamples, cancel: cancel, progress: progress
        ).map { $0[0] }
    }

    /// `a` against each of `baselines` as ``compare(_:_:dataset:metrics:resamples:cancel:progress:)``
    /// does, with `a` trained and evaluated once (a slow model against two baselines costs one
    /// fit of it, not two). One comparison per baseline, in order.
    public func compare(
        _ a: TrialConfig, against baselines: [TrialConfig], dataset: DatasetSpec,
        metrics: [String] = defaultComparisonMetrics, resamples: Int = 10_000, cancel: CancellationFlag = CancellationFlag(),
        progress: (_ model: String, TrialProgress) -> Void = { _, _ in }
    ) -> Result<[ModelComparison], TrialFailure> {
        precondition(!baselines.isEmpty, "compare needs a baseline")
        let data: PreparedData
        do {
            data = try self.data(for: dataset).0
        } catch {
            return .failure(Self.dataFailure(error))
        }
        let evaluated: [FittedEvaluation]
        switch Self.fitAndEvaluate([a] + baselines, on: data, cancel: cancel, progress: progress) {
        case .success(let value): evaluated = value
        case .failure(let failure): return .failure(failure)
        }
        var result: [ModelComparison] = []
        for (index, b) in baselines.enumerated() {
            let paired: PairedValues
            switch Self.pairedValues(evaluated[0].evaluations, evaluated[index + 1].evaluations, metrics: metrics) {
            case .success(let value): paired = value
            case .failure(let failure): return .failure(failure)
            }
            let (comparisons, skipped) = paired.compared(metrics: metrics, resamples: resamples)
            result.append(
                ModelComparison(
                    a: a, b: b, metricsA: evaluated[0].metrics, metricsB: evaluated[index + 1].metrics,
                    comparisons: comparisons, skipped: skipped))
        }
        return .success(result)
    }
}

/// A model's reported figures and its evaluations, as ``TrialRunner/compare(_:against:dataset:metrics:resamples:cancel:progress:)`` fits it.
struct FittedEvaluation {
    var metrics: TrialMetrics
    var evaluations: TrialRunner.Evaluations
}

/// Per requested metric, A's and B's per-unit values in the same unit order, or why there are
/// none; appended fold after fold when comparisons are pooled.
struct PairedValues: Codable, Equatable {
    /// A's and B's values of one metric, unit by unit.
    struct Pair: Codable, Equatable {
        var a: [Double]
        var b: [Double]
    }

    var values: [String: Pair] = [:]
    var skipped: [String: String] = [:]

    /// The next fold's values after these (a metric skipped in any fold is skipped).
    mutating func append(_ other: PairedValues) {
        for (metric, reason) in other.skipped {
            skipped[metric] = reason
            values[metric] = nil
        }
        for (metric, pair) in other.values where skipped[metric] == nil {
            values[metric, default: Pair(a: [], b: [])].a += pair.a
            values[metric, default: Pair(a: [], b: [])].b += pair.b
        }
    }

    /// One paired comparison per metric with at least 2 units, in request order.
    func compared(metrics: [String], resamples: Int) -> ([PairedComparison], [String: String]) {
        var comparisons: [PairedComparison] = []
        var skipped = skipped
        for metric in metrics where skipped[metric] == nil {
            guard let pair = values[metric] else { continue }
            guard pair.a.count >= 2 else {
                skipped[metric] = "\(pair.a.count) evaluated unit(s); a paired test needs at least 2"
                continue
            }
            comparisons.append(PairedComparison(metric: metric, pair.a, pair.b, resamples: resamples))
        }
        return (comparisons, skipped)
    }
}

extension TrialRunner {
    /// Trains and evaluates each of `configs` on `data`, in order, as a trial does.
    static func fitAndEvaluate(
        _ configs: [TrialConfig], on data: PreparedData, cancel: CancellationFlag,
        progress: (_ model: String, TrialProgress) -> Void
    ) -> Result<[FittedEvaluation], TrialFailure> {
        var evaluated: [FittedEvaluation] = []
        for config in configs {
            let clock = ContinuousClock.now
            let model: AnyRecommender
            switch train(config, on: data, cancel: cancel, progress: { progress(config.model, $0) }) {
            case .success(let trained): model = trained
            case .failure(let failure): return .failure(failure)
            }
            let fit = seconds(since: clock)
            let evaluations = evaluations(model, on: data)
            if let failure = nothingEvaluated(evaluations, on: data) { return .failure(failure) }
            let values = evaluations.values.merging(model.fitSummary) { test, _ in test }
            evaluated.append(FittedEvaluation(metrics: TrialMetrics(values: values, timings: ["fit": fit]), evaluations: evaluations))
        }
        return .success(evaluated)
    }

    /// A's and B's per-unit values of each metric, after checking both cover the same units.
    static func pairedValues(_ first: Evaluations, _ second: Evaluations, metrics: [String]) -> Result<PairedValues, TrialFailure> {
        guard first.topK?.users == second.topK?.users,
            first.impressions?.impressions == second.impressions?.impressions,
            first.sampled?.users == second.sampled?.users
        else {
            return .failure(
                TrialFailure(kind: .deterministic, message: "the two evaluations did not cover the same users or impressions"))
        }
        var paired = PairedValues()
        for metric in metrics {
            guard let valuesA = first.perUnit(metric), let valuesB = second.perUnit(metric) else {
                paired.skipped[metric] =
                    metric.hasPrefix("mind_")
                    ? "no MIND impressions in this split (use the mind split)"
                    : metric.hasPrefix("sampled_")
                        ? "no sampled-negative protocol requested (--sampled 999)" : "no per-user values for this metric"
                continue
            }
            paired.values[metric] = PairedValues.Pair(a: valuesA, b: valuesB)
        }
        return .success(paired)
    }
}
