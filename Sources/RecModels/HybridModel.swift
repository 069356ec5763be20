import RecData
internal import RecEval

/// A collaborative-filtering model and the content model combined by a weighted sum of their
/// standardized scores, the weight fixed (`blend`) or learned on a validation split (`stack`).
///
/// - Score: s(u, i) = (1 − w)·z_cf(u, i) + w·z_content(u, i), where z_m(u, ·) standardizes model
///   m's scores for user u over u's candidates: the items with at least one training row, minus
///   u's own training items (the set the top-K protocol ranks). z = (s − mean) / std, and z = 0
///   when every candidate scores the same (std 0). Standardizing first puts an EASE score, an ALS
///   dot product and a cosine on one scale, so w reads as the content model's share.
/// - `blend`: w = `content_weight`; each component is trained once on all training rows.
/// - `stack`: a linear stacker with one weight, learned without touching test rows. Each user
///   with at least two rows keeps out `holdout` of them (a seeded per-user holdout; at least one
///   row stays in training); both components are trained on the rest; on up to
///   ``Hyperparameters/validationUsers`` users with a relevant held-out row (value ≥
///   ``RecEval/TopKEvaluator/explicitRelevanceThreshold`` on explicit data, any row on implicit
///   data; a seeded sample when there are more), w is the value of {0, 0.05, …, 1} with the
///   highest mean validation NDCG@10 (ties: the smaller w). Both components are then retrained on
///   all training rows and combined with that w. ``fitSummary`` reports the chosen w, its
///   validation NDCG@10 and that of w = 0 (CF alone) and w = 1 (content alone).
/// - MIND impressions (``scoreCandidates(user:history:candidates:itemCount:into:)``): each
///   component scores the candidates from the impression's history; z is taken over the
///   impression's candidates.
///
/// The seed seeds the CF component and (with a fixed offset) the holdout; the content model has
/// no randomness. Progress reports every component epoch, its values prefixed by the stage
/// (`validation.ease.…`, `ease.…`, `content.…`).
/// - Complexity: `blend` costs one fit of each component; `stack` two, plus scoring both for the
///   validation users (O(validation users × (component scoring + 21 × items))). Scoring costs
///   both components' ``scoreAll(user:into:)`` plus O(items). Memory: both components.
public struct HybridModel: Recommender {
    public static let name = "hybrid"

    public enum Combination: String, Sendable, Hashable, CaseIterable {
        case blend
        case stack
    }

    public struct Hyperparameters: Sendable, Hashable {
        public var combination: Combination
        /// w for `blend`.
        public var contentWeight: Double
        /// Fraction of each user's rows kept out to learn w (`stack`).
        public var holdout: Double
        /// Most users scored to learn w (`stack`).
        public var validationUsers: Int

        public init(
            combination: Combination = .stack, contentWeight: Double = 0.5, holdout: Double = 0.2,
            validationUsers: Int = 1000
        ) {
            self.combination = combination
            self.contentWeight = contentWeight
            self.holdout = holdout
            self.validationUsers = validationUsers
        }
    }

    /// What ``fitSummary`` may hold (`stack` fills all of them, `blend` the weight).
    public static let fitSummaryNames = [
        "content_weight", "validation_ndcg@10", "validation_ndcg@10_cf", "validation_ndcg@10_content", "validation_users",
    ]

    /// Offset added to the seed for the holdout, so it does not share draws with the CF model's start.
    static let holdoutSeedOffset: UInt64 = 0x5EED_401D

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    /// The untrained components, then the trained ones.
    public private(set) var collaborative: AnyRecommender
    public private(set) var content: AnyRecommender
    /// w in use: `content_weight`, or the one `stack` chose.
    public private(set) var contentWeight: Double
    public private(set) var fitSummary: [String: Double] = [:]
    /// Per item: no training row (excluded from every user's standardization).
    var unseen: [Bool] = []
    var byUser: SparseMatrix? = nil

    public init(
        collaborative: AnyRecommender, content: AnyRecommender, hyperparameters: Hyperparameters = Hyperparameters(),
        seed: UInt64 = 0
    ) {
        self.collaborative = collaborative
        self.content = content
        self.hyperparameters = hyperparameters
        self.seed = seed
        contentWeight = hyperparameters.contentWeight
    }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        let h = hyperparameters
        guard (0...1).contains(h.contentWeight) else {
            throw ModelError(model: Self.name, message: "content_weight must be in 0…1, got \(h.contentWeight)")
        }
        guard h.holdout > 0 && h.holdout < 1 else {
            throw ModelError(model: Self.name, message: "holdout must be in (0, 1), got \(h.holdout)")
        }
        guard h.validationUsers >= 1 else {
            throw ModelError(model: Self.name, message: "validation_users must be at least 1, got \(h.validationUsers)")
        }
        // Without item text the content part fails; say so before the CF part's fit, which can take
        // minutes (EASE on 20 845 items: 95 s).
        do { try ContentModel.requireItemText(data) } catch {
            throw ModelError(model: Self.name, message: "the content part failed: \(error)")
        }
        // Fits `model` with its progress forwarded under `stage`; false when progress said stop.
        func fit(_ model: inout AnyRecommender, _ data: TrainingData, stage: String) throws(ModelError) -> Bool {
            var proceed = true
            do {
                try model.fit(data) { epoch in
                    var values: [String: Double] = [:]
                    for (key, value) in epoch.values { values["\(stage).\(key)"] = value }
                    let decision = progress(
                        EpochProgress(epoch: epoch.epoch, totalEpochs: epoch.totalEpochs, values: values))
                    if decision == .stop { proceed = false }
                    return decision
                }
            } catch {
                // Name the part that failed, and what the user can change.
                let part = model.name == ContentModel.name ? "the content part" : "the cf part (cf=\(model.name))"
                let hint = model.name == ContentModel.name ? "" : "; or choose another cf (\(ModelRegistry.rankingComponents.map(\.name).filter { $0 != model.name }.joined(separator: ", ")))"
                throw ModelError(model: Self.name, message: "\(part) failed: \(error)\(hint)")
            }
            return proceed
        }
        var summary: [String: Double] = [:]
        if h.combination == .stack {
            let split: Split
            do {
                split = try Splitting.perUserHoldout(
                    data.interactions, testFraction: h.holdout, seed: seed &+ Self.holdoutSeedOffset)
            } catch {
                throw ModelError(model: Self.name, message: "holdout: \(error)")
            }
            let reduced = data.keeping(split.train)
            var validationCF = collaborative
            var validationContent = content
            guard try fit(&validationCF, reduced, stage: "validation.\(collaborative.name)"),
                try fit(&validationContent, reduced, stage: "validation.content")
            else { return }
            let curve = ScoreBlend.validationCurve(
                blending: validationCF, with: validationContent, reduced: reduced, heldOut: split.test,
                isExplicit: data.isExplicit, maximumUsers: h.validationUsers, seed: seed &+ Self.holdoutSeedOffset)
            guard curve.users > 0 else {
                throw ModelError(
                    model: Self.name,
                    message:
                        "stack: no user has a relevant held-out row to learn the weight from (holdout \(h.holdout)); use combination=blend or a larger holdout"
                )
            }
            let best = ScoreBlend.bestWeightIndex(curve.ndcg)
            contentWeight = ScoreBlend.weightGrid[best]
            summary["content_weight"] = contentWeight
            summary["validation_ndcg@10"] = curve.ndcg[best]
            summary["validation_ndcg@10_cf"] = curve.ndcg.first!
            summary["validation_ndcg@10_content"] = curve.ndcg.last!
            summary["validation_users"] = Double(curve.users)
        } else {
            contentWeight = h.contentWeight
            summary["content_weight"] = contentWeight
        }
        guard try fit(&collaborative, data, stage: collaborative.name), try fit(&content, data, stage: "content") else {
            return
        }
        unseen = (0..<data.itemCount).map { data.byItem.rowLength($0) == 0 }
        byUser = data.byUser
        fitSummary = summary
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let itemCount = scores.count
        var excluded = [Bool](repeating: false, count: itemCount)
        for i in 0..<min(itemCount, unseen.count) { excluded[i] = unseen[i] }
        if let byUser, Int(user) >= 0, Int(user) < byUser.rowCount {
            for k in byUser.rowRange(Int(user)) where Int(byUser.columns[k]) < itemCount {
                excluded[Int(byUser.columns[k])] = true
            }
        }
        var cf = [Float](repeating: 0, count: itemCount)
        var text = [Float](repeating: 0, count: itemCount)
        cf.withUnsafeMutableBufferPointer { collaborative.scoreAll(user: user, into: $0) }
        text.withUnsafeMutableBufferPointer { content.scoreAll(user: user, into: $0) }
        ScoreBlend.standardize(&cf, excluded: excluded)
        ScoreBlend.standardize(&text, excluded: excluded)
        ScoreBlend.combine(cf, Float(1 - contentWeight), text, Float(contentWeight), into: scores)
    }

    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        var cf = [Float](repeating: 0, count: candidates.count)
        var text = [Float](repeating: 0, count: candidates.count)
        cf.withUnsafeMutableBufferPointer {
            collaborative.scoreCandidates(
                user: user, history: history, candidates: candidates, itemCount: itemCount, into: $0)
        }
        text.withUnsafeMutableBufferPointer {
            content.scoreCandidates(user: user, history: history, candidates: candidates, itemCount: itemCount, into: $0)
        }
        ScoreBlend.standardize(&cf, excluded: nil)
        ScoreBlend.standardize(&text, excluded: nil)
        ScoreBlend.combine(cf, Float(1 - contentWeight), text, Float(contentWeight), into: scores)
    }
}
