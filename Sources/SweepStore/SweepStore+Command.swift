public import Sweep

extension SweepStore {
    /// One store mutation. The cases mirror, one for one, the persist commands the coordinator's
    /// protocol core emits, and each has a same-named method on `StoreTransaction`; a batch of
    /// them is applied in one transaction by `SweepStore.apply(_:)`.
    public enum Command: Sendable, Hashable {
        /// See `StoreTransaction.trialLeased(_:attempt:leaseEpoch:worker:host:)`.
        case trialLeased(TrialID, attempt: Int, leaseEpoch: UInt64, worker: String, host: String? = nil)
        /// See `StoreTransaction.trialFinished(_:attempt:metrics:worker:host:codeVersion:)`.
        case trialFinished(
            TrialID, attempt: Int, metrics: TrialMetrics, worker: String, host: String? = nil,
            codeVersion: String? = nil)
        /// See `StoreTransaction.trialFailed(_:attempt:failure:willRetry:)`.
        case trialFailed(TrialID, attempt: Int, failure: TrialFailure, willRetry: Bool)
        /// See `StoreTransaction.trialReturned(_:attempt:reason:)`.
        case trialReturned(TrialID, attempt: Int, reason: String)
        /// See `StoreTransaction.duplicateResult(_:attempt:leaseEpoch:worker:host:metrics:)`.
        case duplicateResult(
            TrialID, attempt: Int, leaseEpoch: UInt64, worker: String, host: String? = nil, metrics: TrialMetrics? = nil
        )
        /// See `StoreTransaction.workerJoined(_:host:slots:)`.
        case workerJoined(String, host: String? = nil, slots: Int? = nil)
        /// See `StoreTransaction.workerLost(_:reason:)`.
        case workerLost(String, reason: String)
        /// See `StoreTransaction.event(_:kind:)`.
        case event(String, kind: String = "note")
    }
}
