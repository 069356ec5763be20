public import Foundation
public import Sweep

/// One row of `results`: the metrics that count for a finished trial (at most one per trial),
/// with where and how they were produced. Leaderboards are built from these.
public struct StoredResult: Sendable, Hashable {
    public var trial: TrialID
    public var config: TrialConfig
    public var metrics: TrialMetrics
    /// The attempt (1-based) whose answer this is.
    public var attempt: Int
    /// The lease the answer came under; `nil` if the store never recorded that lease (it was
    /// issued by a coordinator killed before flushing it, and the worker reported to its successor).
    public var leaseEpoch: UInt64?
    public var worker: String
    public var host: String?
    public var codeVersion: String
    public var recordedAt: Date

    public init(
        trial: TrialID, config: TrialConfig, metrics: TrialMetrics, attempt: Int, leaseEpoch: UInt64?, worker: String,
        host: String?, codeVersion: String, recordedAt: Date
    ) {
        self.trial = trial
        self.config = config
        self.metrics = metrics
        self.attempt = attempt
        self.leaseEpoch = leaseEpoch
        self.worker = worker
        self.host = host
        self.codeVersion = codeVersion
        self.recordedAt = recordedAt
    }

    /// The trial's seed (also in `config`).
    public var seed: UInt64 { config.seed }

    /// The configuration without the seed: the leaderboard row this result belongs to.
    public var configurationKey: String { config.configurationKey }
}
