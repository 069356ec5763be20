/// How a sweep ended, in `CoordinatorAction.sweepFinished`.
public struct SweepSummary: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Hashable {
        /// Every trial is finished or failed for good.
        case completed
        /// A shutdown stopped the sweep with trials still pending; the store resumes them next time.
        case interrupted
    }

    public var outcome: Outcome
    public var total: Int
    public var finished: Int
    public var failed: Int
    /// Trials neither finished nor failed (only when interrupted).
    public var unfinished: Int
    /// Results that did not count, in this coordinator's life.
    public var duplicateResults: Int
    /// Trials the early-stopping rule stopped (final, counted apart from `finished`).
    public var stopped: Int
    /// Configurations an adaptive search has yet to suggest (only when interrupted).
    public var toSuggest: Int

    public init(
        outcome: Outcome, total: Int, finished: Int, failed: Int, unfinished: Int, duplicateResults: Int,
        stopped: Int = 0, toSuggest: Int = 0
    ) {
        self.stopped = stopped
        self.toSuggest = toSuggest
        self.outcome = outcome
        self.total = total
        self.finished = finished
        self.failed = failed
        self.unfinished = unfinished
        self.duplicateResults = duplicateResults
    }

    public var description: String {
        let early = stopped > 0 ? "\(stopped) stopped early, " : ""
        let later = toSuggest > 0 ? " (\(toSuggest) configuration(s) not yet suggested)" : ""
        return "\(outcome.rawValue): \(finished) finished, \(early)\(failed) failed, \(unfinished) unfinished of \(total) trials\(later); "
            + "\(duplicateResults) duplicate result(s)"
    }
}
