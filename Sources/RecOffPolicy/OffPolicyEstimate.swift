/// A target policy's value estimated from a single-action log by ``OffPolicyEstimator``: IPS,
/// SNIPS and doubly robust, each with its percentile bootstrap interval, and the weights' health.
public struct OffPolicyEstimate: Sendable, Equatable, Codable {
    /// A point estimate and its bootstrap interval.
    public struct Interval: Sendable, Equatable, Codable {
        public var estimate: Double
        public var lower: Double
        public var upper: Double

        public init(estimate: Double, lower: Double, upper: Double) {
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
        }

        public func covers(_ value: Double) -> Bool { lower <= value && value <= upper }
        public var width: Double { upper - lower }
    }

    /// n, the logged impressions.
    public var impressions: Int
    /// (1/n) Σ w_i r_i.
    public var ips: Interval
    /// Σ w_i r_i / Σ w_i; nil when every weight is 0 (the target never picks what was shown).
    public var snips: Interval?
    /// (1/n) Σ_i [Σ_a π(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i))]; nil without reward predictions.
    public var doublyRobust: Interval?
    /// (1/n) Σ_i Σ_a π(a|x_i) q̂(x_i, a), the direct method (no interval: it is biased by q̂'s error
    /// and is reported only to show how far DR's correction moved it); nil without predictions.
    public var directMethod: Double?
    /// The logging policy's own value: the mean logged reward.
    public var loggedRewardMean: Double
    /// (Σ w)² / Σ w² of the weights used (clipped when clipping): how many on-policy impressions
    /// the log is worth for this target; n when target = logging, small when few weights dominate.
    public var effectiveSampleSize: Double
    /// Σ w_i / n of the weights used; 1 in expectation with true propensities and no clipping.
    public var meanWeight: Double
    /// The largest weight before clipping.
    public var maxWeight: Double
    /// The clip M (weights min(w, M)), nil when weights are not clipped.
    public var weightClip: Double?
    /// Weights above M that were clipped.
    public var clippedWeights: Int
    /// Bootstrap resamples whose weights were all 0, left out of SNIPS's interval.
    public var degenerateResamples: Int
    public var resamples: Int
    public var confidence: Double
    public var seed: UInt64
}
