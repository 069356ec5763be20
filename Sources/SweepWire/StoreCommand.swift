public import Sweep

/// A durable fact the coordinator asks the store to record, in `CoordinatorAction.persist`.
///
/// The shell must make each command durable before it sends anything that follows it (the core
/// always puts `trialLeased` before the `lease` it sends, and `trialFinished` before the `confirm`
/// of that result), so after a crash the store never knows less than the workers. It may batch:
/// a batch of commands committed in one transaction, then the batch's sends. `SweepSnapshot.apply(_:)` is the reference meaning of each command:
/// replaying a store's commands onto the sweep's initial snapshot gives the snapshot a restarted
/// coordinator loads.
public enum StoreCommand: Sendable, Hashable {
    /// Attempt `ticket.attempt` of `ticket.trial` leased to `worker` under `ticket.epoch`.
    case trialLeased(LeaseTicket, worker: WorkerID)
    /// The accepted result: the trial is finished with these metrics. Recorded once per trial.
    case trialFinished(trial: TrialID, attempt: Int, metrics: TrialMetrics, worker: WorkerID)
    /// An attempt failed. `willRetry` true: the trial is pending again; false: it failed for good
    /// with this failure (deterministic, or the retry budget is spent). Infrastructure failures
    /// count against the retry budget.
    case trialFailed(trial: TrialID, attempt: Int, failure: TrialFailure, willRetry: Bool)
    /// An attempt ended through no fault of the trial (handed back by a worker shutting down,
    /// abandoned by a coordinator restart or shutdown): pending again, retry budget untouched.
    case trialReturned(trial: TrialID, attempt: Int, reason: String)
    /// A trial that failed for good through infrastructure (a missing file, a lost worker, out of
    /// memory: nothing in its configuration) is pending again with a fresh retry budget, because a
    /// new coordinator run may find the cause fixed. Deterministic failures are never reopened.
    case trialReopened(trial: TrialID, reason: String)
    /// A result that did not count: the trial was already finished, or the lease was stale. Its
    /// metrics are kept for the record (what a late or lying worker claimed).
    case duplicateResult(LeaseTicket, worker: WorkerID, metrics: TrialMetrics)
    /// A worker registered. `principal` is its identity: `key:<Z85 public key>` under CURVE,
    /// else `session:<fingerprint of its session token>`. A restarted coordinator lets only the
    /// same principal take back the leases a worker of that id held.
    case workerJoined(WorkerHello, principal: String)
    /// The worker is gone (silent past its liveness, or said goodbye).
    case workerLost(WorkerID, reason: String)
    /// A human-readable line for the sweep's event log (load, shutdown, finish).
    case event(String)
    /// An adaptive search (random, TPE) suggested a configuration: the trial joins the sweep,
    /// pending, as suggestion `index` of its model's search. Persisted before it is leased.
    case trialSuggested(TrialRecord, index: Int)
    /// A running attempt's per-epoch report from the worker holding the current lease (learning
    /// curves; early stopping replays them in this order after a restart).
    case trialProgress(LeaseTicket, TrialProgress)
    /// The early-stopping rule stopped the trial after `epoch`; `values` are its progress figures
    /// there (validation and training, never test). Final, like a finished trial.
    case trialStopped(LeaseTicket, worker: WorkerID, epoch: Int, values: [String: Double], reason: String)
}
