public import Sweep

/// One model's hyperparameter values, checked against its ``Sweep/ParameterSpec``s and completed
/// with their defaults: what a registry factory reads.
public struct ModelParameters: Sendable, Hashable {
    public let model: String
    /// Every spec's value (given or default), ints widened to doubles where a number is expected.
    public let values: [String: ParameterValue]

    /// Throws ``ModelError`` naming the first unknown parameter (with the accepted ones) or the
    /// first value its spec rejects (with the spec's expectation), in name order.
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
        self.model = model
        self.values = resolved
    }

    func int(_ name: String) -> Int {
        guard let value = values[name]?.intValue else {
            preconditionFailure("\(model): no int parameter '\(name)' in \(values)")
        }
        return value
    }

    func float(_ name: String) -> Float {
        guard let value = values[name]?.doubleValue else {
            preconditionFailure("\(model): no number parameter '\(name)' in \(values)")
        }
        return Float(value)
    }

    /// A ``ParameterSpec/Kind/doubleOrSame(_:as:)`` value: the number, or nil for "the same as
    /// the other parameter".
    func floatOrSame(_ name: String) -> Float? {
        guard let value = values[name] else { preconditionFailure("\(model): no parameter '\(name)' in \(values)") }
        return value.doubleValue.map(Float.init)
    }

    func double(_ name: String) -> Double {
        guard let value = values[name]?.doubleValue else {
            preconditionFailure("\(model): no number parameter '\(name)' in \(values)")
        }
        return value
    }

    func bool(_ name: String) -> Bool {
        guard let value = values[name]?.boolValue else {
            preconditionFailure("\(model): no boolean parameter '\(name)' in \(values)")
        }
        return value
    }

    func string(_ name: String) -> String {
        guard let value = values[name]?.stringValue else {
            preconditionFailure("\(model): no string parameter '\(name)' in \(values)")
        }
        return value
    }
}
