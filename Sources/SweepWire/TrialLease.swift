public import Sweep

/// Everything a worker needs to run one attempt: sent in `CoordinatorMessage.lease` and handed to
/// the trial runner by `WorkerAction.startTrial`.
public struct TrialLease: Sendable, Hashable {
    public var ticket: LeaseTicket
    public var config: TrialConfig
    /// The sweep's data set, opaque to the protocol (the runtime defines its format). Workers cache
    /// loaded data sets by this descriptor.
    public var dataset: String
    /// How long the attempt may run. The coordinator cancels it and counts an infrastructure
    /// failure when no result arrives in time, even if the worker still heartbeats.
    /// Travels in whole milliseconds.
    public var timeout: Duration

    public init(ticket: LeaseTicket, config: TrialConfig, dataset: String, timeout: Duration) {
        self.ticket = ticket
        self.config = config
        self.dataset = dataset
        self.timeout = timeout
    }
}
