public import ParameterSpecs

extension BPRModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(factors:epochs:learningRate:regularization:biasRegularization:initStandardDeviation:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(name: "factors", kind: .int(1...1024), defaultValue: .int(64), help: "latent dimensions"),
        ParameterSpec(
            name: "epochs", kind: .int(0...10_000), defaultValue: .int(40), help: "passes of nnz sampled triples"),
        ParameterSpec(name: "lr", kind: .double(1e-6...10), defaultValue: .double(0.05), help: "SGD learning rate"),
        ParameterSpec(
            name: "reg", kind: .double(0...10), defaultValue: .double(0.02), help: "L2 regularization of the factors"),
        ParameterSpec(
            name: "reg_bias", kind: .double(0...10), defaultValue: .double(0.01),
            help: "L2 regularization of the item biases"),
        ParameterSpec(
            name: "init_std", kind: .double(0...1), defaultValue: .double(0.1),
            help: "standard deviation of the initial factors"),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), epochs: parameters.int("epochs"),
                learningRate: parameters.float("lr"),
                regularization: parameters.float("reg"), biasRegularization: parameters.float("reg_bias"),
                initStandardDeviation: parameters.float("init_std")),
            seed: seed)
    }
}
