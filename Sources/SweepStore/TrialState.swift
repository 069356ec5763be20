/// Where a trial stands in the store. Stored as its raw value in `trials.state`.
///
/// Transitions the store applies: `pending → running` (leased), `running → finished` (first
/// result), `running → pending` (failed or lost, will be retried), `running → failed` (no retry
/// left or deterministic failure). `finished` is terminal: no command moves a trial out of it.
public enum TrialState: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case running
    case finished
    case failed
}
