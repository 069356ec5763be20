internal import RecData
internal import RecEval

extension UnifiedModel: OtherWeightChoosing {
    func withFixedOtherWeight(_ weight: Float) -> UnifiedModel {
        var fixed = UnifiedModel(hyperparameters: hyperparameters, seed: seed)
        fixed.hyperparameters.choosesOtherWeight = false
        fixed.hyperparameters.otherWeight = weight
        return fixed
    }

    mutating func adoptChoice(summary: [String: Double], coldUsers cold: UnifiedModel?, data: TrainingData) {
        hyperparameters.choosesOtherWeight = true
        fitSummary.merge(summary) { _, chosen in chosen }
        guard let cold else { return }
        coldUsers = [cold]
        servedByColdUsersModel = OtherWeightChoice.usersOnlyOthersKnow(data)
        fitSummary["users_from_other_domains"] = cold.fitSummary["users_from_other_domains"]
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
