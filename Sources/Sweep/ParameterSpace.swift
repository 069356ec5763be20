public import ParameterSpecs

/// The values one hyperparameter takes in a sweep, already checked against the model's
/// ``ParameterSpec`` (values normalized the way `ParameterSpec.validate` returns them, so `lr: 1`
/// on a double parameter is `1.0`).
///
/// Sweep-file forms: a scalar (fixed), a list (grid), `{range: {from, to, step}}` (expanded into
/// its values when read), `{uniform: [a, b]}`, `{loguniform: [a, b]}`, `{choice: [...]}`.
public enum ParameterSpace: Sendable, Hashable, Codable {
    /// Explicit values in file order: a fixed value is a list of one, a range its expansion.
    case values([ParameterValue])
    /// Uniform on [low, high]; integers (both ends included) when `integer`.
    case uniform(low: Double, high: Double, integer: Bool)
    /// Log-uniform on [low, high] (0 < low < high): uniform in log space; rounded when `integer`.
    case logUniform(low: Double, high: Double, integer: Bool)
    /// One of the values, each equally likely.
    case choice([ParameterValue])

    /// True for the spaces drawn by the seeded sampler (`uniform`, `loguniform`, `choice`).
    public var isRandom: Bool {
        if case .values = self { return false }
        return true
    }

    /// `uniform`, `loguniform`, `choice` or `values`: the sweep-file word for messages.
    public var kindName: String {
        switch self {
        case .values: return "values"
        case .uniform: return "uniform"
        case .logUniform: return "loguniform"
        case .choice: return "choice"
        }
    }
}
