import Foundation
internal import RecData
internal import RecNN

/// A two-tower network over the unified profile: an item tower with a branch per domain (id,
/// categories, the item's text vector) and a shared output projection, and a user tower that pools
/// the item vectors of the user's rows in every domain (``TwoTowerNetwork``). Trained on all
/// domains at once; it scores the evaluated domain, and ``scoreOtherDomain(_:user:into:)`` the others.
///
/// Loss, per batch of B training rows of one domain (`batches: per-domain`) or of all (`mixed`):
/// - retrieval: in-batch sampled softmax with log-Q correction (Yi et al. 2019) between each row's
///   user vector, pooled from the user's *other* rows, and its item's vector, temperature τ; Q is the
///   item's share of the domain's rows (the chance that uniform row sampling puts it in a batch);
///   weight 1 for the evaluated domain and `other_weight` for the others;
/// - ratings (explicit evaluated domain, `rating_weight` > 0): squared error of r̂ = μ + b_i + a · (u · v);
/// - clicks (MIND training impressions, `click_weight` > 0): each impression's clicked candidates
///   against its shown but unclicked ones, a softmax over the impression (NPA/NRMS style).
///
/// Cold items: an item without training rows has no id vector; its content (categories, text) alone
/// places it. `id_dropout` withholds training items' ids at random so that the content path learns
/// to stand alone. Cold users: a user with rows only in another domain is pooled from those;
/// `cold_dropout` trains that case: with that chance an evaluated-domain training row's user vector
/// is pooled from the user's other-domain rows alone (DropoutNet, Volkovs et al. 2017, on the user
/// side), so the towers learn to rank the evaluated domain for users it has never seen there.
///
/// Optimiser: AdamW with decoupled weight decay, linear warm-up over the first 5 % of steps, then
/// cosine decay to a tenth. With `validation` > 0, that share of each user's evaluated-domain rows
/// is held out; after each epoch NDCG@10 on it is measured (`validation_ndcg@10` in progress), the
/// best epoch's parameters are kept and training stops after `patience` epochs without gain.
/// - Complexity: O(epochs × nnz × (batch_size + hidden) × dimension) time with in-batch negatives
///   (`negatives: all` runs the item tower over the whole catalogue each step); O((users + items) ×
///   dimension × 3 + tower weights × 3) memory (parameters and AdamW's two moments). Measured time
///   and peak memory: docs/model-costs.md.
/// `other_weight: auto` chooses the other domains' weight among 0, 0.1, 0.3 and 1 on a holdout of the
/// training rows, as the unified model does (OtherWeightChoice.swift), with one member deciding.
/// - Determinism: bit-identical for a seed on one thread (one seeded generator, OpenBLAS on one thread).
public struct TwoTowerModel: CrossDomainScoring {
    public static let name = "twotower"

    public enum Pooling: String, Sendable, Hashable, CaseIterable { case mean, attention, domains }
    /// How explicit ratings count as positives.
    public enum Weighting: String, Sendable, Hashable, CaseIterable {
        /// Every rated item is a positive of weight 1.
        case uniform
        /// A rating above the user's mean is a positive weighted by the excess; the rest are not.
        case centered
    }
    /// Which of a user's rows the user tower pools.
    public enum PoolRows: String, Sendable, Hashable, CaseIterable {
        /// The rows that are positives, weighted as positives (with `centered`, only ratings above
        /// the user's mean, by the excess).
        case positives
        /// Every row, weight 1: which items a user chose to rate is evidence of taste whatever
        /// the rating (the positives of the loss and the rating head are unchanged).
        case rated
        /// The positives as with `positives`, and the other rows (weight 1) as a pseudo-domain of
        /// their own per domain, with its own prior, pseudo-count and map (`pooling=domains` only):
        /// the towers learn how much "rated but not liked" counts instead of mixing it in.
        case split
    }
    public enum Negatives: String, Sendable, Hashable, CaseIterable {
        /// The batch's other positives, with log-Q correction.
        case inBatch = "in-batch"
        /// Every item of the batch's domain (every item with mixed batches): the exact softmax,
        /// for catalogues small enough to run the item tower over whole each step.
        case all
    }
    /// What the inner holdout (early stopping) holds out.
    public enum ValidationSplit: String, Sendable, Hashable, CaseIterable {
        /// A share of every user's evaluated-domain rows.
        case rows
        /// Every evaluated-domain row of a share of the users other domains know: simulated cold users.
        case coldUsers = "cold-users"
    }
    public enum Batches: String, Sendable, Hashable, CaseIterable {
        case perDomain = "per-domain"
        case mixed
    }

    /// The defaults are the configuration chosen on the synthetic validation draw (docs/twotower.md).
    public struct Hyperparameters: Sendable, Hashable {
        public var dimension = 64
        public var hidden = 128
        public var epochs = 40
        public var batchSize = 256
        public var learningRate: Float = 0.005
        public var weightDecay: Float = 0.01
        public var temperature: Float = 0.1
        public var text: String = "tfidf"
        public var ldaTopics = 32
        public var weighting: Weighting = .centered
        /// Words kept with `text == "tfidf"`.
        public var textTerms = 2048
        public var idDropout: Float = 0.5
        /// Chance that an evaluated-domain training row pools only the user's other-domain rows.
        public var coldDropout: Float = 0
        public var dropout: Float = 0.1
        public var pooling: Pooling = .mean
        public var pool: PoolRows = .positives
        public var halfLifeDays: Double = 0
        public var userEmbedding = false
        public var otherWeight: Float = 1
        /// `other_weight: auto`: the weight is chosen on a holdout of the training rows
        /// (``OtherWeightChoosing/chooseOtherWeight(_:progress:)``, one member deciding).
        public var choosesOtherWeight = false
        public var ratingWeight: Float = 0
        public var clickWeight: Float = 0
        /// Weight of the like head's cross-entropy (``LikeHead``; explicit evaluated domain); 0: no head.
        public var likeWeight: Float = 0
        public var batches: Batches = .perDomain
        public var negatives: Negatives = .inBatch
        public var validation: Double = 0.1
        public var validationSplit: ValidationSplit = .rows
        public var patience = 5
        public var maxHistory = 200
        /// Start of the wide channel's weight a² (``WideChannel``); 0: no wide channel.
        public var wide: Float = 0
        /// Towers trained with different seeds whose scores are averaged (``TwoTowerModel/members``).
        public var ensemble = 1
        /// Users only other domains know: their vector alone, or blended with popularity
        /// (``ColdPopularityPrior``, β learned by one member on simulated cold users).
        public var coldPrior: UnifiedModel.ColdPrior = .none
        /// Ensemble members fitted at once (each on one thread); 0: the active processor count,
        /// at most 8 (``ParallelRows/threads(requested:)``). The result does not depend on it.
        public var threads = 0

        public init() {}
    }

    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public internal(set) var fitSummary: [String: Double] = [:]

    var layout: TwoTowerData?
    var network: TwoTowerNetwork?
    /// Unit item vectors of every global item (inference), and of every user (their rows in all
    /// domains), row-major.
    var itemVectors: [Float] = []
    var userVectors: [Float] = []
    /// Per user: whether any domain has a row of theirs.
    var knownUsers: [Bool] = []
    var popularity: [Float] = []
    var ratesItems = false
    /// The fixed content channel and its learned weight a² (`wide` > 0).
    var wide: WideChannel?
    var wideWeight: Float = 0
    /// With `ensemble` N > 1: the N fitted single models whose scores are averaged (this model's
    /// own tower state stays empty). TwoTowerEnsemble.swift.
    var members: [TwoTowerModel] = []
    /// With `other_weight: auto` choosing 0 while a positive weight serves simulated cold users:
    /// the model fitted with that weight (one element), which scores the users only other
    /// domains know (``servedByColdUsersModel``). TwoTowerModel+ColdUsers.swift.
    var coldUsers: [TwoTowerModel] = []
    var servedByColdUsersModel: [Bool] = []
    /// β of `cold_prior: popularity` (0: none), the evaluated domain's training rows per item, and
    /// per user whether their evaluated-domain scores get the blend (rows only in other domains).
    public internal(set) var coldPopularityWeight: Double = 0
    var coldPopularity: [Float] = []
    var blendsColdUser: [Bool] = []

    public init(hyperparameters: Hyperparameters = Hyperparameters(), seed: UInt64 = 0) {
        self.hyperparameters = hyperparameters
        self.seed = seed
    }

    public static let fitSummaryNames = [
        "epochs_run", "best_epoch", "validation_ndcg@10", "users_from_other_domains", "wide_weight", "ensemble_members",
    ] + ColdPopularityPrior.summaryNames + OtherWeightChoice.summaryNames

    /// Offset added to the seed for the validation holdout.
    static let validationSeedOffset: UInt64 = 0x7A11
    /// Offset added to the seed for `cold_prior`'s simulated cold users.
    static let coldSeedOffset: UInt64 = 0xC01D

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        // One thread, as every model here: OpenBLAS's default pool spins (sched_yield) when two
        // fits share a process (compare --all-folds --jobs 2 ran 2.7 times slower, 38 % of its
        // time in the kernel), oversubscribes a machine running one sweep worker per core, and
        // its size changed a fit's last bits (docs/twotower.md, "Determinism").
        LinearAlgebra.useOneThread()
        let h = hyperparameters
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        guard h.ensemble >= 1 else { throw fail("ensemble must be at least 1, got \(h.ensemble)") }
        if h.choosesOtherWeight {
            // Chosen once (by one member), then the model, an ensemble too, is fitted with it.
            guard let choice = try chooseOtherWeight(data, progress: progress) else { return }
            return try fitChosen(data, choice: choice, progress: progress)
        }
        if h.coldPrior == .popularity { return try fitWithColdPrior(data, progress: progress) }
        if h.ensemble > 1 { return try fitEnsemble(data, progress: progress) }
        guard h.dimension >= 2, h.hidden >= 2 else { throw fail("dimension and hidden must be at least 2") }
        guard h.epochs >= 1, h.batchSize >= 2 else { throw fail("epochs must be ≥ 1 and batch_size ≥ 2") }
        guard h.temperature > 0, h.learningRate > 0 else { throw fail("temperature and lr must be positive") }
        guard (0..<1).contains(h.validation) else { throw fail("validation must be in [0, 1), got \(h.validation)") }
        guard let text = TwoTowerData.TextSource(rawValue: h.text) else {
            throw fail("text must be minilm, lda, tfidf or none, got '\(h.text)'")
        }
        guard h.pool != .split || h.pooling == .domains else {
            throw fail("pool split pools each domain's not-liked rows as a domain of their own: it needs pooling domains")
        }
        guard h.likeWeight == 0 || data.isExplicit else {
            throw fail("like_weight learns P(rating ≥ 4 | rated) and needs explicit ratings in the evaluated domain; this data is implicit: set like_weight 0")
        }
        guard (0...1).contains(h.coldDropout) else { throw fail("cold_dropout must be in [0, 1], got \(h.coldDropout)") }
        guard h.wide == 0 || text != .none else {
            throw fail("wide needs item text vectors (text tfidf, lda or minilm); with text none set wide 0")
        }
        var base = data
        if h.otherWeight == 0 { base.otherDomains = [] }
        // The inner holdout: the fit learns from the rest of the evaluated domain's rows.
        var fitData = base
        var heldOut = Interactions()
        if h.validation > 0 {
            do {
                let split = try Self.innerHoldout(base, hyperparameters: h, seed: seed &+ Self.validationSeedOffset)
                fitData = base.keeping(split.train)
                heldOut = split.test
            } catch {
                throw fail("validation holdout: \(error)")
            }
        }
        var fitLayout = try TwoTowerData.make(
            fitData, text: text, ldaTopics: h.ldaTopics, textTerms: h.textTerms, seed: seed, modelName: Self.name)
        if h.weighting == .centered { fitLayout.centerExplicitRows() }
        var rng = NNRandom(seed: seed)
        var network = TwoTowerNetwork(
            layout: fitLayout, dimension: h.dimension, hidden: h.hidden, dropout: h.dropout,
            userEmbedding: h.userEmbedding, attention: h.pooling == .attention, wide: h.wide,
            domainPooling: h.pooling == .domains, splitPools: h.pool == .split, likeHead: h.likeWeight > 0, rng: &rng)
        let trainer = TwoTowerTrainer(
            hyperparameters: h, layout: fitLayout, isExplicit: data.isExplicit,
            impressions: h.clickWeight > 0 ? data.trainingImpressions : nil)
        guard trainer.rowCount > 0 else { throw fail("no training rows") }

        let validator =
            heldOut.isEmpty
            ? nil
            : TwoTowerValidator(
                layout: fitLayout, heldOut: heldOut, isExplicit: data.isExplicit, seed: seed, trainer: trainer)
        var best = network
        var bestScore = -Double.infinity
        var bestEpoch = 0
        var epochsRun = 0
        var stale = 0
        let totalSteps = h.epochs * trainer.batchesPerEpoch
        let schedule = LearningRateSchedule(
            peak: h.learningRate, warmupSteps: max(1, totalSteps / 20), totalSteps: totalSteps, final: 0.1)
        let optimizer = AdamW(learningRate: h.learningRate, weightDecay: h.weightDecay)
        var step = 0
        for epoch in 1...h.epochs {
            let loss = trainer.epoch(&network, rng: &rng, optimizer: optimizer, schedule: schedule, step: &step)
            epochsRun = epoch
            var values = ["loss": loss]
            var decision = TrainingDecision.proceed
            if let validator {
                let score = validator.ndcg(network)
                values["validation_ndcg@10"] = score
                if score > bestScore {
                    bestScore = score
                    bestEpoch = epoch
                    best = network
                    stale = 0
                } else {
                    stale += 1
                }
            } else {
                best = network
                bestEpoch = epoch
            }
            decision = progress(EpochProgress(epoch: epoch, totalEpochs: h.epochs, values: values))
            if decision == .stop || (validator != nil && stale >= h.patience) { break }
        }
        network = best

        // Scoring: every item from the fit's knowledge (ids only for items the fit saw), every user
        // from all their rows (the held-out ones too: they are training data for the caller).
        var fullLayout = try TwoTowerData.make(base, text: .none, ldaTopics: 0, seed: seed, modelName: Self.name)
        if h.weighting == .centered { fullLayout.centerExplicitRows() }
        var scoringLayout = fitLayout
        scoringLayout.userOffsets = fullLayout.userOffsets
        scoringLayout.userItems = fullLayout.userItems
        scoringLayout.userValues = fullLayout.userValues
        scoringLayout.userTimes = fullLayout.userTimes
        scoringLayout.rowWeights = fullLayout.rowWeights
        let allItems = (0..<scoringLayout.totalItems).map(Int32.init)
        let pass = network.itemInputs(allItems, layout: scoringLayout) { _, item in !fitLayout.hasRows[Int(item)] }
        let items = network.itemVectors(allItems, pass: pass, layout: scoringLayout)
        itemVectors = items.values
        let histories = (0..<scoringLayout.userCount).map { user in
            trainer.history(of: user, layout: scoringLayout, excluding: nil, positions: { Int($0) })
        }
        userVectors = Self.batched(histories, network: network, items: items)
        knownUsers = histories.map { !$0.positions.isEmpty }
        popularity = data.itemRowCounts()
        ratesItems = data.isExplicit && h.ratingWeight > 0
        wide = trainer.wide
        wideWeight = network.wideWeight
        self.network = network
        self.layout = scoringLayout
        let evaluatedRows = data.usersWithRows()
        let fromOthers = (0..<data.userCount).filter { knownUsers[$0] && !evaluatedRows[$0] }.count
        fitSummary = [
            "epochs_run": Double(epochsRun), "best_epoch": Double(bestEpoch),
            "users_from_other_domains": Double(fromOthers),
        ]
        if validator != nil { fitSummary["validation_ndcg@10"] = bestScore }
        if wide != nil { fitSummary["wide_weight"] = Double(wideWeight) }
    }

    /// The inner holdout of a fit on `base` (`validation` > 0): a share of each user's
    /// evaluated-domain rows, or with `validation_split: cold-users` every evaluated-domain row of
    /// that share of the users other domains know (simulated cold users; the per-user holdout when
    /// no user has other-domain rows, e.g. with `other_weight` 0).
    static func innerHoldout(_ base: TrainingData, hyperparameters h: Hyperparameters, seed: UInt64) throws(DataError) -> Split {
        let eligible = h.validationSplit == .coldUsers ? base.usersWithOtherDomainRows() : []
        guard eligible.contains(true) else {
            return try Splitting.perUserHoldout(base.interactions, testFraction: h.validation, seed: seed)
        }
        return try Splitting.coldUsers(base.interactions, testFraction: h.validation, seed: seed, eligible: eligible)
    }

    /// User vectors of `histories` in chunks (bounded memory), row-major.
    static func batched(_ histories: [TwoTowerNetwork.History], network: TwoTowerNetwork, items: Matrix) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(histories.count * network.dimension)
        var start = 0
        while start < histories.count {
            let end = min(histories.count, start + 1024)
            let users = (start..<end).map(Int32.init)
            result += network.userVectors(Array(histories[start..<end]), users: users, items: items).values
            start = end
        }
        return result
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        if let cold = coldUsersModel(for: user) { return cold.scoreAll(user: user, into: scores) }
        score(domain: 0, user: user, into: scores)
        let u = Int(user)
        if coldPopularityWeight > 0, u >= 0, u < blendsColdUser.count, blendsColdUser[u] {
            ColdPopularityPrior.blend(scores, popularity: coldPopularity, weight: coldPopularityWeight)
        }
    }

    /// `cold_prior: popularity`: β learned by one member (``ColdPopularityPrior``) with this
    /// model's other settings, then the model itself (an ensemble too) fitted without the prior;
    /// full-ranking scores of users with rows only in other domains are blended.
    /// With `other_weight` 0 no user is blended (users only other domains know are unknown to the
    /// towers and get popularity anyway), so β is not learned: the inner fit would serve nobody.
    mutating func fitWithColdPrior(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        var plain = self
        plain.hyperparameters.coldPrior = .none
        guard plain.hyperparameters.otherWeight > 0 else {
            try plain.fit(data, progress: progress)
            plain.hyperparameters.coldPrior = .popularity
            self = plain
            return
        }
        var single = plain
        single.hyperparameters.ensemble = 1
        guard
            let chosen = try ColdPopularityPrior.learn(data, seed: seed &+ Self.coldSeedOffset, modelName: Self.name, fit: {
                reduced throws(ModelError) in
                try single.fittedAsValidation(reduced, progress: progress).map { AnyRecommender($0) }
            })
        else { return }
        try plain.fit(data, progress: progress)
        plain.hyperparameters.coldPrior = .popularity
        plain.coldPopularityWeight = chosen.weight
        plain.coldPopularity = data.itemRowCounts()
        let evaluated = data.usersWithRows()
        let other = plain.hyperparameters.otherWeight > 0 ? data.usersWithOtherDomainRows() : []
        plain.blendsColdUser = (0..<data.userCount).map { !other.isEmpty && other[$0] && !evaluated[$0] }
        plain.fitSummary.merge(chosen.summary) { _, prior in prior }
        self = plain
    }

    /// Scores domain `domain` (0: evaluated) for `user` from the vectors of the last fit.
    func score(domain: Int, user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        if !members.isEmpty { return averaged(into: scores) { $0.score(domain: domain, user: user, into: $1) } }
        guard let layout, let network else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        let d = network.dimension
        let start = layout.domainStart[domain]
        let u = Int(user)
        guard u < knownUsers.count, knownUsers[u] else {
            let counts = layout.domains[domain].popularity
            for i in scores.indices { scores[i] = i < counts.count ? counts[i] : 0 }
            return
        }
        let like = domain == 0 ? network.like.map { $0.query(userVectors[(u * d)..<((u + 1) * d)]) } : nil
        let temperature = hyperparameters.temperature
        for i in scores.indices where i < layout.domains[domain].itemCount {
            var dot: Float = 0
            let item = (start + i) * d
            for j in 0..<d { dot += userVectors[u * d + j] * itemVectors[item + j] }
            if let like {
                dot += LikeHead.scoreTerm(LikeHead.logit(like, itemVectors, start: item), temperature: temperature)
            }
            scores[i] = dot
        }
        if let wide {
            let profile = wide.profile(
                WideChannel.rows(of: u, layout: layout, excluding: nil, maxHistory: hyperparameters.maxHistory),
                layout: layout)
            for i in scores.indices where i < layout.domains[domain].itemCount {
                scores[i] += wideWeight * wide.dot(profile, item: start + i)
            }
        }
    }

    /// Scores the other domain named `name` for `user` (the mixed slate of `crossrec recommend`).
    /// - Returns: false when the model did not learn that domain.
    public func scoreOtherDomain(_ name: String, user: Int32, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        if let cold = coldUsers.first, coldUsersModel(for: user) != nil || !learnedDomain(name) {
            // The cold users' model, or (w = 0 for everyone else) the one model that learned the domain.
            return cold.scoreOtherDomain(name, user: user, into: scores)
        }
        if let first = members.first {
            guard first.layout?.domains.dropFirst().contains(where: { $0.name == name }) == true else { return false }
            averaged(into: scores) { _ = $0.scoreOtherDomain(name, user: user, into: $1) }
            return true
        }
        guard let layout, let domain = layout.domains.indices.dropFirst().first(where: { layout.domains[$0].name == name })
        else { return false }
        score(domain: domain, user: user, into: scores)
        return true
    }

    public func predictRating(user: Int32, item: Int32) -> Float? {
        if let cold = coldUsersModel(for: user) { return cold.predictRating(user: user, item: item) }
        if !members.isEmpty {
            let predictions = members.compactMap { $0.predictRating(user: user, item: item) }
            guard predictions.count == members.count else { return nil }
            return predictions.reduce(0, +) / Float(predictions.count)
        }
        guard ratesItems, let network, Int(user) < knownUsers.count else { return nil }
        let bias = network.ratingHead.value[1] + network.itemBias.table.value[Int(item)]
        guard knownUsers[Int(user)] else { return bias }
        let d = network.dimension
        var dot: Float = 0
        for j in 0..<d { dot += userVectors[Int(user) * d + j] * itemVectors[Int(item) * d + j] }
        return bias + network.ratingHead.value[0] * dot
    }

    /// The MIND impression protocol: the user vector pooled from `history` (the evaluated domain's
    /// clicks before the impression) and the user's rows in the other domains.
    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        if !members.isEmpty {
            return averaged(into: scores) {
                $0.scoreCandidates(user: user, history: history, candidates: candidates, itemCount: itemCount, into: $1)
            }
        }
        guard let layout, let network else { return }
        let d = network.dimension
        var positions: [Int] = history.suffix(hyperparameters.maxHistory).map { Int($0) }
        var domains = [Int32](repeating: 0, count: positions.count)
        if Int(user) < layout.userCount {
            for slot in layout.rows(of: Int(user)) where layout.domainOf[Int(layout.userItems[slot])] != 0 {
                positions.append(Int(layout.userItems[slot]))
                domains.append(TwoTowerTrainer.poolDomain(of: slot, layout: layout, pool: hyperparameters.pool))
            }
        }
        let vector: [Float]
        if positions.isEmpty {
            for (k, item) in candidates.enumerated() {
                scores[k] = Int(item) < popularity.count ? popularity[Int(item)] : 0
            }
            return
        } else {
            let items = Matrix(rows: layout.totalItems, columns: d, values: itemVectors)
            let history = TwoTowerNetwork.History(
                positions: positions, weights: [Float](repeating: 1, count: positions.count), domains: domains)
            vector = network.userVectors([history], users: [user], items: items).values
        }
        // The wide profile: the impression's history (clicks, weight 1) and the user's signed rows
        // in the other domains, as in training.
        let profile = wide?.profile(
            history.suffix(hyperparameters.maxHistory).map { ($0, Float(1)) }
                + (Int(user) < layout.userCount
                    ? WideChannel.rows(of: Int(user), layout: layout, excluding: nil, maxHistory: hyperparameters.maxHistory)
                        .filter { layout.domainOf[Int($0.item)] != 0 } : []),
            layout: layout)
        let like = network.like.map { $0.query(vector[...]) }
        for (k, item) in candidates.enumerated() {
            var dot: Float = 0
            for j in 0..<d { dot += vector[j] * itemVectors[Int(item) * d + j] }
            if let wide, let profile { dot += wideWeight * wide.dot(profile, item: Int(item)) }
            if let like {
                dot += LikeHead.scoreTerm(
                    LikeHead.logit(like, itemVectors, start: Int(item) * d), temperature: hyperparameters.temperature)
            }
            scores[k] = dot
        }
    }
}

extension TwoTowerModel: OtherWeightChoosing {
    /// One member (`ensemble` 1: the choice costs single fits) with the other domains at `weight`,
    /// its epochs reported as `validation.*`.
    func weightedFit(
        _ reduced: TrainingData, weight: Float, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> TwoTowerModel? {
        var inner = TwoTowerModel(hyperparameters: hyperparameters, seed: seed)
        inner.hyperparameters.choosesOtherWeight = false
        inner.hyperparameters.otherWeight = weight
        inner.hyperparameters.ensemble = 1
        inner.hyperparameters.coldPrior = .none
        return try inner.fittedAsValidation(reduced, progress: progress)
    }
}
