/// How many trials of a sweep are in each state, read in one transaction.
public struct TrialCounts: Sendable, Hashable {
    public var pending: Int
    public var running: Int
    public var finished: Int
    public var failed: Int
    /// Stopped early by the sweep's stopping rule (final; not counted in `finished`).
    public var stopped: Int = 0

    public init(pending: Int = 0, running: Int = 0, finished: Int = 0, failed: Int = 0) {
        self.pending = pending
        self.running = running
        self.finished = finished
        self.failed = failed
    }

    public var total: Int { pending + running + finished + failed + stopped }

    /// Sets the count of the state stored as `name` (`pending`, `running`, `finished`, `failed`);
    /// false for any other name.
    mutating func set(_ count: Int, stateNamed name: String) -> Bool {
        switch name {
        case "pending": pending = count
        case "running": running = count
        case "finished": finished = count
        case "failed": failed = count
        default: return false
        }
        return true
    }
}
