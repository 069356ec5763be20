public import ParameterSpecs

/// A trial configuration without its seed: the unit a leaderboard row aggregates over seeds.
///
/// Ordered deterministically (ties in a ranking are broken by it): by model name, then parameter
/// by parameter in name order, numbers compared as numbers (`factors=8` before `factors=16`),
/// strings and booleans as text; a parameter set that is a prefix of another comes first.
public struct ConfigurationKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var model: String
    public var parameters: [String: ParameterValue]

    public init(model: String, parameters: [String: ParameterValue]) {
        self.model = model
        self.parameters = parameters
    }

    /// The configuration of `config`, seed dropped.
    public init(_ config: TrialConfig) {
        self.init(model: config.model, parameters: config.parameters)
    }

    /// `factors=8, lr=0.01`, sorted by name; empty for a model without parameters.
    public var parametersText: String {
        parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ", ")
    }

    /// `mf(factors=8, lr=0.01)`, the same text as `TrialConfig.label`.
    public var description: String { "\(model)(\(parametersText))" }

    public static func < (lhs: ConfigurationKey, rhs: ConfigurationKey) -> Bool {
        if lhs.model != rhs.model { return lhs.model < rhs.model }
        let left = lhs.parameters.keys.sorted(), right = rhs.parameters.keys.sorted()
        for (a, b) in zip(left, right) {
            if a != b { return a < b }
            let order = compare(lhs.parameters[a]!, rhs.parameters[b]!)
            if order != 0 { return order < 0 }
        }
        return left.count < right.count
    }

    /// -1, 0 or 1: numbers numerically (an int before an equal double), otherwise by type name, then text.
    static func compare(_ lhs: ParameterValue, _ rhs: ParameterValue) -> Int {
        if let a = lhs.doubleValue, let b = rhs.doubleValue, a != b { return a < b ? -1 : 1 }
        if lhs.typeName != rhs.typeName { return lhs.typeName < rhs.typeName ? -1 : 1 }
        let a = lhs.description, b = rhs.description
        return a == b ? 0 : (a < b ? -1 : 1)
    }
}
