public import Foundation
public import Sweep

/// A trial as the store knows it: what a restarted coordinator needs to resume it.
public struct StoredTrial: Sendable, Hashable {
    public var id: TrialID
    public var config: TrialConfig
    public var state: TrialState
    /// Leases handed out so far (the highest attempt number leased, 0 if never leased).
    public var attempts: Int
    /// Epoch of the most recent lease, `nil` if never leased.
    public var lastLeaseEpoch: UInt64?
    /// Worker of the most recent lease (or of the result, once finished).
    public var worker: String?
    /// The last failure, kept while the trial waits for a retry and when it failed for good.
    public var failure: TrialFailure?
    /// The result that counts, present exactly when `state == .finished`.
    public var result: StoredResult?
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: TrialID, config: TrialConfig, state: TrialState, attempts: Int, lastLeaseEpoch: UInt64?, worker: String?,
        failure: TrialFailure?, result: StoredResult?, createdAt: Date, finishedAt: Date?
    ) {
        self.id = id
        self.config = config
        self.state = state
        self.attempts = attempts
        self.lastLeaseEpoch = lastLeaseEpoch
        self.worker = worker
        self.failure = failure
        self.result = result
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
