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

    mutating func adoptChoice(summary: [String: Double], coldUsers cold: TwoTowerModel?, data: TrainingData) {
        hyperparameters.choosesOtherWeight = true
        fitSummary.merge(summary) { _, chosen in chosen }
        guard let cold else { return }
        coldUsers = [cold]
        servedByColdUsersModel = OtherWeightChoice.usersOnlyOthersKnow(data)
        fitSummary["users_from_other_domains"] = cold.fitSummary["users_from_other_domains"]
    }

    /// The cold users' model when `user` is one of the users it serves.
    func coldUsersModel(for user: Int32) -> TwoTowerModel? {
        let u = Int(user)
        guard let cold = coldUsers.first, u >= 0, u < servedByColdUsersModel.count, servedByColdUsersModel[u] else {
            return nil
        }
        return cold
    }

    /// Whether the towers (a member's, with an ensemble) learned the other domain `name`.
    func learnedDomain(_ name: String) -> Bool {
        let layout = members.first?.layout ?? layout
        return layout?.domains.dropFirst().contains { $0.name == name } == true
    }
}
