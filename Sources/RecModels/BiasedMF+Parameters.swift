public import Sweep

extension BiasedMF {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(factors:epochs:learningRate:regularization:initStandardDeviation:biasLearningRate:biasRegularization:learningRateDecay:order:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(name: "factors", kind: .int(1...1024), defaultValue: .int(100), help: "latent dimensions"),
        ParameterSpec(
            name: "epochs", kind: .int(0...1000), defaultValue: .int(20), help: "SGD passes over the training ratings"),
        ParameterSpec(
            name: "lr", kind: .double(1e-6...1), defaultValue: .double(0.005), help: "SGD learning rate of the factors"),
        ParameterSpec(
            name: "reg", kind: .double(0...10), defaultValue: .double(0.02), help: "L2 regularization of the factors"),
        ParameterSpec(
            name: "init_std", kind: .double(0...1), defaultValue: .double(0.1),
            help: "standard deviation of the initial factors"),
        ParameterSpec(
            name: "lr_bias", kind: .double(-1...1), defaultValue: .double(-1),
            help: "SGD learning rate of the biases; negative: same as lr"),
        ParameterSpec(
            name: "reg_bias", kind: .double(-1...10), defaultValue: .double(-1),
            help: "L2 regularization of the biases; negative: same as reg"),
        ParameterSpec(
            name: "lr_decay", kind: .double(0.01...1), defaultValue: .double(1),
            help: "factor applied to the learning rates after each epoch; 1: constant"),
        ParameterSpec(
            name: "order", kind: .choice(Order.allCases.map(\.rawValue)), defaultValue: .string("shuffled"),
            help: "rows visited per epoch: shuffled (a new seeded shuffle each epoch) or fixed "
                + "(grouped by user in order of first appearance, Surprise's order; no per-epoch shuffle)"),
    ]

    /// Builds the model from checked parameters (see ``parameterSpecs``).
    public init(parameters: ModelParameters, seed: UInt64) {
        let biasRate = parameters.float("lr_bias"), biasRegularization = parameters.float("reg_bias")
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), epochs: parameters.int("epochs"),
                learningRate: parameters.float("lr"),
                regularization: parameters.float("reg"), initStandardDeviation: parameters.float("init_std"),
                biasLearningRate: biasRate < 0 ? nil : biasRate,
                biasRegularization: biasRegularization < 0 ? nil : biasRegularization,
                learningRateDecay: parameters.float("lr_decay"),
                order: Order(rawValue: parameters.string("order")) ?? .shuffled),
            seed: seed)
    }
}
