/// What `SweepStore.registerSweep` did: which sweep row, and how many of the given trials
/// were new to the store, already in this sweep, or shared with another sweep of the store.
public struct SweepRegistration: Sendable, Hashable {
    public var sweep: SweepID
    /// Trials inserted as `pending` by this registration.
    public var addedTrials: Int
    /// Trials the sweep already had: left exactly as they were (finished stay finished).
    public var existingTrials: Int
    /// Trials another sweep in the store had already registered (same configuration, seed and
    /// data): now members of this sweep too, with their state and result shared, never rerun.
    public var sharedTrials: Int

    public init(sweep: SweepID, addedTrials: Int, existingTrials: Int, sharedTrials: Int) {
        self.sweep = sweep
        self.addedTrials = addedTrials
        self.existingTrials = existingTrials
        self.sharedTrials = sharedTrials
    }
}
