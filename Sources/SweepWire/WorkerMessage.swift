public import Sweep

/// Everything a worker sends to the coordinator. Encoded by `WireCodec` as one frame each.
public enum WorkerMessage: Sendable, Hashable {
    /// First contact of a worker process: who it is, what it runs, how many slots it has.
    /// A `hello` from a worker the coordinator already knows means a fresh process under the same
    /// name: leases the old process held are given up.
    case hello(WorkerHello)
    /// Sent every heartbeat interval: the attempts the worker is running and how many slots it
    /// offers now (`0` while it drains before exiting, so the coordinator stops leasing to it).
    case heartbeat(running: [LeaseTicket], slots: Int)
    /// Per-epoch progress of a running attempt.
    case progress(LeaseTicket, TrialProgress)
    /// An attempt finished with metrics.
    case result(LeaseTicket, TrialMetrics)
    /// An attempt failed. `deterministic` failures are final; `infrastructure` ones are retried
    /// while the trial's retry budget lasts.
    case failure(LeaseTicket, TrialFailure)
    /// The worker is leaving. `returning` lists leases it hands back unfinished (they go back to
    /// pending without using the retry budget).
    case goodbye(returning: [LeaseTicket])
    /// A worker process that lost its connection (or was forgotten by a restarted coordinator)
    /// and registers again: its identity, every lease it still runs, queues or holds an
    /// unconfirmed report for, and the highest lease epoch it has received (`leasesThrough`). The
    /// coordinator keeps the listed leases that are still current, cancels the rest, and gives up
    /// only the unlisted leases the worker must have seen (epoch ≤ `leasesThrough`): a lease
    /// granted after the worker sent this is still in flight, not lost.
    case reattach(WorkerHello, running: [LeaseTicket], leasesThrough: LeaseEpoch)

    /// The case name (`hello`, `heartbeat`, …) for logs and errors.
    public var kind: String {
        switch self {
        case .hello: return "hello"
        case .heartbeat: return "heartbeat"
        case .progress: return "progress"
        case .result: return "result"
        case .failure: return "failure"
        case .goodbye: return "goodbye"
        case .reattach: return "reattach"
        }
    }
}

extension WorkerMessage {
    /// The ticket of a result or failure report.
    var reportTicket: LeaseTicket? {
        switch self {
        case .result(let ticket, _), .failure(let ticket, _): return ticket
        case .hello, .heartbeat, .progress, .goodbye, .reattach: return nil
        }
    }
}
