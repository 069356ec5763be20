public import ParameterSpecs

extension MemoryBudget {
    /// `max_memory_gb`: the models that estimate their memory up front accept it.
    public static let parameterSpec = ParameterSpec(
        name: parameterName,
        kind: .doubleOrWord(1e-6...1_000_000, word: availableWord, meaning: "MemAvailable at fit time"),
        defaultValue: .string(availableWord),
        help: "refuse to fit when the memory estimate exceeds this many GB (10⁹ bytes); available: what the system has")

    /// The cap in GB, or nil for the memory available at fit time.
    static func limit(_ parameters: ModelParameters) -> Double? { parameters.numberOrWord(parameterName) }
}
