public import Foundation
public import Sweep

/// Everything the store knows about one trial of a sweep, for a trial page: its configuration and
/// state, the failure or stop that ended it, the counted result, every lease and every progress
/// report (all attempts, oldest first).
public struct StoredTrial: Sendable, Hashable {
    /// One progress report: the figures a worker sent after an epoch of one attempt.
    public struct Progress: Sendable, Hashable {
        public var attempt: Int
        public var epoch: Int
        public var values: [String: Double]
        public var recordedAt: Date

        public init(attempt: Int, epoch: Int, values: [String: Double], recordedAt: Date) {
            self.attempt = attempt
            self.epoch = epoch
            self.values = values
            self.recordedAt = recordedAt
        }
    }

    public var id: TrialID
    public var config: TrialConfig
    /// `pending`, `running`, `finished`, `stopped` or `failed`.
    public var state: String
    /// Leases taken so far.
    public var attemptsUsed: Int
    /// The last failure's message and kind (`deterministic` or `infrastructure`), when failed.
    public var error: String?
    public var failureKind: String?
    public var result: StoredResult?
    public var stop: StoredStop?
    public var attempts: [StoredAttempt]
    public var progress: [Progress]

    public init(
        id: TrialID, config: TrialConfig, state: String, attemptsUsed: Int, error: String?, failureKind: String?,
        result: StoredResult?, stop: StoredStop?, attempts: [StoredAttempt], progress: [Progress]
    ) {
        self.id = id
        self.config = config
        self.state = state
        self.attemptsUsed = attemptsUsed
        self.error = error
        self.failureKind = failureKind
        self.result = result
        self.stop = stop
        self.attempts = attempts
        self.progress = progress
    }
}
