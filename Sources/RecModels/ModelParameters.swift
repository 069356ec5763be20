public import ParameterSpecs

/// One model's hyperparameter values, checked against its ``ParameterSpecs/ParameterSpec``s and completed
/// with their defaults: what a registry factory reads.
public struct ModelParameters: Sendable, Hashable {
    public let model: String
    /// Every spec's value (given or default), ints widened to doubles where a number is expected.
    public let values: [String: ParameterValue]

    /// Throws ``ModelError`` naming the first unknown parameter (with the accepted ones) or the
    /// first value its spec rejects (with the spec's expectation), in name order, or a conditional
    /// parameter given while its condition does not hold (``ParameterSpecs/ParameterSpec/appliesWhen``).
    public init(model: String, specs: [ParameterSpec], values: [String: ParameterValue]) throws(ModelError) {
        let accepted = specs.map(\.name)
        for name in values.keys.sorted() where !accepted.contains(name) {
            let list = accepted.isEmpty ? "none (\(model) has no hyperparameters)" : accepted.joined(separator: ", ")
            throw ModelError(model: model, message: "unknown parameter '\(name)'; accepted: \(list)")
        }
        var resolved: [String: ParameterValue] = [:]
        for spec in specs.sorted(by: { $0.name < $1.name }) {
            guard let value = values[spec.name] else {
                resolved[spec.name] = spec.defaultValue
                continue
            }
            switch spec.validate(value) {
            case .success(let checked): resolved[spec.name] = checked
            case .failure(let error): throw ModelError(model: model, message: error.description)
            }
        }
        for spec in specs.sorted(by: { $0.name < $1.name }) where values[spec.name] != nil {
            guard let condition = spec.appliesWhen, !condition.isMet(by: resolved[condition.parameter]) else { continue }
            let actual = resolved[condition.parameter].map { "\($0)" } ?? "unset"
            throw ModelError(
                model: model,
                message: "'\(spec.name)' applies only when \(condition.phrase), but '\(condition.parameter)' is \(actual); set '\(condition.parameter)' or drop '\(spec.name)'"
            )
        }
        self.model = model
        self.values = resolved
    }

    /// The checked value of `name` read as `kind` (the specs guarantee it is there and of that
    /// kind; anything else is a bug in a model's parameter list, hence a precondition).
    private func required<Value>(_ name: String, _ kind: String, _ read: (ParameterValue) -> Value?) -> Value {
        guard let value = values[name].flatMap(read) else {
            preconditionFailure("\(model): no \(kind) parameter '\(name)' in \(values)")
        }
        return value
    }

    func int(_ name: String) -> Int { required(name, "int", \.intValue) }

    func float(_ name: String) -> Float { Float(double(name)) }

    func double(_ name: String) -> Double { required(name, "number", \.doubleValue) }

    func bool(_ name: String) -> Bool { required(name, "boolean", \.boolValue) }

    func string(_ name: String) -> String { required(name, "string", \.stringValue) }

    /// A ``ParameterSpec/Kind/doubleOrSame(_:as:)`` value: the number, or nil for "the same as
    /// the other parameter".
    func floatOrSame(_ name: String) -> Float? { required(name, "number-or-name", { $0 }).doubleValue.map(Float.init) }

    /// A ``ParameterSpec/Kind/doubleOrWord(_:word:meaning:)`` value: the number, or nil for the word.
    func numberOrWord(_ name: String) -> Double? { required(name, "number-or-word", { $0 }).doubleValue }
}
