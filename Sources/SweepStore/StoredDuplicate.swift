public import Foundation
public import Sweep

/// One row of `duplicates`: a result that arrived for a trial that already had one. Kept for
/// audit (did two workers agree?), never counted.
public struct StoredDuplicate: Sendable, Hashable {
    public var trial: TrialID
    public var attempt: Int
    public var leaseEpoch: UInt64?
    public var worker: String
    public var host: String?
    /// The duplicate's metrics when the command carried them.
    public var metrics: TrialMetrics?
    public var recordedAt: Date

    public init(
        trial: TrialID, attempt: Int, leaseEpoch: UInt64?, worker: String, host: String?, metrics: TrialMetrics?,
        recordedAt: Date
    ) {
        self.trial = trial
        self.attempt = attempt
        self.leaseEpoch = leaseEpoch
        self.worker = worker
        self.host = host
        self.metrics = metrics
        self.recordedAt = recordedAt
    }
}
