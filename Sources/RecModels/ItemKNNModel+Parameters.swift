public import ParameterSpecs

extension ItemKNNModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(neighbors:shrink:maximumMemoryGB:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "neighbors", kind: .int(0...1_000_000), defaultValue: .int(0),
            help: "neighbors kept per item; 0 keeps all"),
        ParameterSpec(
            name: "shrink", kind: .double(0...100_000), defaultValue: .double(0),
            help: "added to ‖a‖‖b‖ in the cosine's denominator"),
        MemoryBudget.parameterSpec,
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                neighbors: parameters.int("neighbors"), shrink: parameters.float("shrink"),
                maximumMemoryGB: MemoryBudget.limit(parameters)), seed: seed)
    }
}
