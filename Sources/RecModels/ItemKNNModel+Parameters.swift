public import Sweep

extension ItemKNNModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(neighbours:shrink:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "neighbours", kind: .int(0...1_000_000), defaultValue: .int(0),
            help: "neighbours kept per item; 0 keeps all"),
        ParameterSpec(
            name: "shrink", kind: .double(0...100_000), defaultValue: .double(0),
            help: "added to ‖a‖‖b‖ in the cosine's denominator"),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                neighbours: parameters.int("neighbours"), shrink: parameters.float("shrink")), seed: seed)
    }
}
