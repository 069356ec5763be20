public import Sweep

/// Turns `name=value` text (command line) into typed hyperparameters for a model of `catalog`,
/// with errors that list what is accepted.
public enum ParameterParsing {
    public static func parse(_ assignments: [String], model: String, catalog: ModelCatalog) throws -> [String: ParameterValue] {
        guard let entry = catalog.model(named: model) else {
            throw RuntimeError("unknown model '\(model)'; known models: \(catalog.names.joined(separator: ", "))")
        }
        var parameters: [String: ParameterValue] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw RuntimeError("--param '\(assignment)': expected name=value")
            }
            let name = String(assignment[..<equals]), text = String(assignment[assignment.index(after: equals)...])
            guard let spec = entry.parameters.first(where: { $0.name == name }) else {
                let accepted = entry.parameters.map(\.name)
                throw RuntimeError(
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
            guard let value else { throw RuntimeError("--param \(name): must be \(spec.expectation), got '\(text)'") }
            switch spec.validate(value) {
            case .success(let valid): parameters[name] = valid
            case .failure(let error): throw RuntimeError("--param \(error)")
            }
        }
        return parameters
    }
}
