import Foundation
public import ParameterSpecs
import RecData
import RecEval
public import RecModels
public import Sweep

/// Runs one trial: the built-in `noop` and `sleep` kinds, or a model from ``ModelRegistry``
/// trained on prepared data and evaluated on its held-out split.
///
/// Every figure it reports is measured on the test split (never on training data), except
/// per-epoch progress values, which are training loss and are labelled as such, and a model's
/// ``RecModels/Recommender/fitSummary`` (e.g. a hybrid's `content_weight` and
/// `validation_ndcg@10`, chosen on rows held out of training).
///
/// ## Which failures are retried
/// A failure is ``Sweep/FailureKind/infrastructure`` (the coordinator retries it within the
/// sweep's `retries`, and a later run of the sweep runs it again) when its cause lies outside the
/// trial's configuration, so the same configuration can succeed once the environment is fixed. It
/// is ``Sweep/FailureKind/deterministic`` (final) when the configuration itself fails on this data,
/// so running it again would fail the same way. The rule:
/// - Every error while generating, reading, parsing or splitting the data set is infrastructure: a
///   missing or unreadable path, an I/O error, a full disk, a malformed line, a data set without
///   the domain or MIND part the sweep asks for. The files behind a `path:` are not part of a
///   trial's identity (see ``Sweep/DatasetSpec``'s fingerprint), so the user fixes or fetches them
///   and reruns, and the same trials must run again. (A fix in the sweep file instead changes the
///   data set's fingerprint, hence the trial ids, so nothing stale is retried either way.) The cost
///   of the rule: a data set that can never load is read `retries + 1` times per trial.
/// - Errors building or fitting the model are deterministic: ``RecModels/ModelError`` (a parameter
///   or a combination the model rejects, divergence, a model that does not fit this kind of data)
///   and any error not known to come from the environment. An I/O error that escapes a model
///   (``RecData/DataError`` of kind `io` or `missingFile`, `CocoaError`, `POSIXError`) is
///   infrastructure.
/// - Running out of memory kills the worker process; the coordinator counts the lost worker's
///   trial as an infrastructure failure (nothing to decide here). A trial stopped by the
///   coordinator's cancel is infrastructure too (it is handed back, not failed).
public final class TrialRunner: @unchecked Sendable {
    /// Guards the cache; waited on by trials whose data another trial is preparing.
    private let lock = NSCondition()
    private var prepared: [DatasetSpec: PreparedData] = [:]
    /// Cached requests, least recently used first.
    private var recency: [DatasetSpec] = []
    /// Requests being prepared now (by one trial each).
    private var preparing: Set<DatasetSpec> = []
    private var cacheCounts = DataCacheCounts()
    private let maximumCachedData: Int
    /// Given to every model as ``RecModels/TrainingData/textEmbedder`` (content `minilm` features).
    public let textEmbedder: (any ItemTextEmbedder)?

    /// - Parameters:
    ///   - maximumCachedData: distinct data requests kept in memory (the least recently used is
    ///     evicted first).
    ///   - textEmbedder: the sentence encoder behind the embedding cache, for `minilm` features; a
    ///     trial asking for them without one fails, saying how to get the model.
    public init(maximumCachedData: Int = 4, textEmbedder: (any ItemTextEmbedder)? = nil) {
        self.maximumCachedData = maximumCachedData
        self.textEmbedder = textEmbedder
    }

    /// The models this runner can run, with their hyperparameters, for validation and hello messages.
    public static var catalog: ModelCatalog {
        // Every model gets the top-K metrics of ``evaluate``, and the MIND impression metrics a MIND
        // split adds; rating metrics where the model predicts ratings.
        let ranking = ["precision", "recall", "ndcg", "hit_rate", "map", "coverage"].flatMap { name in [5, 10, 20].map { "\(name)@\($0)" } } + ["mrr"]
        let impressions = ["mind_auc", "mind_mrr", "mind_ndcg@5", "mind_ndcg@10"]
        // The sampled-negative protocol (`sampled:`), named so that no table mixes it with full ranking.
        let sampled = ["hit_rate", "ndcg"].flatMap { name in [1, 5, 10].map { "sampled_\(name)@\($0)" } } + ["sampled_mrr"]
        var models = ModelRegistry.catalog.models.map { model in
            var model = model
            // Rating metrics and what a model reports of its own fit (a hybrid's learned weight) stay.
            model.metrics =
                (model.metrics.filter { !ModelRegistry.rankingMetrics.contains($0) }) + ranking + impressions + sampled + [SimulatedCTR.metric]
            return model
        }
        models.append(
            ModelCatalog.Model(
                name: "noop", family: "builtin", parameters: [], metrics: []))
        models.append(
            ModelCatalog.Model(
                name: "sleep", family: "builtin",
                parameters: [
                    ParameterSpec(name: "seconds", kind: .double(0...3600), defaultValue: .double(0.05), help: "time to sleep"),
                    ParameterSpec(name: "fail", kind: .bool, defaultValue: .bool(false), help: "throw a deterministic failure"),
                    ParameterSpec(name: "hang", kind: .bool, defaultValue: .bool(false), help: "never finish (until cancelled)"),
                ],
                metrics: []))
        models.append(
            ModelCatalog.Model(
                name: "curve", family: "builtin",
                parameters: [
                    ParameterSpec(name: "x", kind: .double(0...2), defaultValue: .double(1), help: "position; best at 0.7"),
                    ParameterSpec(name: "lr", kind: .double(1e-5...1), defaultValue: .double(0.01), help: "best at 0.003 (log scale)"),
                    ParameterSpec(name: "kind", kind: .choice(["a", "b", "c", "d"]), defaultValue: .string("a"), help: "best b"),
                    ParameterSpec(name: "epochs", kind: .int(1...1000), defaultValue: .int(9), help: "epochs of the curve"),
                    ParameterSpec(name: "seconds", kind: .double(0...10), defaultValue: .double(0), help: "sleep per epoch"),
                ],
                metrics: []))
        return ModelCatalog(models: models)
    }

    /// The built-in `curve` trial's loss after `epoch` epochs: a known function of its parameters
    /// (best at x 0.7, lr 0.003, kind b) plus a learning curve 0.5/epoch, so searches and early
    /// stopping can be tested end to end without training anything. `offset` tells the test
    /// figure (`score`) from the validation one.
    static func curveLoss(_ config: TrialConfig, epoch: Int, offset: Double) -> Double {
        let x = config.parameters["x"]?.doubleValue ?? 1
        let lr = config.parameters["lr"]?.doubleValue ?? 0.01
        let kind = config.parameters["kind"]?.stringValue ?? "a"
        let base = pow(log10(lr) - log10(0.003), 2) + pow(x - 0.7, 2) + (kind == "b" ? 0 : 0.3)
        return base + 0.5 / Double(max(epoch, 1)) + offset
    }

    /// What the built-in `noop` and `sleep` trials report.
    static let builtinMetrics: Set<String> = ["score", "validation_score"]

    /// Counts every model trial reports beside its metrics (see ``Evaluations/values``): not
    /// metrics to rank by, so not in the catalog, but part of a valid result.
    static let evaluationCounts: Set<String> = ["users_evaluated", "mind_impressions", "sampled_rows"]

    /// What a model with epochs reports on a `validation:` holdout (``RecModels/ValidationRows``),
    /// carried into its result from the last epoch.
    static let validationMetrics: Set<String> = Set(
        (["rmse", "mrr"] + ValidationRows.cutoffs.flatMap { k in ["ndcg", "recall", "precision", "hit_rate"].map { "\($0)@\(k)" } })
            .map { "validation_" + $0 })

    /// Runs `config`. `dataset` is needed by model trials, ignored by built-ins.
    public func run(
        _ config: TrialConfig, dataset datasetRequest: DatasetSpec?, cancel: CancellationFlag,
        progress: (TrialProgress) -> Void = { _ in }
    ) -> Result<TrialMetrics, TrialFailure> {
        switch config.model {
        case "noop":
            return .success(TrialMetrics(values: ["score": Self.configurationScore(config)]))
        case "sleep":
            return runSleep(config, cancel: cancel)
        case "curve":
            return runCurve(config, cancel: cancel, progress: progress)
        default:
            return runModel(config, datasetRequest: datasetRequest, cancel: cancel, progress: progress)
        }
    }

    /// A deterministic pseudo-score in [0, 1) from the configuration, so built-in trials give
    /// leaderboards that can be compared across runs and worker counts.
    static func configurationScore(_ config: TrialConfig) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(config.label)#\(config.seed)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Double(hash >> 11) * 0x1.0p-53
    }

    /// `validation_score` per epoch as progress, then `score` and `validation_score` at the end.
    private func runCurve(
        _ config: TrialConfig, cancel: CancellationFlag, progress: (TrialProgress) -> Void
    ) -> Result<TrialMetrics, TrialFailure> {
        let epochs = config.parameters["epochs"]?.intValue ?? 9
        let seconds = config.parameters["seconds"]?.doubleValue ?? 0
        let cancelled = TrialFailure(kind: .infrastructure, message: "cancelled by the coordinator")
        for epoch in 1...epochs {
            if seconds > 0 {
                if cancel.wait(for: .milliseconds(Int64(seconds * 1000))) { return .failure(cancelled) }
            } else if cancel.isCancelled {
                return .failure(cancelled)
            }
            let value = Self.curveLoss(config, epoch: epoch, offset: 0)
            progress(TrialProgress(epoch: epoch, totalEpochs: epochs, values: ["validation_score": value]))
        }
        return .success(
            TrialMetrics(
                values: [
                    "score": Self.curveLoss(config, epoch: epochs, offset: 0.01),
                    "validation_score": Self.curveLoss(config, epoch: epochs, offset: 0),
                ],
                timings: ["fit": seconds * Double(epochs)]))
    }

    private func runSleep(_ config: TrialConfig, cancel: CancellationFlag) -> Result<TrialMetrics, TrialFailure> {
        let seconds = config.parameters["seconds"]?.doubleValue ?? 0.05
        let hang = config.parameters["hang"]?.boolValue ?? false
        if config.parameters["fail"]?.boolValue ?? false {
            return .failure(TrialFailure(kind: .deterministic, message: "sleep: failed on request (fail: true)"))
        }
        let cancelled = TrialFailure(kind: .infrastructure, message: "cancelled by the coordinator")
        if hang {
            while !cancel.wait(for: .seconds(3600)) {}
            return .failure(cancelled)
        }
        if cancel.wait(for: .milliseconds(Int64(seconds * 1000))) { return .failure(cancelled) }
        return .success(TrialMetrics(values: ["score": Self.configurationScore(config)], timings: ["fit": seconds]))
    }

    /// Lookups of prepared data sets so far: a model trial's data found in memory (a hit) or
    /// loaded, split and built (a miss, counted also when preparing fails). Built-in trials look
    /// nothing up. Trials that ask for data another trial is preparing wait for it and count a hit
    /// (the data is prepared once, however many slots start on it together); if that preparation
    /// fails, the next of them prepares it itself.
    public struct DataCacheCounts: Sendable, Hashable {
        public var hits = 0
        public var misses = 0
    }

    /// The prepared-data cache's hits and misses since this runner was made. Thread-safe.
    public var dataCacheCounts: DataCacheCounts { lock.withLock { cacheCounts } }

    func data(for request: DatasetSpec) throws -> (PreparedData, loadSeconds: Double?) {
        lock.lock()
        while preparing.contains(request) { lock.wait() }
        if let cached = prepared[request] {
            cacheCounts.hits += 1
            recency.removeAll { $0 == request }
            recency.append(request)
            lock.unlock()
            return (cached, nil)
        }
        cacheCounts.misses += 1
        preparing.insert(request)
        lock.unlock()
        defer {
            lock.lock()
            preparing.remove(request)
            lock.broadcast()
            lock.unlock()
        }
        var data = try PreparedData.prepare(request)
        data.training.textEmbedder = textEmbedder
        lock.lock()
        if prepared.count >= maximumCachedData, !recency.isEmpty {
            prepared[recency.removeFirst()] = nil
        }
        prepared[request] = data
        recency.append(request)
        lock.unlock()
        return (data, data.loadSeconds)
    }

    private func runModel(
        _ config: TrialConfig, datasetRequest: DatasetSpec?, cancel: CancellationFlag, progress: (TrialProgress) -> Void
    ) -> Result<TrialMetrics, TrialFailure> {
        let data: PreparedData
        let loadSeconds: Double?
        switch load(config, datasetRequest) {
        case .success(let loaded): (data, loadSeconds) = loaded
        case .failure(let failure): return .failure(failure)
        }
        var timings: [String: Double] = [:]
        if let loadSeconds { timings["load"] = loadSeconds }
        let fitStart = ContinuousClock.now
        let model: AnyRecommender
        // The last epoch's validation figures (a `validation:` holdout) join the result: what an
        // adaptive search observes for the trial, measured without the test rows.
        var lastValidation: [String: Double] = [:]
        let reporting: (TrialProgress) -> Void = { report in
            for (name, value) in report.values where name.hasPrefix("validation_") { lastValidation[name] = value }
            progress(report)
        }
        switch Self.train(config, on: data, cancel: cancel, progress: reporting) {
        case .success(let trained): model = trained
        case .failure(let failure): return .failure(failure)
        }
        timings["fit"] = Self.seconds(since: fitStart)
        let evaluateStart = ContinuousClock.now
        // The model's own fit figures (validation scores, learned weights: no test data) beside the
        // test metrics; a name clash would be a bug, and the test metric wins.
        let evaluations = Self.evaluations(model, on: data)
        if let failure = Self.nothingEvaluated(evaluations, on: data) { return .failure(failure) }
        var values = evaluations.values.merging(model.fitSummary) { test, _ in test }.merging(lastValidation) { kept, _ in kept }
        // On generated data, the planted users' expected CTR of the model's slates (exact, no test rows).
        if let simulation = data.simulation, let ctr = try? simulation.value(for: model), ctr.isFinite {
            values[SimulatedCTR.metric] = ctr
        }
        timings["evaluate"] = Self.seconds(since: evaluateStart)
        return .success(TrialMetrics(values: values, timings: timings))
    }

    /// The prepared data of a model trial (cached), or why not.
    private func load(_ config: TrialConfig, _ request: DatasetSpec?) -> Result<(PreparedData, Double?), TrialFailure> {
        guard let request else {
            return .failure(TrialFailure(kind: .deterministic, message: "\(config.model): the trial carries no data set"))
        }
        do {
            return .success(try data(for: request))
        } catch {
            return .failure(Self.dataFailure(error))
        }
    }

    /// A failure to prepare the data set: always infrastructure (see "Which failures are retried").
    static func dataFailure(_ error: any Error) -> TrialFailure {
        TrialFailure(kind: .infrastructure, message: "data: \(error)")
    }

    /// A failure to build or fit the model: deterministic unless the error comes from the
    /// environment (see "Which failures are retried").
    static func modelFailure(_ error: any Error) -> TrialFailure {
        TrialFailure(kind: isEnvironmental(error) ? .infrastructure : .deterministic, message: "\(error)")
    }

    /// Whether `error` reports the file system or the operating system rather than the model.
    static func isEnvironmental(_ error: any Error) -> Bool {
        switch error {
        case let data as DataError: return data.kind == .io || data.kind == .missingFile
        case is CocoaError, is POSIXError: return true
        default: return false
        }
    }

    /// Builds and fits `config`'s model on the training part of `data`, reporting each epoch and
    /// stopping when `cancel` is set.
    static func train(
        _ config: TrialConfig, on data: PreparedData, cancel: CancellationFlag, progress: (TrialProgress) -> Void
    ) -> Result<AnyRecommender, TrialFailure> {
        var model: AnyRecommender
        do {
            model = try ModelRegistry.make(config.model, parameters: config.parameters, seed: config.seed)
        } catch {
            return .failure(modelFailure(error))
        }
        var stoppedByCancel = false
        do {
            try model.fit(data.training) { epoch in
                progress(TrialProgress(epoch: epoch.epoch, totalEpochs: epoch.totalEpochs, values: epoch.values))
                if cancel.isCancelled {
                    stoppedByCancel = true
                    return .stop
                }
                return .proceed
            }
        } catch {
            return .failure(modelFailure(error))
        }
        if stoppedByCancel || cancel.isCancelled {
            return .failure(TrialFailure(kind: .infrastructure, message: "cancelled by the coordinator"))
        }
        return .success(model)
    }

    /// What ``evaluations(_:on:)`` measured: each protocol's full result (per user, per impression).
    struct Evaluations {
        var rating: RatingEvaluation?
        var topK: TopKEvaluation?
        var impressions: ImpressionEvaluation?
        var sampled: SampledRankingEvaluation?

        /// The reported figures: `rmse`, `mae`, every top-K metric, `users_evaluated`, the
        /// `mind_*` metrics and `mind_impressions`.
        var values: [String: Double] {
            var values: [String: Double] = [:]
            // No predicted row gives NaN: left out (as for every other metric), so that output never
            // shows 'rmse nan' and a trial that measured nothing fails in nothingEvaluated.
            if let rating, rating.rmse.isFinite, rating.mae.isFinite {
                values["rmse"] = rating.rmse
                values["mae"] = rating.mae
            }
            if let topK {
                for name in topK.metricNames { if let value = topK.value(name), value.isFinite { values[name] = value } }
                values["users_evaluated"] = Double(topK.counts.usersEvaluated)
            }
            if let impressions {
                for name in ImpressionEvaluation.metricNames {
                    if let value = impressions.value(name), value.isFinite { values["mind_" + name] = value }
                }
                values["mind_impressions"] = Double(impressions.counts.impressionsScored)
            }
            if let sampled {
                for name in sampled.metricNames {
                    if let value = sampled.value(name), value.isFinite { values["sampled_" + name] = value }
                }
                values["sampled_rows"] = Double(sampled.counts.rowsEvaluated)
            }
            return values
        }

        /// Per-user (top-K) or per-impression (`mind_*`) values of `metric`, aligned across two
        /// models evaluated on the same data; nil for a metric that has none.
        func perUnit(_ metric: String) -> [Double]? {
            if metric.hasPrefix("mind_") { return impressions?.perImpression(String(metric.dropFirst("mind_".count))) }
            if metric.hasPrefix("sampled_") { return sampled?.perUser(String(metric.dropFirst("sampled_".count))) }
            return topK?.perUser(metric)
        }
    }

    /// Held-out metrics: RMSE/MAE when the model predicts ratings on explicit data, and top-K
    /// metrics (candidates: items seen in training minus the user's own, or with a cold-items split
    /// only the held-out items, ``PreparedData/candidateItems``; relevant: test ratings ≥ 4 on
    /// explicit data, every test row on implicit data). With a MIND split, also the MIND
    /// impression metrics of the evaluated part (`mind_auc`, `mind_mrr`, `mind_ndcg@5`,
    /// `mind_ndcg@10`, as the official scorer; `mind_impressions` scored): each impression is
    /// scored from its own history (``Recommender/scoreCandidates``).
    static func evaluations(_ model: AnyRecommender, on data: PreparedData) -> Evaluations {
        var result = Evaluations()
        let split = Split(name: data.domainName, train: data.training.interactions, test: data.test)
        if data.isExplicit, model.predictRating(user: 0, item: 0) != nil {
            result.rating = RatingEvaluator().evaluate(split) { user, item in model.predictRating(user: user, item: item) }
        }
        if let evaluator = try? TopKEvaluator(
            ks: [5, 10, 20], relevanceThreshold: data.isExplicit ? TopKEvaluator.explicitRelevanceThreshold : nil,
            candidatePolicy: data.candidateItems.map { .stated($0) } ?? .itemsSeenInTraining)
        {
            result.topK = evaluator.evaluate(split, userCount: data.userCount, itemCount: data.itemCount) { user, scores in
                model.scoreAll(user: user, into: scores)
            }
        }
        if let candidates = data.sampledCandidates, let evaluator = try? SampledRankingEvaluator(ks: [1, 5, 10]) {
            result.sampled = evaluator.evaluate(candidates) { user, scores in model.scoreAll(user: user, into: scores) }
        }
        if let log = data.impressions {
            let itemCount = data.itemCount
            result.impressions = ImpressionEvaluator().evaluate(log) { user, history, candidates, scores in
                model.scoreCandidates(user: user, history: history, candidates: candidates, itemCount: itemCount, into: scores)
            }
        }
        return result
    }

    /// A failure when no protocol measured anything (no rating predicted, no user ranked, no
    /// impression scored): a table of zeros or NaN would look like a result. Says why, from the
    /// evaluator's counts.
    static func nothingEvaluated(_ evaluations: Evaluations, on data: PreparedData) -> TrialFailure? {
        if let rating = evaluations.rating, !rating.rows.isEmpty { return nil }
        if let topK = evaluations.topK, topK.counts.usersEvaluated > 0 { return nil }
        if let impressions = evaluations.impressions, impressions.counts.impressionsScored > 0 { return nil }
        if let sampled = evaluations.sampled, sampled.counts.rowsEvaluated > 0 { return nil }
        var reasons: [String] = []
        if data.test.isEmpty { reasons.append("the split left no test rows") }
        if let counts = evaluations.topK?.counts {
            if counts.usersSkippedNoRelevantRows > 0 {
                let threshold = data.isExplicit ? " (explicit data: relevant means a rating ≥ \(Int(TopKEvaluator.explicitRelevanceThreshold)))" : ""
                reasons.append("\(counts.usersSkippedNoRelevantRows) test users have no relevant row\(threshold)")
            }
            if counts.usersSkippedNoRelevantCandidate > 0 {
                reasons.append(
                    "\(counts.usersSkippedNoRelevantCandidate) test users' relevant items are all outside the candidates "
                        + "(items never seen in training are not ranked)")
            }
        }
        let hint =
            data.isExplicit
            ? "; if the file's values are not ratings (e.g. a column of 1s), describe the file in a data-set file with feedback: implicit (docs/linked-data.md)"
            : ""
        return TrialFailure(
            kind: .deterministic,
            message: "nothing could be evaluated on domain '\(data.domainName)' (\(data.test.count) test rows): "
                + (reasons.isEmpty ? "no user, rating or impression was scored" : reasons.joined(separator: "; ")) + hint)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
