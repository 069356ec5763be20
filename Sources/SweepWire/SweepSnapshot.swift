public import Sweep

/// A sweep's durable state: every trial with its state and counters, in leasing order.
///
/// The shell builds it from the store (and the sweep file) and hands it to a new coordinator in
/// `CoordinatorEvent.storeLoaded`; `CoordinatorCore.snapshot` gives the coordinator's current view
/// in the same form. Trials marked `running` here belong to a previous coordinator life: the new
/// coordinator keeps them for their worker to take back (`reattach`) for a grace period, and
/// returns them to pending (attempt + 1 next time) if it does not.
public struct SweepSnapshot: Sendable, Hashable {
    /// The sweep's id, for log metadata (`sweep.id`).
    public var sweepID: String
    /// The data set descriptor every lease carries (opaque to the protocol).
    public var dataset: String
    /// All trials; pending trials are leased in this order. Ids are unique.
    public var trials: [TrialRecord]
    /// The highest lease epoch ever issued for this sweep; a new coordinator continues above it.
    public var lastLeaseEpoch: LeaseEpoch
    /// The principal (see `StoreCommand.workerJoined`) of each worker id as last registered; a
    /// restarted coordinator needs those of the workers holding `running` trials. A holder
    /// missing here cannot take its leases back: they return to pending at once.
    public var workerPrincipals: [WorkerID: String]

    public init(
        sweepID: String, dataset: String, trials: [TrialRecord], lastLeaseEpoch: LeaseEpoch = 0,
        workerPrincipals: [WorkerID: String] = [:]
    ) {
        self.sweepID = sweepID
        self.dataset = dataset
        self.trials = trials
        self.lastLeaseEpoch = lastLeaseEpoch
        self.workerPrincipals = workerPrincipals
    }

    /// The record of `id`, if the sweep has that trial. O(trials).
    public func record(_ id: TrialID) -> TrialRecord? { trials.first { $0.id == id } }

    /// Every trial is finished or failed for good.
    public var isComplete: Bool { trials.allSatisfy(\.state.isFinal) }
}
