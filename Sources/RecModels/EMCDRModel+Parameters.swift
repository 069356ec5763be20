public import ParameterSpecs

extension EMCDRModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(factors:iterations:regularization:alpha:initStandardDeviation:mapping:mappingRegularization:hidden:epochs:learningRate:batchSize:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "factors", kind: .int(1...512), defaultValue: .int(32),
            help: "latent dimensions of both domains' factorisations"),
        ParameterSpec(
            name: "iterations", kind: .int(0...1000), defaultValue: .int(10),
            help: "ALS passes (users, then items) of each domain's factorisation"),
        ParameterSpec(
            name: "reg", kind: .double(1e-6...10_000), defaultValue: .double(0.05),
            help: "L2 regularization λ of both factorisations"),
        ParameterSpec(
            name: "alpha", kind: .double(0...10_000), defaultValue: .double(1), help: "confidence c = 1 + alpha·r"),
        ParameterSpec(
            name: "init_std", kind: .double(0...1), defaultValue: .double(0.01),
            help: "standard deviation of the initial factors"),
        ParameterSpec(
            name: "mapping", kind: .choice(Mapping.allCases.map(\.rawValue)), defaultValue: .string("linear"),
            help:
                "source→target user map learned on shared users: linear (ridge regression, closed form) or mlp (one hidden ReLU layer, Adam)"
        ),
        ParameterSpec(
            name: "mapping_reg", kind: .double(0...10_000), defaultValue: .double(0.001),
            help: "μ in (1/n) Σ ‖f(s_u) − x_u‖² + μ ‖W‖², the map's L2 penalty on its weights"),
        ParameterSpec(
            name: "hidden", kind: .int(1...4096), defaultValue: .int(64), help: "hidden width of the mlp mapping",
            appliesWhen: .init(parameter: "mapping", values: ["mlp"])),
        ParameterSpec(
            name: "epochs", kind: .int(0...10_000), defaultValue: .int(200),
            help: "passes of the mlp mapping over the shared users",
            appliesWhen: .init(parameter: "mapping", values: ["mlp"])),
        ParameterSpec(
            name: "lr", kind: .double(1e-6...1), defaultValue: .double(0.003),
            help: "Adam learning rate of the mlp mapping",
            appliesWhen: .init(parameter: "mapping", values: ["mlp"])),
        ParameterSpec(
            name: "batch_size", kind: .int(1...65_536), defaultValue: .int(64),
            help: "shared users per Adam step of the mlp mapping",
            appliesWhen: .init(parameter: "mapping", values: ["mlp"])),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), iterations: parameters.int("iterations"),
                regularization: parameters.float("reg"), alpha: parameters.float("alpha"),
                initStandardDeviation: parameters.float("init_std"),
                mapping: Mapping(rawValue: parameters.string("mapping")) ?? .linear,
                mappingRegularization: parameters.float("mapping_reg"), hidden: parameters.int("hidden"),
                epochs: parameters.int("epochs"), learningRate: parameters.float("lr"),
                batchSize: parameters.int("batch_size")),
            seed: seed)
    }
}
