public import ParameterSpecs

extension ALSModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(factors:iterations:regularization:alpha:initStandardDeviation:initialization:solver:cgSteps:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(name: "factors", kind: .int(1...1024), defaultValue: .int(64), help: "latent dimensions"),
        ParameterSpec(
            name: "iterations", kind: .int(0...1000), defaultValue: .int(15),
            help: "alternating passes (users, then items)"),
        ParameterSpec(name: "reg", kind: .double(0...10_000), defaultValue: .double(0.01), help: "L2 regularization λ"),
        ParameterSpec(
            name: "alpha", kind: .double(0...10_000), defaultValue: .double(1), help: "confidence c = 1 + alpha·r"),
        ParameterSpec(
            name: "init_std", kind: .double(0...1), defaultValue: .double(0.01),
            help: "standard deviation (init normal) or upper bound (init uniform) of the initial factors"),
        ParameterSpec(
            name: "init", kind: .choice(Initialization.allCases.map(\.rawValue)), defaultValue: .string("normal"),
            help: "normal: N(0, init_std²); uniform: U[0, init_std), the implicit library's start"),
        ParameterSpec(
            name: "solver", kind: .choice(Solver.allCases.map(\.rawValue)), defaultValue: .string("cg"),
            help: "cg: conjugate gradient from the previous factors; cholesky: exact solve per row"),
        ParameterSpec(
            name: "cg_steps", kind: .int(1...100), defaultValue: .int(3),
            help: "conjugate-gradient steps per row (solver cg)"),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                factors: parameters.int("factors"), iterations: parameters.int("iterations"),
                regularization: parameters.float("reg"), alpha: parameters.float("alpha"),
                initStandardDeviation: parameters.float("init_std"),
                initialization: Initialization(rawValue: parameters.string("init")) ?? .normal,
                solver: Solver(rawValue: parameters.string("solver")) ?? .conjugateGradient,
                cgSteps: parameters.int("cg_steps")),
            seed: seed)
    }
}
