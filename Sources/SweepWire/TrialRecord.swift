public import Sweep

/// One trial of a sweep with its state and attempt counters, as kept in `SweepSnapshot`.
public struct TrialRecord: Sendable, Hashable {
    public var id: TrialID
    public var config: TrialConfig
    /// The trial's timeout from the sweep file; `nil` uses `CoordinatorCore.Configuration.defaultTrialTimeout`.
    public var timeout: Duration?
    public var state: TrialState
    /// The highest attempt number leased so far (0 if never leased). The next lease is attempt
    /// `attemptsUsed + 1`, so attempt numbers are unique per trial.
    public var attemptsUsed: Int
    /// Infrastructure failures so far (lost worker, timeout, a worker-reported infrastructure
    /// error, a lease the worker forgot). This, not `attemptsUsed`, is what the retry budget counts:
    /// attempts handed back on shutdown or abandoned by a coordinator restart cost nothing.
    public var infrastructureFailures: Int

    public init(
        id: TrialID, config: TrialConfig, timeout: Duration? = nil, state: TrialState = .pending,
        attemptsUsed: Int = 0, infrastructureFailures: Int = 0
    ) {
        self.id = id
        self.config = config
        self.timeout = timeout
        self.state = state
        self.attemptsUsed = attemptsUsed
        self.infrastructureFailures = infrastructureFailures
    }
}
