internal import RecData

/// ``UnifiedModel/ColdPrior/popularity``: the weight of popularity for users the evaluated domain
/// has never seen, learned on simulated cold users.
extension UnifiedModel {
    /// β of ``ColdPrior/popularity``, learned on simulated cold users; nil when progress said stop.
    func learnColdWeight(
        _ data: TrainingData, hyperparameters h: Hyperparameters, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (weight: Double, summary: [String: Double])? {
        var eligible = [Bool](repeating: false, count: data.userCount)
        for other in data.otherDomains { for user in other.interactions.users { eligible[Int(user)] = true } }
        let split: Split
        do {
            split = try Splitting.coldUsers(
                data.interactions, testFraction: 0.2, seed: seed &+ Self.coldSeedOffset, eligible: eligible)
        } catch {
            throw ModelError(model: Self.name, message: "cold_prior: \(error)")
        }
        let reduced = data.keeping(split.train)
        guard let inner = try validationFit(reduced, h, progress: progress) else { return nil }
        var popularity = PopularityModel()
        try popularity.fit(reduced)
        let curve = ScoreBlend.validationCurve(
            blending: AnyRecommender(inner), with: AnyRecommender(popularity), reduced: reduced, heldOut: split.test,
            isExplicit: data.isExplicit, maximumUsers: 1000, seed: seed &+ Self.coldSeedOffset)
        guard curve.users > 0 else {
            throw ModelError(
                model: Self.name,
                message:
                    "cold_prior popularity: no simulated cold user has a relevant row (it needs users with rows in another domain); use cold_prior=none"
            )
        }
        let best = ScoreBlend.bestWeightIndex(curve.ndcg)
        return (
            ScoreBlend.weightGrid[best],
            [
                "cold_popularity_weight": ScoreBlend.weightGrid[best], "validation_ndcg@10_cold": curve.ndcg[best],
                "validation_ndcg@10_cold_vector": curve.ndcg.first!, "validation_ndcg@10_cold_popularity": curve.ndcg.last!,
            ]
        )
    }

    /// A cold user's scores (rows only in other domains) with β = ``coldPopularityWeight`` > 0:
    /// (1 − β)·z(vector scores) + β·z(popularity), both standardized over the items seen in
    /// training. Other users' scores are left as they are.
    func blendPopularityForColdUser(_ user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let u = Int(user)
        guard coldPopularityWeight > 0, u >= 0, u < knownUsers.count, knownUsers[u], !hasEvaluatedRows[u] else { return }
        var vector = Array(scores), prior = (0..<scores.count).map { $0 < popularity.count ? popularity[$0] : 0 }
        let unseen = prior.map { $0 == 0 }
        ScoreBlend.standardize(&vector, excluded: unseen)
        ScoreBlend.standardize(&prior, excluded: unseen)
        let beta = Float(coldPopularityWeight)
        ScoreBlend.combine(vector, 1 - beta, prior, beta, into: scores)
    }
}
