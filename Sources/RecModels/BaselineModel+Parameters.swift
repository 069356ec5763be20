public import ParameterSpecs

extension BaselineModel {
    /// The hyperparameters a sweep may set; defaults equal ``Hyperparameters/init(userRegularization:itemRegularization:epochs:)``'s.
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec(
            name: "reg_user", kind: .double(0...1000), defaultValue: .double(15),
            help: "L2 regularization of the user biases"),
        ParameterSpec(
            name: "reg_item", kind: .double(0...1000), defaultValue: .double(10),
            help: "L2 regularization of the item biases"),
        ParameterSpec(
            name: "epochs", kind: .int(0...1000), defaultValue: .int(10), help: "alternating least-squares passes"),
    ]

    public init(parameters: ModelParameters, seed: UInt64) {
        self.init(
            hyperparameters: Hyperparameters(
                userRegularization: parameters.float("reg_user"), itemRegularization: parameters.float("reg_item"),
                epochs: parameters.int("epochs")),
            seed: seed)
    }
}
