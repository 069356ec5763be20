public import Sweep

/// Everything that can happen to a worker; the only inputs of `WorkerCore.handle`.
public enum WorkerEvent: Sendable, Hashable {
    /// The transport is (re)connected to the coordinator's endpoint.
    case connected
    /// A decoded message from the coordinator.
    case coordinatorMessage(CoordinatorMessage)
    /// A frame from the coordinator did not decode (`WireError.description`).
    case malformedMessage(reason: String)
    /// The trial runner reports an epoch of a running attempt.
    case trialProgress(LeaseTicket, TrialProgress)
    /// The trial runner finished an attempt.
    case trialCompleted(LeaseTicket, TrialCompletion)
    /// A wake-up the core asked for (or any other moment): deadlines due by `now` are acted on.
    case tick
    /// Graceful shutdown (SIGTERM/SIGINT): finish or hand back running attempts, then exit.
    case shutdownRequested
}
