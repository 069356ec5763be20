public import ParameterSpecs

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
            name: "lr_bias", kind: .doubleOrSame(1e-6...1, as: "lr"), defaultValue: .string("lr"),
            help: "SGD learning rate of the biases, or 'lr' (the default): the same as lr"),
        ParameterSpec(
            name: "reg_bias", kind: .doubleOrSame(0...10, as: "reg"), defaultValue: .string("reg"),
            help: "L2 regularization of the biases, or 'reg' (the default): the same as reg"),
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
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), epochs: parameters.int("epochs"),
                learningRate: parameters.float("lr"),
                regularization: parameters.float("reg"), initStandardDeviation: parameters.float("init_std"),
                biasLearningRate: parameters.floatOrSame("lr_bias"),
                biasRegularization: parameters.floatOrSame("reg_bias"),
                learningRateDecay: parameters.float("lr_decay"),
                order: Order(rawValue: parameters.string("order")) ?? .shuffled),
            seed: seed)
    }
}
