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

/// What one fold contributes to the pooled comparison: each model's reported figures and, per
/// baseline, the paired per-unit values. Kept on disk per fold with `compare --resume-dir`.
struct FoldOutcome: Codable, Equatable {
    /// The comparison it belongs to (models, seeds, data request, metrics): a file written by
    /// another comparison is refused, not pooled.
    var identity: String
    var fold: Int
    /// The model under test's, then each baseline's.
    var metrics: [TrialMetrics]
    /// One per baseline, in order.
    var paired: [PairedValues]
}

extension TrialRunner {
    /// ``compare(_:against:dataset:metrics:resamples:cancel:progress:)`` on every fold of the
    /// cold-users draw `dataset.split` names (fold 0, the draw itself; it must not name a fold),
    /// pooling each fold's per-user values into one paired test per metric and baseline. Folds run
    /// `jobs` at a time, each as compare runs it; the result does not depend on `jobs`. With
    /// `resumeFolder`, each finished fold is written there (`fold-K.json`) and a fold already there
    /// from the same comparison is read instead of trained: a crash loses only folds in progress.
    public func compareColdUserFolds(
        _ a: TrialConfig, against baselines: [TrialConfig], dataset: DatasetSpec,
        metrics: [String] = defaultComparisonMetrics, resamples: Int = 10_000, jobs: Int = 1, resumeFolder: String? = nil,
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
        let store = resumeFolder.map {
            FoldStore(folder: $0, identity: FoldStore.identity(a, baselines, dataset, metrics), models: baselines.count + 1)
        }
        let results = FoldResults(count: foldCount)
        let next = FoldCounter()
        @Sendable func work(_: Int) {
            while let fold = next.take(below: foldCount), !results.failed, !cancel.isCancelled {
                do {
                    if let saved = try store?.load(fold) {
                        results.set(fold, .success(saved))
                        continue
                    }
                } catch {
                    results.set(fold, .failure(TrialFailure(kind: .deterministic, message: "\(error)")))
                    continue
                }
                var spec = dataset
                spec.split = .coldUsers(testFraction: draw.testFraction, seed: draw.seed, fold: fold)
                let outcome: Result<FoldOutcome, TrialFailure>
                do {
                    let data = try self.data(for: spec).0
                    outcome = Self.fitAndEvaluate([a] + baselines, on: data, cancel: cancel) { model, step in
                        progress(model, fold, foldCount, step)
                    }.flatMap { fitted in Self.foldOutcome(fitted, fold: fold, metrics: metrics, identity: store?.identity ?? "") }
                } catch {
                    outcome = .failure(Self.dataFailure(error))
                }
                if case .success(let value) = outcome, let store {
                    do {
                        try store.save(value)
                    } catch {
                        results.set(fold, .failure(TrialFailure(kind: .infrastructure, message: "\(error)")))
                        continue
                    }
                }
                results.set(fold, outcome)
            }
        }
        let workers = max(1, min(jobs, foldCount))
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        var outcomes: [FoldOutcome] = []
        for fold in 0..<foldCount {
            switch results.get(fold) {
            case .success(let value)?: outcomes.append(value)
            case .failure(let failure)?:
                return .failure(TrialFailure(kind: failure.kind, message: "fold \(fold) of \(foldCount): \(failure.message)"))
            case nil: return .failure(TrialFailure(kind: .infrastructure, message: "cancelled before fold \(fold) of \(foldCount)"))
            }
        }
        return .success(Self.pool(a, against: baselines, outcomes, metrics: metrics, resamples: resamples))
    }

    /// One fold's models reduced to what pooling needs (the units checked to be the same).
    static func foldOutcome(_ fitted: [FittedEvaluation], fold: Int, metrics: [String], identity: String) -> Result<FoldOutcome, TrialFailure> {
        var paired: [PairedValues] = []
        for baseline in fitted.dropFirst() {
            switch pairedValues(fitted[0].evaluations, baseline.evaluations, metrics: metrics) {
            case .success(let value): paired.append(value)
            case .failure(let failure): return .failure(failure)
            }
        }
        return .success(FoldOutcome(identity: identity, fold: fold, metrics: fitted.map(\.metrics), paired: paired))
    }

    /// The folds' per-user values pooled per baseline, in fold order.
    static func pool(
        _ a: TrialConfig, against baselines: [TrialConfig], _ outcomes: [FoldOutcome], metrics: [String], resamples: Int
    ) -> ColdUserFoldComparison {
        var comparisons: [ModelComparison] = []
        for (index, b) in baselines.enumerated() {
            var pooled = PairedValues()
            for outcome in outcomes { pooled.append(outcome.paired[index]) }
            let (compared, skipped) = pooled.compared(metrics: metrics, resamples: resamples)
            comparisons.append(
                ModelComparison(
                    a: a, b: b, metricsA: pooledMetrics(outcomes.map { $0.metrics[0] }, compared.map { ($0.metric, $0.meanA) }),
                    metricsB: pooledMetrics(outcomes.map { $0.metrics[index + 1] }, compared.map { ($0.metric, $0.meanB) }),
                    comparisons: compared, skipped: skipped))
        }
        let folds = outcomes.map { outcome in
            let first = outcome.paired.first
            let unitMetric = metrics.first { first?.values[$0] != nil }
            return ColdUserFoldComparison.Fold(
                fold: outcome.fold, units: unitMetric.flatMap { first?.values[$0]?.a.count } ?? 0,
                meanA: first?.values.mapValues { Self.mean($0.a) } ?? [:],
                meanB: outcome.paired.map { $0.values.mapValues { Self.mean($0.b) } },
                fitSeconds: outcome.metrics.map { $0.timings["fit"] ?? 0 })
        }
        return ColdUserFoldComparison(comparisons: comparisons, folds: folds)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

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

/// `compare --resume-dir`: one JSON file per finished fold, written whole (temporary file, then
/// rename) so a crash never leaves half a fold behind.
struct FoldStore: Sendable {
    var folder: String
    var identity: String
    /// The model under test and the baselines.
    var models: Int

    /// Everything that decides a fold's values: the models and seeds, the data request (with the
    /// draw, fold 0), the metrics.
    static func identity(_ a: TrialConfig, _ baselines: [TrialConfig], _ dataset: DatasetSpec, _ metrics: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(dataset)).map { String(decoding: $0, as: UTF8.self) } ?? dataset.split?.canonicalText ?? ""
        let models = ([a] + baselines).map { "\($0.label) seed \($0.seed)" }.joined(separator: "; ")
        return "models: \(models) | data: \(data) | metrics: \(metrics.joined(separator: ","))"
    }

    func path(_ fold: Int) -> String { (folder as NSString).appendingPathComponent("fold-\(fold).json") }

    /// The fold's outcome when this comparison wrote it before; nil when there is no file.
    func load(_ fold: Int) throws -> FoldOutcome? {
        let file = path(fold)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let outcome: FoldOutcome
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            outcome = try decoder.decode(FoldOutcome.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw RuntimeError("\(file): not a fold written by compare --all-folds (\(error)); delete it to train that fold again")
        }
        guard outcome.identity == identity, outcome.fold == fold else {
            throw RuntimeError(
                "\(file) was written by another comparison (\(outcome.identity)); use another --resume-dir, or delete the folder to start over")
        }
        // The same comparison, but the file may have been edited or damaged: check its shape
        // before pooling trusts it.
        let pairsMatch = outcome.paired.allSatisfy { paired in paired.values.values.allSatisfy { $0.a.count == $0.b.count } }
        guard outcome.metrics.count == models, outcome.paired.count == models - 1, pairsMatch else {
            throw RuntimeError(
                "\(file): damaged (expected \(models) models' figures, \(models - 1) baselines' paired values of equal length); delete it to train that fold again")
        }
        return outcome
    }

    func save(_ outcome: FoldOutcome) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let temporary = path(outcome.fold) + ".partial"
            try encoder.encode(outcome).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path(outcome.fold)) { try FileManager.default.removeItem(atPath: path(outcome.fold)) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path(outcome.fold))
        } catch {
            throw RuntimeError("could not keep fold \(outcome.fold) in \(folder): \(error)")
        }
    }
}

/// Each fold's outcome, written by whichever thread ran it.
private final class FoldResults: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<FoldOutcome, TrialFailure>?]
    private var anyFailed = false

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    var failed: Bool { lock.withLock { anyFailed } }

    func set(_ fold: Int, _ outcome: Result<FoldOutcome, TrialFailure>) {
        lock.withLock {
            outcomes[fold] = outcome
            if case .failure = outcome { anyFailed = true }
        }
    }

    func get(_ fold: Int) -> Result<FoldOutcome, TrialFailure>? { lock.withLock { outcomes[fold] } }
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
