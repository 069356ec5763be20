/// Everything a coordinator needs to resume a sweep, read in one transaction: the sweep, all of
/// its trials in registration order with their state and result, and the lease-epoch high-water
/// mark so new leases get epochs above every epoch ever handed out.
public struct StoreSnapshot: Sendable, Hashable {
    public var sweep: SweepRecord
    public var trials: [StoredTrial]
    /// The highest lease epoch ever issued or recorded in this store (0 if none). A resumed
    /// coordinator must issue epochs strictly greater than this.
    public var leaseEpochHighWater: UInt64

    public init(sweep: SweepRecord, trials: [StoredTrial], leaseEpochHighWater: UInt64) {
        self.sweep = sweep
        self.trials = trials
        self.leaseEpochHighWater = leaseEpochHighWater
    }

    /// Trials per state.
    public var counts: TrialCounts {
        var counts = TrialCounts()
        for trial in trials { counts[trial.state] += 1 }
        return counts
    }
}
