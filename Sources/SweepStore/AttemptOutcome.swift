/// How one lease of a trial ended. Stored as its raw value in `attempts.outcome`; an attempt
/// whose outcome is `nil` is still open (leased, no answer yet).
public enum AttemptOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The attempt's result was recorded as the trial's result.
    case finished
    /// The worker reported a failure, or the coordinator gave up on the attempt.
    case failed
    /// The worker holding the lease was declared lost.
    case lost
    /// A newer lease of the same trial superseded this one (for example after a coordinator
    /// restart re-leased a trial that was running).
    case cancelled
    /// The attempt's result arrived after the trial already had one; kept in `duplicates`.
    case duplicate
}
