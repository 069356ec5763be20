public import Foundation
public import Sweep

/// One row of `attempts`: one lease of a trial to a worker and how it ended.
public struct StoredAttempt: Sendable, Hashable {
    public var trial: TrialID
    /// 1-based attempt number as the coordinator counted it.
    public var attempt: Int
    /// Unique across the store and increasing across coordinator restarts.
    public var leaseEpoch: UInt64
    public var worker: String
    public var host: String?
    public var startedAt: Date
    /// `nil` while the lease is open.
    public var endedAt: Date?
    public var outcome: AttemptOutcome?
    /// The failure message, for `failed` attempts.
    public var error: String?

    public init(
        trial: TrialID, attempt: Int, leaseEpoch: UInt64, worker: String, host: String?, startedAt: Date,
        endedAt: Date?, outcome: AttemptOutcome?, error: String?
    ) {
        self.trial = trial
        self.attempt = attempt
        self.leaseEpoch = leaseEpoch
        self.worker = worker
        self.host = host
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.error = error
    }
}
