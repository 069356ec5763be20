public import Sweep

extension EASEModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(lambda:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "lambda", kind: .double(1e-3...1e7), defaultValue: .double(500),
            help: "L2 weight on the item-item matrix")
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(hyperparameters: Hyperparameters(lambda: parameters.float("lambda")), seed: seed)
    }
}
