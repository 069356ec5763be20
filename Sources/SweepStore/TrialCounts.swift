/// How many trials of a sweep are in each state, read in one transaction.
public struct TrialCounts: Sendable, Hashable {
    public var pending: Int
    public var running: Int
    public var finished: Int
    public var failed: Int

    public init(pending: Int = 0, running: Int = 0, finished: Int = 0, failed: Int = 0) {
        self.pending = pending
        self.running = running
        self.finished = finished
        self.failed = failed
    }

    public var total: Int { pending + running + finished + failed }

    /// The count for one state.
    public subscript(state: TrialState) -> Int {
        get {
            switch state {
            case .pending: return pending
            case .running: return running
            case .finished: return finished
            case .failed: return failed
            }
        }
        set {
            switch state {
            case .pending: pending = newValue
            case .running: running = newValue
            case .finished: finished = newValue
            case .failed: failed = newValue
            }
        }
    }
}
