public import ParameterSpecs

/// A fully resolved trial: which model, with which hyperparameters and seed, on which data.
/// Everything a worker needs to train and evaluate, and everything the identity hashes.
public struct TrialConfig: Sendable, Hashable, Codable {
    /// Model name as the model registry knows it (`mf`, `als`, `noop`, `sleep`, …).
    public var model: String
    /// Hyperparameters by name. Order does not matter: identities and encodings sort by name.
    public var parameters: [String: ParameterValue]
    public var seed: UInt64

    public init(model: String, parameters: [String: ParameterValue], seed: UInt64) {
        self.model = model
        self.parameters = parameters
        self.seed = seed
    }

    /// `model(a=1, b=0.01) seed 3`, parameters sorted by name.
    public var label: String {
        let body = parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")
        return "\(model)(\(body))"
    }

    /// The configuration without the seed: trials that differ only by seed share it (leaderboard rows).
    public var configurationKey: String { label }
}
