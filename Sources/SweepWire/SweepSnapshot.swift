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
    /// What an adaptive search and early stopping need to continue after a restart.
    public var search: SearchHistory

    public init(
        sweepID: String, dataset: String, trials: [TrialRecord], lastLeaseEpoch: LeaseEpoch = 0,
        workerPrincipals: [WorkerID: String] = [:], search: SearchHistory = SearchHistory()
    ) {
        self.search = search
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


/// The durable history of an adaptive search and of early stopping, as the store keeps it.
public struct SearchHistory: Sendable, Hashable {
    /// The figure recorded in ``objectiveValues`` and ``progress`` (`validation_rmse`); nil: the
    /// sweep neither searches adaptively nor stops early, and nothing is recorded.
    public var objective: String?
    /// Each suggested trial's suggestion number within its model's search.
    public var suggestionIndex: [TrialID: Int]
    /// The objective value of every finished trial (its result) and stopped trial (its last
    /// progress value), when it reported one.
    public var objectiveValues: [TrialID: Double]
    /// Every persisted progress report's objective value, in the order they were persisted.
    public var progress: [ProgressPoint]

    public struct ProgressPoint: Sendable, Hashable {
        public var trial: TrialID
        public var epoch: Int
        public var value: Double

        public init(trial: TrialID, epoch: Int, value: Double) {
            self.trial = trial
            self.epoch = epoch
            self.value = value
        }
    }

    public init(
        objective: String? = nil, suggestionIndex: [TrialID: Int] = [:], objectiveValues: [TrialID: Double] = [:],
        progress: [ProgressPoint] = []
    ) {
        self.objective = objective
        self.suggestionIndex = suggestionIndex
        self.objectiveValues = objectiveValues
        self.progress = progress
    }
}
