public import Sweep

/// Where one trial stands, as the durable store and the coordinator see it.
public enum TrialState: Sendable, Hashable {
    /// Waiting for a lease (never leased, or its last attempt ended without a final outcome).
    case pending
    /// Leased to `worker` under `ticket`; only a result carrying exactly this ticket counts.
    case running(LeaseTicket, worker: WorkerID)
    /// Counted: the one attempt whose result was accepted. Final. Its metrics live in the store
    /// (the `trialFinished` command), not here, so a coordinator's memory does not grow with
    /// every finished trial.
    case finished(attempt: Int, worker: WorkerID)
    /// Failed for good: a deterministic failure, or infrastructure failures beyond the retry budget. Final.
    case failed(attempt: Int, failure: TrialFailure)
    /// Stopped early by the sweep's early-stopping rule after `epoch` (an ASHA rung or the median
    /// rule's epoch): its validation figures at that epoch are in the store (`trialStopped`), it
    /// has no test metrics. Final.
    case stopped(attempt: Int, worker: WorkerID, epoch: Int)

    /// `finished` or `failed`: the trial will not be leased again.
    public var isFinal: Bool {
        switch self {
        case .pending, .running: return false
        case .finished, .failed, .stopped: return true
        }
    }
}
