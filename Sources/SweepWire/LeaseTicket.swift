public import Sweep

/// Names one lease: which trial, which attempt of it, under which global epoch.
///
/// Every message about a running attempt (progress, result, failure, cancel, heartbeat lists)
/// carries the ticket, and the coordinator counts a result only when its ticket equals the
/// trial's current lease.
public struct LeaseTicket: Sendable, Hashable, CustomStringConvertible {
    public var trial: TrialID
    /// 1 for the first lease of a trial, then one more for each later lease.
    public var attempt: Int
    public var epoch: LeaseEpoch

    public init(trial: TrialID, attempt: Int, epoch: LeaseEpoch) {
        self.trial = trial
        self.attempt = attempt
        self.epoch = epoch
    }

    /// `<trial>#<attempt>@e<epoch>`.
    public var description: String { "\(trial)#\(attempt)@\(epoch)" }
}
