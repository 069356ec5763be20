import RecData
import RecEval

/// Off-policy estimates of a target policy's value (its click rate) from a single-action log.
///
/// With w_i = π(a_i | x_i) / p_i (clipped to min(w_i, M) only when ``weightClip`` is set):
/// - IPS = (1/n) Σ w_i r_i: unbiased when the propensities are true and π0 covers π; its variance
///   grows with the weights.
/// - SNIPS = Σ w_i r_i / Σ w_i: IPS normalised by the weights' mean (1 in expectation); biased by
///   O(1/n), much less variable when weights are large.
/// - DR = (1/n) Σ_i [Σ_{a ∈ C_i} π(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))]: the reward model's
///   prediction corrected by the weighted residual of the logged action; unbiased when either the
///   propensities or q̂ are right. q̂ must not have been fitted on the impression it corrects:
///   ``ItemRewardModel/crossFitted(_:folds:priorStrength:seed:)`` gives 2-fold cross-fitted predictions.
/// - ESS = (Σ w)² / Σ w².
///
/// Intervals: percentile bootstrap over impressions. For b = 1…B, n impressions are drawn
/// uniformly with replacement (SplitMix64 `next(below: n)`, the draws of ``RecEval/BootstrapInterval``
/// with the same seed), and IPS, SNIPS and DR are recomputed on the same draws; q̂ is held fixed (not
/// refitted per resample). The interval is the (α/2, 1 − α/2) percentile pair of the B values
/// (``RecEval/BootstrapInterval/percentiles(sorted:confidence:)``). For IPS and DR this is exactly
/// `BootstrapInterval(terms, zeros, …)` of their per-impression terms.
/// - Complexity: O(slots + B · n) time, O(n + B) memory.
/// - Determinism: the same log, probabilities, predictions and seed give the same estimate.
public struct OffPolicyEstimator: Sendable {
    /// M: weights above it are replaced by M (biases IPS and DR down, reported). Nil: no clipping.
    public var weightClip: Double?
    /// B, the bootstrap resamples.
    public var resamples: Int
    public var confidence: Double
    public var seed: UInt64

    public init(weightClip: Double? = nil, resamples: Int = 1_000, confidence: Double = 0.95, seed: UInt64 = 1) {
        precondition(weightClip.map { $0.isFinite && $0 > 0 } ?? true, "weight clip must be > 0, got \(weightClip!)")
        precondition(resamples >= 1, "bootstrap needs at least one resample, got \(resamples)")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got \(confidence)")
        self.weightClip = weightClip
        self.resamples = resamples
        self.confidence = confidence
        self.seed = seed
    }

    /// Estimates the value of the policy giving `targetProbabilities` (π(a|x_i) per slot of `log`,
    /// each impression's summing to 1), with DR when `rewardPredictions` (q̂ per slot) are given.
    /// - Throws: ``OffPolicyError`` for an empty log, or an impression whose probabilities are
    ///   negative, not finite or do not sum to 1 (within 1e-6), naming it.
    public func estimate(
        _ log: BanditLog, targetProbabilities: [Double], rewardPredictions: [Double]? = nil
    ) throws(OffPolicyError) -> OffPolicyEstimate {
        guard !log.isEmpty else {
            throw OffPolicyError("the log has no impressions", hint: "nothing to estimate from")
        }
        precondition(targetProbabilities.count == log.items.count, "\(targetProbabilities.count) probabilities for \(log.items.count) slots")
        precondition(rewardPredictions.map { $0.count == log.items.count } ?? true, "one reward prediction per slot")
        let n = log.count
        var weights = [Double](repeating: 0, count: n)
        var ipsTerms = [Double](repeating: 0, count: n)
        var drTerms = [Double](repeating: 0, count: n)
        var directTotal = 0.0
        var maxWeight = 0.0
        var clipped = 0
        for impression in 0..<n {
            var total = 0.0
            for slot in log.slots(of: impression) {
                let p = targetProbabilities[slot]
                guard p.isFinite, p >= 0 else {
                    throw OffPolicyError("impression \(impression) (context \(log.contexts[impression])): target probability \(p) at slot \(slot - log.slotStarts[impression])")
                }
                total += p
            }
            guard abs(total - 1) <= 1e-6 else {
                throw OffPolicyError(
                    "impression \(impression) (context \(log.contexts[impression])): target probabilities sum to \(total), not 1")
            }
            let logged = log.loggedSlots[impression]
            var weight = targetProbabilities[logged] / log.propensities[impression]
            maxWeight = max(maxWeight, weight)
            if let weightClip, weight > weightClip {
                weight = weightClip
                clipped += 1
            }
            weights[impression] = weight
            let reward = log.rewards[impression]
            ipsTerms[impression] = weight * reward
            if let rewardPredictions {
                var direct = 0.0
                for slot in log.slots(of: impression) { direct += targetProbabilities[slot] * rewardPredictions[slot] }
                directTotal += direct
                drTerms[impression] = direct + weight * (reward - rewardPredictions[logged])
            }
        }
        let weightTotal = weights.reduce(0, +)
        let weightSquares = weights.reduce(0) { $0 + $1 * $1 }
        let ipsTotal = ipsTerms.reduce(0, +)
        let bootstrap = Self.bootstrap(
            ipsTerms: ipsTerms, weights: weights, drTerms: rewardPredictions == nil ? nil : drTerms, resamples: resamples,
            seed: seed)
        func interval(_ estimate: Double, _ sorted: [Double]) -> OffPolicyEstimate.Interval {
            let (lower, upper) = BootstrapInterval.percentiles(sorted: sorted, confidence: confidence)
            return .init(estimate: estimate, lower: lower, upper: upper)
        }
        let count = Double(n)
        return OffPolicyEstimate(
            impressions: n,
            ips: interval(ipsTotal / count, bootstrap.ips),
            snips: weightTotal > 0 && !bootstrap.snips.isEmpty ? interval(ipsTotal / weightTotal, bootstrap.snips) : nil,
            doublyRobust: rewardPredictions == nil ? nil : interval(drTerms.reduce(0, +) / count, bootstrap.doublyRobust),
            directMethod: rewardPredictions == nil ? nil : directTotal / count,
            loggedRewardMean: log.loggedRewardMean,
            effectiveSampleSize: weightSquares > 0 ? weightTotal * weightTotal / weightSquares : 0,
            meanWeight: weightTotal / count, maxWeight: maxWeight, weightClip: weightClip, clippedWeights: clipped,
            degenerateResamples: bootstrap.degenerate, resamples: resamples, confidence: confidence, seed: seed)
    }

    /// The B resampled IPS, SNIPS and DR values, each sorted ascending; SNIPS leaves out resamples
    /// whose weights sum to 0 (counted as `degenerate`).
    static func bootstrap(
        ipsTerms: [Double], weights: [Double], drTerms: [Double]?, resamples: Int, seed: UInt64
    ) -> (ips: [Double], snips: [Double], doublyRobust: [Double], degenerate: Int) {
        let n = ipsTerms.count
        var generator = SeededGenerator(seed: seed)
        var ips = [Double](repeating: 0, count: resamples)
        var snips: [Double] = []
        snips.reserveCapacity(resamples)
        var doublyRobust = [Double](repeating: 0, count: drTerms == nil ? 0 : resamples)
        var degenerate = 0
        let dr = drTerms ?? [Double](repeating: 0, count: n)
        ipsTerms.withUnsafeBufferPointer { ipsTerm in
            weights.withUnsafeBufferPointer { weight in
                dr.withUnsafeBufferPointer { drTerm in
                    for resample in 0..<resamples {
                        var ipsSum = 0.0, weightSum = 0.0, drSum = 0.0
                        for _ in 0..<n {
                            let k = generator.next(below: n)
                            ipsSum += ipsTerm[k]
                            weightSum += weight[k]
                            drSum += drTerm[k]
                        }
                        ips[resample] = ipsSum / Double(n)
                        if weightSum > 0 { snips.append(ipsSum / weightSum) } else { degenerate += 1 }
                        if drTerms != nil { doublyRobust[resample] = drSum / Double(n) }
                    }
                }
            }
        }
        ips.sort()
        snips.sort()
        doublyRobust.sort()
        return (ips, snips, doublyRobust, degenerate)
    }
}
