/// What a finished attempt reports: every metric it measured and how long each phase took.
public struct TrialMetrics: Sendable, Hashable, Codable {
    /// Metric name (`rmse`, `ndcg@10`, `auc`, …) to value, measured on held-out data.
    public var values: [String: Double]
    /// Phase timings in seconds (`fit`, `evaluate`, `load`).
    public var timings: [String: Double]

    public init(values: [String: Double], timings: [String: Double] = [:]) {
        self.values = values
        self.timings = timings
    }
}

/// Why an attempt did not produce metrics.
public enum FailureKind: String, Sendable, Hashable, Codable {
    /// The worker was lost, crashed, timed out, or the trial hung: retried up to the budget.
    case infrastructure
    /// The model itself threw (bad hyperparameters for this data, diverged): not retried.
    case deterministic
}

public struct TrialFailure: Error, Sendable, Hashable, Codable {
    public var kind: FailureKind
    public var message: String

    public init(kind: FailureKind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Per-epoch progress a model reports while training (for live display and early stopping).
public struct TrialProgress: Sendable, Hashable, Codable {
    public var epoch: Int
    public var totalEpochs: Int?
    public var values: [String: Double]

    public init(epoch: Int, totalEpochs: Int?, values: [String: Double]) {
        self.epoch = epoch
        self.totalEpochs = totalEpochs
        self.values = values
    }
}
