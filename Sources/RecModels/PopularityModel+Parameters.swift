public import ParameterSpecs

extension PopularityModel {
    /// None: popularity has no hyperparameters.
    public static let parameterSpecs: [ParameterSpec] = []

    public init(parameters: ModelParameters, seed: UInt64) { self.init(seed: seed) }
}
