public import RecOffPolicy
public import Sweep
import RecData
import RecModels

/// Trained models evaluated as target policies on a MIND split's impressions, off policy.
///
/// The evaluated part's labeled impressions become a single-action log by one uniform draw per
/// impression (``RecOffPolicy/BanditLog/drawingOneCandidate(of:seed:)``: propensity 1/|C| exactly);
/// each model scores every impression's candidates from the impression's own history (as the MIND
/// protocol does), its scores become a target policy (greedy, softmax or ε-greedy), and IPS, SNIPS
/// and DR (q̂: item click rates, 2-fold cross-fitted on the log) estimate its click rate with
/// bootstrap intervals. Because MIND records every candidate's label, each model's
/// full-information value (every label read, slate effects ignored) is reported beside the
/// estimates as the reference they should cover.
public struct OffPolicyRun: Sendable {
    /// One model as a target policy.
    public struct Model: Sendable {
        public var config: TrialConfig
        public var estimate: OffPolicyEstimate
        /// (1/n) Σ_i Σ_a π(a|x_i) label(a): the value read from every label.
        public var fullInformationValue: Double?
        public var fitSeconds: Double
    }

    /// The MIND part the impressions came from (`dev`, or `train` for mind-time).
    public var part: String
    public var policy: TargetPolicy
    /// Seed of the uniform draw of the logged candidates, of the cross-fitting folds and of the bootstrap.
    public var logSeed: UInt64
    /// Impressions skipped (no candidates, or unlabeled).
    public var skippedImpressions: Int
    /// Mean over impressions of the mean label: the uniform logging policy's full-information value.
    public var uniformFullInformationValue: Double?
    public var models: [Model]
}

extension TrialRunner {
    /// Trains each of `configs` on `dataset` (which must have a MIND split) and estimates its value
    /// as `policy` off policy with `estimator` (its seed replaced by `logSeed`).
    public func offPolicy(
        _ configs: [TrialConfig], dataset: DatasetSpec, policy: TargetPolicy, estimator: OffPolicyEstimator,
        logSeed: UInt64, cancel: CancellationFlag = CancellationFlag(),
        progress: (_ model: String, TrialProgress) -> Void = { _, _ in }
    ) -> Result<OffPolicyRun, TrialFailure> {
        let data: PreparedData
        do {
            data = try self.data(for: dataset).0
        } catch {
            return .failure(Self.dataFailure(error))
        }
        guard let impressions = data.impressions else {
            return .failure(
                TrialFailure(
                    kind: .deterministic,
                    message: "off-policy evaluation reads MIND impressions, and split \(dataset.split.map { "\($0)" } ?? "(default)") "
                        + "of domain '\(data.domainName)' has none: use --split mind or mind-time on MIND data or --synthetic"))
        }
        let (log, skipped) = BanditLog.drawingOneCandidate(of: impressions, seed: logSeed)
        guard !log.isEmpty else {
            return .failure(
                TrialFailure(
                    kind: .deterministic,
                    message: "the '\(impressions.split)' impressions have no labeled impression to evaluate on (\(skipped) skipped)"))
        }
        let predictions = ItemRewardModel.crossFitted(log, seed: logSeed)
        var seeded = estimator
        seeded.seed = logSeed
        var uniform = [Double](repeating: 0, count: log.items.count)
        for impression in 0..<log.count {
            let slots = log.slots(of: impression)
            for slot in slots { uniform[slot] = 1 / Double(slots.count) }
        }
        var models: [OffPolicyRun.Model] = []
        for config in configs {
            let clock = ContinuousClock.now
            let model: AnyRecommender
            switch Self.train(config, on: data, cancel: cancel, progress: { progress(config.model, $0) }) {
            case .success(let trained): model = trained
            case .failure(let failure): return .failure(failure)
            }
            let fit = Self.seconds(since: clock)
            let scores = Self.candidateScores(model, log: log, impressions: impressions, itemCount: data.itemCount)
            let probabilities = policy.probabilities(scores: scores, log: log)
            do {
                let estimate = try seeded.estimate(log, targetProbabilities: probabilities, rewardPredictions: predictions)
                models.append(
                    .init(
                        config: config, estimate: estimate,
                        fullInformationValue: log.fullInformationValue(targetProbabilities: probabilities), fitSeconds: fit))
            } catch {
                return .failure(TrialFailure(kind: .deterministic, message: "\(config.label): \(error)"))
            }
        }
        return .success(
            OffPolicyRun(
                part: impressions.split, policy: policy, logSeed: logSeed, skippedImpressions: skipped,
                uniformFullInformationValue: log.fullInformationValue(targetProbabilities: uniform), models: models))
    }

    /// The model's score of every slot of `log`, each impression scored from its own history.
    static func candidateScores(_ model: AnyRecommender, log: BanditLog, impressions: MINDImpressionLog, itemCount: Int) -> [Double] {
        var longest = 1
        for impression in 0..<log.count { longest = max(longest, log.slots(of: impression).count) }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: longest)
        defer { buffer.deallocate() }
        var scores = [Double](repeating: 0, count: log.items.count)
        for impression in 0..<log.count {
            let source = log.contexts[impression]
            let slots = log.slots(of: impression)
            let window = UnsafeMutableBufferPointer(rebasing: buffer[0..<slots.count])
            window.update(repeating: .nan)
            model.scoreCandidates(
                user: impressions.users[source], history: impressions.history(of: source),
                candidates: impressions.candidates(of: source), itemCount: itemCount, into: window)
            for (offset, slot) in slots.enumerated() { scores[slot] = Double(window[offset]) }
        }
        return scores
    }
}
