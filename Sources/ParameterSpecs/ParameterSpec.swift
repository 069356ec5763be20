/// What a model accepts for one hyperparameter; used to validate sweep files and `--param`.
public struct ParameterSpec: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        case int(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        /// A number in the range, or the text `same` naming another parameter of the model (the
        /// string value `same`): "take that parameter's value", e.g. MF's `lr_bias` defaulting to `lr`.
        case doubleOrSame(ClosedRange<Double>, as: String)
        /// A number in the range, or the text `word` (the string value `word`), which the model
        /// reads as `meaning`: e.g. unified's `other_weight: auto`, "chosen on a validation holdout".
        case doubleOrWord(ClosedRange<Double>, word: String, meaning: String)
        case choice([String])
        case bool
    }

    /// A parameter that matters only while another (choice) parameter of the same model has one
    /// of `values`: a hybrid's `als.factors` only when its `cf` is `als`.
    public struct Condition: Sendable, Hashable, Codable {
        public var parameter: String
        public var values: [String]

        public init(parameter: String, values: [String]) {
            self.parameter = parameter
            self.values = values
        }

        /// Whether a configuration holding `value` for ``parameter`` activates the parameter.
        public func isMet(by value: ParameterValue?) -> Bool {
            guard let string = value?.stringValue else { return false }
            return values.contains(string)
        }

        /// "'cf' is als" or "'cf' is one of als, bpr", for messages.
        public var phrase: String {
            values.count == 1
                ? "'\(parameter)' is \(values[0])" : "'\(parameter)' is one of \(values.joined(separator: ", "))"
        }
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: ParameterValue
    public var help: String
    /// Nil: the parameter always applies. Otherwise a configuration in which the condition does not
    /// hold leaves the parameter out (sweeps drop it before computing the trial id, so a grid over
    /// it does not repeat the trials where it has no effect).
    public var appliesWhen: Condition?

    public init(name: String, kind: Kind, defaultValue: ParameterValue, help: String, appliesWhen: Condition? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.appliesWhen = appliesWhen
    }

    /// The value if acceptable (ints are accepted where doubles are expected), else why not.
    public func validate(_ value: ParameterValue) -> Result<ParameterValue, ParameterError> {
        switch (kind, value) {
        case (.int(let range), .int(let int)):
            return range.contains(int) ? .success(value) : .failure(ParameterError(parameter: name, message: "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(int)"))
        case (.double(let range), _):
            guard let double = value.doubleValue else { break }
            return range.contains(double) ? .success(.double(double)) : .failure(ParameterError(parameter: name, message: "must be a number in \(range.lowerBound)…\(range.upperBound), got \(double)"))
        case (.doubleOrSame(_, let other), .string(let string)) where string == other:
            return .success(value)
        case (.doubleOrSame(let range, let other), _):
            guard let double = value.doubleValue else { break }
            return range.contains(double) ? .success(.double(double)) : .failure(ParameterError(parameter: name, message: "must be a number in \(range.lowerBound)…\(range.upperBound) or '\(other)' (the same as \(other)), got \(double)"))
        case (.doubleOrWord(_, let word, _), .string(let string)) where string == word:
            return .success(value)
        case (.doubleOrWord(let range, let word, _), _):
            guard let double = value.doubleValue else { break }
            return range.contains(double) ? .success(.double(double)) : .failure(ParameterError(parameter: name, message: "must be a number in \(range.lowerBound)…\(range.upperBound) or '\(word)', got \(double)"))
        case (.choice(let options), .string(let string)):
            return options.contains(string) ? .success(value) : .failure(ParameterError(parameter: name, message: "must be one of \(options.joined(separator: ", ")), got '\(string)'"))
        case (.bool, .bool):
            return .success(value)
        default:
            break
        }
        return .failure(ParameterError(parameter: name, message: "must be \(expectation), got \(value.typeName) '\(value)'"))
    }

    /// What the parameter accepts, in words.
    public var expectation: String {
        switch kind {
        case .int(let range): return "an integer in \(range.lowerBound)…\(range.upperBound)"
        case .double(let range): return "a number in \(range.lowerBound)…\(range.upperBound)"
        case .doubleOrSame(let range, let other):
            return "a number in \(range.lowerBound)…\(range.upperBound) or '\(other)' (the same as \(other))"
        case .doubleOrWord(let range, let word, let meaning):
            return "a number in \(range.lowerBound)…\(range.upperBound) or '\(word)' (\(meaning))"
        case .choice(let options): return "one of \(options.joined(separator: ", "))"
        case .bool: return "true or false"
        }
    }
}

public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var parameter: String
    public var message: String

    public init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "'\(parameter)' \(message)" }
}

/// The models a worker can run and the hyperparameters each accepts. Built by the runtime from
/// the model registry, so neither this module nor `Sweep` depends on model code.
public struct ModelCatalog: Sendable, Hashable, Codable {
    public struct Model: Sendable, Hashable, Codable {
        public var name: String
        /// `cf`, `content`, `hybrid`, `unified` or `builtin` (noop, sleep).
        public var family: String
        public var parameters: [ParameterSpec]
        /// Metrics this model's evaluation reports (`rmse`, `ndcg@10`, …).
        public var metrics: [String]

        public init(name: String, family: String, parameters: [ParameterSpec], metrics: [String]) {
            self.name = name
            self.family = family
            self.parameters = parameters
            self.metrics = metrics
        }
    }

    public var models: [Model]

    public init(models: [Model]) { self.models = models }

    public func model(named name: String) -> Model? { models.first { $0.name == name } }

    public var names: [String] { models.map(\.name) }
}
