/// One configuration on a leaderboard: its metrics over seeds, the seeds that produced them, and
/// the trials that failed.
public struct LeaderboardRow: Sendable, Hashable, Codable {
    /// A trial of this configuration that finished without metrics.
    public struct Failure: Sendable, Hashable, Codable, Comparable {
        public var seed: UInt64
        public var kind: FailureKind
        public var message: String

        public init(seed: UInt64, kind: FailureKind, message: String) {
            self.seed = seed
            self.kind = kind
            self.message = message
        }

        public static func < (lhs: Failure, rhs: Failure) -> Bool {
            (lhs.seed, lhs.kind.rawValue, lhs.message) < (rhs.seed, rhs.kind.rawValue, rhs.message)
        }
    }

    public var configuration: ConfigurationKey
    /// 1-based place on this board; nil when no trial reported the primary metric.
    public var rank: Int?
    /// Summaries of the board's metric columns that at least one trial reported (finite values only).
    public var metrics: [String: MetricSummary]
    /// Seeds of the trials that produced metrics, ascending.
    public var seeds: [UInt64]
    /// Failed trials, by seed.
    public var failures: [Failure]

    public init(
        configuration: ConfigurationKey, rank: Int?, metrics: [String: MetricSummary], seeds: [UInt64],
        failures: [Failure]
    ) {
        self.configuration = configuration
        self.rank = rank
        self.metrics = metrics
        self.seeds = seeds
        self.failures = failures
    }

    public var model: String { configuration.model }
    /// Failed trials of this configuration.
    public var failed: Int { failures.count }
    /// Trials with metrics plus failed ones.
    public var trials: Int { seeds.count + failures.count }

    /// Mean of `metric` over seeds, if any trial reported it.
    public func mean(_ metric: String) -> Double? { metrics[metric]?.mean }
}
