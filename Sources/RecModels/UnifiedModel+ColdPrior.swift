internal import RecData

/// ``UnifiedModel/ColdPrior/popularity``: the weight of popularity for users the evaluated domain
/// has never seen, learned on simulated cold users.
extension UnifiedModel {
    /// β of ``ColdPrior/popularity``, learned on simulated cold users; nil when progress said stop.
    func learnColdWeight(
        _ data: TrainingData, hyperparameters h: Hyperparameters, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (weight: Double, summary: [String: Double])? {
        try ColdPopularityPrior.learn(data, seed: seed &+ Self.coldSeedOffset, modelName: Self.name) {
            reduced throws(ModelError) in
            try validationFit(reduced, h, progress: progress).map { AnyRecommender($0) }
        }
    }

    /// A cold user's scores (rows only in other domains) with β = ``coldPopularityWeight`` > 0:
    /// (1 − β)·z(vector scores) + β·z(popularity), both standardized over the items seen in
    /// training. Other users' scores are left as they are.
    func blendPopularityForColdUser(_ user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        guard coldPopularityWeight > 0, u >= 0, u < knownUsers.count, knownUsers[u], !hasEvaluatedRows[u] else { return }
        ColdPopularityPrior.blend(scores, popularity: popularity, weight: coldPopularityWeight)
    }
}
