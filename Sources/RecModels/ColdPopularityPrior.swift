internal import RecData

/// `cold_prior: popularity`, shared by ``UnifiedModel`` and ``TwoTowerModel``: for users the
/// evaluated domain has never seen (rows only in other domains), the score is
/// (1 − β)·z(model score) + β·z(popularity), both standardized over the items seen in training,
/// with β ∈ ``ScoreBlend/weightGrid`` learned on simulated cold users: 20 % of the training users
/// with other-domain rows lose their evaluated-domain rows, a model is fitted on the rest, and β
/// maximises NDCG@10 on the rows taken away (at most 1,000 of those users, a seeded sample).
enum ColdPopularityPrior {
    /// What a fit's summary holds with the prior.
    static let summaryNames = [
        "cold_popularity_weight", "validation_ndcg@10_cold", "validation_ndcg@10_cold_vector",
        "validation_ndcg@10_cold_popularity",
    ]

    /// β learned on simulated cold users of `data` (the draw and the user sample from `seed`);
    /// `fit` fits the model without the prior on the reduced data. Nil when `fit` returns nil (a
    /// stop).
    /// - Throws: ``ModelError`` naming `modelName` when no simulated cold user has a relevant row.
    static func learn(
        _ data: TrainingData, seed: UInt64, modelName: String,
        fit: (TrainingData) throws(ModelError) -> AnyRecommender?
    ) throws(ModelError) -> (weight: Double, summary: [String: Double])? {
        let eligible = data.usersWithOtherDomainRows()
        let split: Split
        do {
            split = try Splitting.coldUsers(data.interactions, testFraction: 0.2, seed: seed, eligible: eligible)
        } catch {
            throw ModelError(model: modelName, message: "cold_prior: \(error)")
        }
        let reduced = data.keeping(split.train)
        guard let inner = try fit(reduced) else { return nil }
        var popularity = PopularityModel()
        try popularity.fit(reduced)
        let curve = ScoreBlend.validationCurve(
            blending: inner, with: AnyRecommender(popularity), reduced: reduced, heldOut: split.test,
            isExplicit: data.isExplicit, maximumUsers: 1000, seed: seed)
        guard curve.users > 0 else {
            throw ModelError(
                model: modelName,
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

    /// Replaces a cold user's `scores` by (1 − β)·z(scores) + β·z(popularity), both standardized
    /// over the items with training rows (`popularity` > 0); β = `weight`.
    static func blend(_ scores: UnsafeMutableBufferPointer<Float>, popularity: [Float], weight: Double) {
        var vector = Array(scores), prior = (0..<scores.count).map { $0 < popularity.count ? popularity[$0] : 0 }
        let unseen = prior.map { $0 == 0 }
        ScoreBlend.standardize(&vector, excluded: unseen)
        ScoreBlend.standardize(&prior, excluded: unseen)
        let beta = Float(weight)
        ScoreBlend.combine(vector, 1 - beta, prior, beta, into: scores)
    }
}
