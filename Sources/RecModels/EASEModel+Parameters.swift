public import ParameterSpecs

extension EASEModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(lambda:neighbors:maximumMemoryGB:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "lambda", kind: .double(1e-3...1e7), defaultValue: .double(500),
            help: "L2 weight on the item-item matrix"),
        ParameterSpec(
            name: "neighbors", kind: .int(0...1_000_000), defaultValue: .int(0),
            help: "weights kept per item after the solve (largest magnitude; sparse scoring); 0 keeps the dense matrix"),
        MemoryBudget.parameterSpec,
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                lambda: parameters.float("lambda"), neighbors: parameters.int("neighbors"),
                maximumMemoryGB: MemoryBudget.limit(parameters)),
            seed: seed)
    }
}
