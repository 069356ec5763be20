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

    /// The weights `stack` tries: 0, 0.05, …, 1.
    public static let weightGrid: [Double] = (0...20).map { Double($0) / 20 }
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
            let curve = Self.validationCurve(
                blending: validationCF, with: validationContent, reduced: reduced, heldOut: split.test,
                isExplicit: data.isExplicit, maximumUsers: h.validationUsers, seed: seed &+ Self.holdoutSeedOffset)
            guard curve.users > 0 else {
                throw ModelError(
                    model: Self.name,
                    message:
                        "stack: no user has a relevant held-out row to learn the weight from (holdout \(h.holdout)); use combination=blend or a larger holdout"
                )
            }
            let best = Self.bestWeightIndex(curve.ndcg)
            contentWeight = Self.weightGrid[best]
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

    /// Mean validation NDCG@10 of (1 − w)·z(first) + w·z(second) at each weight w of ``weightGrid``,
    /// over the users with a relevant held-out candidate (a seeded sample of `maximumUsers` of them
    /// when there are more). The hybrid blends its CF part (first) with content (second); the
    /// unified model's cold prior blends its vectors with popularity.
    static func validationCurve(
        blending first: AnyRecommender, with second: AnyRecommender, reduced: TrainingData, heldOut: Interactions, isExplicit: Bool,
        maximumUsers: Int, seed: UInt64
    ) -> (ndcg: [Double], users: Int) {
        let itemCount = reduced.itemCount
        let unseen = (0..<itemCount).map { reduced.byItem.rowLength($0) == 0 }
        let threshold = isExplicit ? TopKEvaluator.explicitRelevanceThreshold : -Float.infinity
        var relevant = [[Int32]](repeating: [], count: reduced.userCount)
        for k in 0..<heldOut.count where heldOut.values[k] >= threshold {
            let user = Int(heldOut.users[k]), item = heldOut.items[k]
            guard !unseen[Int(item)], !reduced.byUser.contains(row: user, column: item) else { continue }
            if !relevant[user].contains(item) { relevant[user].append(item) }
        }
        var users = relevant.indices.filter { !relevant[$0].isEmpty }
        if users.count > maximumUsers {
            var generator = SeededGenerator(seed: seed)
            generator.shuffle(&users)
            users = Array(users.prefix(maximumUsers)).sorted()
        }
        var totals = [Double](repeating: 0, count: weightGrid.count)
        var firstScores = [Float](repeating: 0, count: itemCount)
        var secondScores = [Float](repeating: 0, count: itemCount)
        var combined = [Float](repeating: 0, count: itemCount)
        var excluded = [Bool](repeating: false, count: itemCount)
        var isRelevant = [Bool](repeating: false, count: itemCount)
        var selector = TopKSelector(capacity: 10)
        for user in users {
            for i in 0..<itemCount { excluded[i] = unseen[i] }
            for k in reduced.byUser.rowRange(user) { excluded[Int(reduced.byUser.columns[k])] = true }
            firstScores.withUnsafeMutableBufferPointer { first.scoreAll(user: Int32(user), into: $0) }
            secondScores.withUnsafeMutableBufferPointer { second.scoreAll(user: Int32(user), into: $0) }
            standardize(&firstScores, excluded: excluded)
            standardize(&secondScores, excluded: excluded)
            for item in relevant[user] { isRelevant[Int(item)] = true }
            for (g, w) in weightGrid.enumerated() {
                let a = Float(1 - w), b = Float(w)
                for i in 0..<itemCount { combined[i] = a * firstScores[i] + b * secondScores[i] }
                let top = selector.select(10, scores: combined, excluded: excluded)
                totals[g] += RankingMetrics.ndcg(
                    hits: top.map { isRelevant[Int($0)] }, k: 10, relevantCount: relevant[user].count)
            }
            for item in relevant[user] { isRelevant[Int(item)] = false }
        }
        return (totals.map { users.isEmpty ? 0 : $0 / Double(users.count) }, users.count)
    }

    /// The grid index of the highest validation score (the first, i.e. the smaller weight, on ties).
    static func bestWeightIndex(_ ndcg: [Double]) -> Int {
        var best = 0
        for k in ndcg.indices where ndcg[k] > ndcg[best] { best = k }
        return best
    }

    /// Replaces `scores` by (s − mean) / std over the entries `excluded` does not flag (Double
    /// sums in index order); every entry becomes 0 when those are constant or there are none.
    public static func standardize(_ scores: inout [Float], excluded: [Bool]?) {
        var count = 0
        var sum = 0.0
        for i in scores.indices where excluded?[i] != true {
            count += 1
            sum += Double(scores[i])
        }
        let mean = count > 0 ? sum / Double(count) : 0
        var squares = 0.0
        for i in scores.indices where excluded?[i] != true { squares += (Double(scores[i]) - mean) * (Double(scores[i]) - mean) }
        let deviation = count > 0 ? (squares / Double(count)).squareRoot() : 0
        guard deviation > 0, deviation.isFinite else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        for i in scores.indices { scores[i] = Float((Double(scores[i]) - mean) / deviation) }
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
        Self.standardize(&cf, excluded: excluded)
        Self.standardize(&text, excluded: excluded)
        let a = Float(1 - contentWeight), b = Float(contentWeight)
        for i in 0..<itemCount { scores[i] = a * cf[i] + b * text[i] }
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
        Self.standardize(&cf, excluded: nil)
        Self.standardize(&text, excluded: nil)
        let a = Float(1 - contentWeight), b = Float(contentWeight)
        for k in 0..<candidates.count { scores[k] = a * cf[k] + b * text[k] }
    }
}
