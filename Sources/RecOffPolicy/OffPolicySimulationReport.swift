/// What ``OffPolicySimulation`` measured: per target policy, how IPS, SNIPS and DR did against the
/// exact truth over the seeds, and the goal verdicts.
public struct OffPolicySimulationReport: Sendable, Codable {
    /// One estimator at one target policy, over S seeds with estimates e_s and truth V.
    public struct EstimatorSummary: Sendable, Codable, Equatable {
        /// (1/S) Σ e_s.
        public var meanEstimate: Double
        /// mean − V.
        public var bias: Double
        /// sd(e_s) / √S, the standard error of the bias (sd with S − 1).
        public var biasStandardError: Double
        /// √((1/S) Σ (e_s − V)²).
        public var rmse: Double
        /// Seeds whose interval contains V.
        public var covered: Int
        public var seeds: Int
        /// Mean interval width.
        public var meanIntervalWidth: Double
    }

    /// One target policy π_λ = (1 − λ) π0 + λ · greedy.
    public struct Row: Sendable, Codable, Equatable {
        public var mixture: Double
        /// V(π_λ), exact.
        public var truth: Double
        public var ips: EstimatorSummary
        public var snips: EstimatorSummary
        public var doublyRobust: EstimatorSummary
        /// The direct method's bias (mean over seeds − V): what DR corrects.
        public var directMethodBias: Double
        public var meanEffectiveSampleSize: Double
        /// Mean ESS / n.
        public var meanEffectiveSampleFraction: Double
        public var meanMaxWeight: Double
    }

    /// A goal verdict for one estimator at the near target.
    public struct Goal: Sendable, Codable, Equatable {
        public var estimator: String
        public var mixture: Double
        public var bias: Double
        public var biasStandardError: Double
        /// |bias| + 1.96 · SE: the bias bound the seeds support, reported beside the rule.
        public var biasUpperBound: Double
        public var covered: Int
        public var seeds: Int
        public var biasMet: Bool
        public var coverageMet: Bool
        public var met: Bool { biasMet && coverageMet }
    }

    /// The rule, in words, as decided before the measurement.
    public var rule: String
    public var problem: SyntheticBanditProblem.Configuration
    public var impressions: Int
    public var seeds: [UInt64]
    public var resamples: Int
    public var confidence: Double
    public var weightClip: Double?
    /// V(π0), the logging policy's true click rate.
    public var loggingValue: Double
    public var rows: [Row]
    public var goals: [Goal]
}
