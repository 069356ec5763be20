internal import RecData

/// `other_weight: auto` with a weight of its own for cold users (``OtherWeightChoice/coldStep(harmless:chosen:figures:)``):
/// when the other domains hurt the evaluated domain's users (w = 0 for them) but serve the users
/// only they know better than popularity, a second model fitted with that weight scores those
/// users, and the first everyone else.
extension TwoTowerModel {
    func withFixedOtherWeight(_ weight: Float) -> TwoTowerModel {
        var fixed = TwoTowerModel(hyperparameters: hyperparameters, seed: seed)
        fixed.hyperparameters.choosesOtherWeight = false
        fixed.hyperparameters.otherWeight = weight
        return fixed
    }

    /// The choice's single fits run like ensemble members: `threads` at once.
    var choiceThreads: Int { ParallelRows.threads(requested: hyperparameters.threads) }

    var choosesOtherWeight: Bool {
        get { hyperparameters.choosesOtherWeight }
        set { hyperparameters.choosesOtherWeight = newValue }
    }

    /// Whether the towers (a member's, with an ensemble) learned the other domain `name`.
    func learnedDomain(_ name: String) -> Bool {
        let layout = members.first?.layout ?? layout
        return layout?.domains.dropFirst().contains { $0.name == name } == true
    }
}
