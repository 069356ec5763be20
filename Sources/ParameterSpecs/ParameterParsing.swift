/// Turns `name=value` text (command line) into typed hyperparameters for a model of `catalog`,
/// with errors that list what is accepted.
public enum ParameterParsing {
    public static func parse(_ assignments: [String], model: String, catalog: ModelCatalog) throws(ParameterParsingError)
        -> [String: ParameterValue]
    {
        guard let entry = catalog.model(named: model) else {
            throw ParameterParsingError("unknown model '\(model)'; known models: \(catalog.names.joined(separator: ", "))")
        }
        var parameters: [String: ParameterValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ParameterParsingError("--param '\(assignment)': expected name=value")
            }
            let name = String(assignment[..<equals]), text = String(assignment[assignment.index(after: equals)...])
            guard let spec = entry.parameters.first(where: { $0.name == name }) else {
                let accepted = entry.parameters.map(\.name)
                throw ParameterParsingError(
                    "model '\(model)' has no hyperparameter '\(name)'; accepted: "
                        + (accepted.isEmpty ? "none" : accepted.joined(separator: ", ")))
            }
            let value: ParameterValue?
            switch spec.kind {
            case .int: value = Int(text).map(ParameterValue.int)
            case .double: value = Double(text).map(ParameterValue.double)
            case .doubleOrSame(_, let other): value = text == other ? .string(text) : Double(text).map(ParameterValue.double)
            case .doubleOrWord(_, let word, _): value = text == word ? .string(text) : Double(text).map(ParameterValue.double)
            case .choice: value = .string(text)
            case .bool: value = ["true", "1", "yes"].contains(text) ? .bool(true) : (["false", "0", "no"].contains(text) ? .bool(false) : nil)
            }
            guard let value else { throw ParameterParsingError("--param \(name): must be \(spec.expectation), got '\(text)'") }
            switch spec.validate(value) {
            case .success(let valid): parameters[name] = valid
            case .failure(let error): throw ParameterParsingError("--param \(error)")
            }
        }
        return parameters
    }
}

/// A `--param` the model does not accept: the message says what is accepted.
public struct ParameterParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
