internal import RecData
internal import RecEval

extension UnifiedModel: OtherWeightChoosing {
    func withFixedOtherWeight(_ weight: Float) -> UnifiedModel {
        var fixed = UnifiedModel(hyperparameters: hyperparameters, seed: seed)
        fixed.hyperparameters.choosesOtherWeight = false
        fixed.hyperparameters.otherWeight = weight
        return fixed
    }

    var choosesOtherWeight: Bool {
        get { hyperparameters.choosesOtherWeight }
        set { hyperparameters.choosesOtherWeight = newValue }
    }

    func weightedFit(
        _ reduced: TrainingData, weight: Float, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> UnifiedModel? {
        var variant = hyperparameters
        variant.otherWeight = weight
        return try validationFit(reduced, variant, progress: progress)
    }

    /// A copy of this model fitted on `reduced` with `variant` (fixed weight, no cold prior), its
    /// epochs reported as `validation.*`; nil when `progress` said stop.
    func validationFit(
        _ reduced: TrainingData, _ variant: Hyperparameters, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> UnifiedModel? {
        var inner = self
        inner.hyperparameters = variant
        inner.hyperparameters.choosesOtherWeight = false
        inner.hyperparameters.coldPrior = .none
        return try inner.fittedAsValidation(reduced, progress: progress)
    }
}
