import Foundation
import RecEval
public import Sweep

/// A comparison pooled over every fold of a cold-users draw: each eligible user is cold in
/// exactly one fold, so the paired tests run on about 1/f times the users of one draw.
public struct ColdUserFoldComparison: Sendable {
    /// One fold's units and means.
    public struct Fold: Sendable, Codable, Equatable {
        public var fold: Int
        /// Evaluated units (users) of the first compared metric.
        public var units: Int
        /// The model under test's mean of each compared metric on this fold's users.
        public var meanA: [String: Double]
        /// Each baseline's (in order) mean of each compared metric on this fold's users.
        public var meanB: [[String: Double]]
        /// Fit seconds: the model under test's, then each baseline's.
        public var fitSeconds: [Double]
    }

    /// One per baseline, pooled over the folds. Each model's `values` are the pooled means of the
    /// compared metrics and, for anything else it reports (its fit summary), the mean over folds;
    /// `timings["fit"]` is the sum over folds.
    public var comparisons: [ModelComparison]
    public var folds: [Fold]
}

extension TrialRunner {
    /// ``compare(_:against:dataset:metrics:resamples:cancel:progress:)`` on every fold of the
    /// cold-users draw `dataset.split` names (fold 0, the draw itself; it must not name a fold),
    /// pooling each fold's per-user values into one paired test per metric and baseline. Folds run
    /// `jobs` at a time, each as compare runs it; the result does not depend on `jobs`.
    public func compareColdUserFolds(
        _ a: TrialConfig, against baselines: [TrialConfig], dataset: DatasetSpec,
        metrics: [String] = defaultComparisonMetrics, resamples: Int = 10_000, jobs: Int = 1,
        cancel: CancellationFlag = CancellationFlag(),
        progress: @Sendable (_ model: String, _ fold: Int, _ folds: Int, TrialProgress) -> Void = { _, _, _, _ in }
    ) -> Result<ColdUserFoldComparison, TrialFailure> {
        precondition(!baselines.isEmpty, "compare needs a baseline")
        guard let draw = dataset.split?.coldUsersDraw, draw.fold == 0 else {
            return .failure(
                TrialFailure(
                    kind: .deterministic,
                    message: dataset.split?.coldUsersDraw == nil
                        ? "comparing over every fold needs a cold-users split (e.g. cold-users:0.2:1)"
                        : "comparing over every fold runs folds 0…K−1 itself: name the draw without a fold (cold-users:0.2:SEED)"))
        }
        let foldCount: Int
        do {
            foldCount = try self.data(for: dataset).0.coldUserFolds ?? 1
        } catch {
            return .failure(Self.dataFailure(error))
        }
        let results = FoldResults(count: foldCount)
        let next = FoldCounter()
        @Sendable func work(_: Int) {
            while let fold = next.take(below: foldCount), !results.failed, !cancel.isCancelled {
                var spec = dataset
                spec.split = .coldUsers(testFraction: draw.testFraction, seed: draw.seed, fold: fold)
                let outcome: Result<[FittedEvaluation], TrialFailure>
                do {
                    let data = try self.data(for: spec).0
                    outcome = Self.fitAndEvaluate([a] + baselines, on: data, cancel: cancel) { model, step in
                        progress(model, fold, foldCount, step)
                    }
                } catch {
                    outcome = .failure(Self.dataFailure(error))
                }
                results.set(fold, outcome)
            }
        }
        let workers = max(1, min(jobs, foldCount))
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        var fitted: [[FittedEvaluation]] = []
        for fold in 0..<foldCount {
            switch results.get(fold) {
            case .success(let value)?: fitted.append(value)
            case .failure(let failure)?:
                return .failure(TrialFailure(kind: failure.kind, message: "fold \(fold) of \(foldCount): \(failure.message)"))
            case nil: return .failure(TrialFailure(kind: .infrastructure, message: "cancelled before fold \(fold) of \(foldCount)"))
            }
        }
        return Self.pool(a, against: baselines, fitted, metrics: metrics, resamples: resamples)
    }

    /// The folds' per-user values pooled per baseline, in fold order.
    static func pool(
        _ a: TrialConfig, against baselines: [TrialConfig], _ fitted: [[FittedEvaluation]], metrics: [String], resamples: Int
    ) -> Result<ColdUserFoldComparison, TrialFailure> {
        var comparisons: [ModelComparison] = []
        var foldMeansB = [[[String: Double]]](repeating: [], count: fitted.count)
        var foldMeansA = [[String: Double]](repeating: [:], count: fitted.count)
        for (index, b) in baselines.enumerated() {
            var pooled = PairedValues()
            for (fold, models) in fitted.enumerated() {
                switch pairedValues(models[0].evaluations, models[index + 1].evaluations, metrics: metrics) {
                case .success(let paired):
                    pooled.append(paired)
                    foldMeansA[fold] = paired.values.mapValues(Self.mean(\.a))
                    foldMeansB[fold].append(paired.values.mapValues(Self.mean(\.b)))
                case .failure(let failure):
                    return .failure(TrialFailure(kind: failure.kind, message: "fold \(fold): \(failure.message)"))
                }
            }
            let (compared, skipped) = pooled.compared(metrics: metrics, resamples: resamples)
            comparisons.append(
                ModelComparison(
                    a: a, b: b, metricsA: pooledMetrics(fitted.map { $0[0].metrics }, compared.map { ($0.metric, $0.meanA) }),
                    metricsB: pooledMetrics(fitted.map { $0[index + 1].metrics }, compared.map { ($0.metric, $0.meanB) }),
                    comparisons: compared, skipped: skipped))
        }
        let first = metrics.first { metric in fitted.allSatisfy { $0[0].evaluations.perUnit(metric) != nil } }
        let folds = fitted.enumerated().map { fold, models in
            ColdUserFoldComparison.Fold(
                fold: fold, units: first.flatMap { models[0].evaluations.perUnit($0)?.count } ?? 0, meanA: foldMeansA[fold],
                meanB: foldMeansB[fold], fitSeconds: models.map { $0.metrics.timings["fit"] ?? 0 })
        }
        return .success(ColdUserFoldComparison(comparisons: comparisons, folds: folds))
    }

    static func mean(_ side: KeyPath<(a: [Double], b: [Double]), [Double]>) -> ((a: [Double], b: [Double])) -> Double {
        { pair in pair[keyPath: side].isEmpty ? .nan : pair[keyPath: side].reduce(0, +) / Double(pair[keyPath: side].count) }
    }

    /// Pooled means for the compared metrics; the fold mean of every other value all folds report;
    /// fit seconds summed.
    static func pooledMetrics(_ folds: [TrialMetrics], _ pooled: [(String, Double)]) -> TrialMetrics {
        var values: [String: Double] = [:]
        let shared = folds.dropFirst().reduce(Set(folds.first?.values.keys ?? [:].keys)) { $0.intersection($1.values.keys) }
        for key in shared { values[key] = folds.map { $0.values[key]! }.reduce(0, +) / Double(folds.count) }
        for (metric, mean) in pooled { values[metric] = mean }
        return TrialMetrics(values: values, timings: ["fit": folds.map { $0.timings["fit"] ?? 0 }.reduce(0, +)])
    }
}

/// Each fold's outcome, written by whichever thread ran it.
private final class FoldResults: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<[FittedEvaluation], TrialFailure>?]
    private var anyFailed = false

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    var failed: Bool { lock.withLock { anyFailed } }

    func set(_ fold: Int, _ outcome: Result<[FittedEvaluation], TrialFailure>) {
        lock.withLock {
            outcomes[fold] = outcome
            if case .failure = outcome { anyFailed = true }
        }
    }

    func get(_ fold: Int) -> Result<[FittedEvaluation], TrialFailure>? { lock.withLock { outcomes[fold] } }
}

/// Hands out fold numbers in ascending order, once each.
private final class FoldCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
