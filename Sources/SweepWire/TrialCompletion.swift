public import Sweep

/// How an attempt ended, as the trial runner reports it to `WorkerCore`.
public enum TrialCompletion: Sendable, Hashable {
    case finished(TrialMetrics)
    case failed(TrialFailure)
}
