internal import RecData
internal import RecEval

/// A model whose other domains' rows carry a weight that `other_weight: auto` can choose on a
/// holdout of its training rows (``chooseOtherWeight(_:progress:)``): the unified and the
/// two-tower model.
protocol OtherWeightChoosing: Recommender {
    var seed: UInt64 { get }
    /// A copy fitted on `reduced` with the other domains at `weight` (fixed: no choice of its own,
    /// no cold prior), its epochs reported as `validation.*`; nil when `progress` said stop.
    func weightedFit(
        _ reduced: TrainingData, weight: Float, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> Self?
    /// An unfitted copy with the other domains at `weight` (no choice of its own).
    func withFixedOtherWeight(_ weight: Float) -> Self
    /// The hyperparameters' `other_weight: auto`.
    var choosesOtherWeight: Bool { get set }
    var fitSummary: [String: Double] { get set }
    /// With a weight of their own for cold users: the model fitted with it (one element), and per
    /// user whether it scores them (rows only in other domains).
    var coldUsers: [Self] { get set }
    var servedByColdUsersModel: [Bool] { get set }
    /// Inner fits of the choice run at once (1 by default: the unified model's fits are parallel
    /// inside).
    var choiceThreads: Int { get }
}

/// The constants and statistics of `other_weight: auto`, shared by the models that offer it.
public enum OtherWeightChoice {
    /// The weights `other_weight: auto` tries, ascending: 0 (the evaluated domain alone) first,
    /// because it is the one preferred when the others do not clearly help.
    public static let grid: [Double] = [0, 0.1, 0.3, 1]
    /// Offset added to the model's seed for the validation holdout.
    static let seedOffset: UInt64 = 0x07E1
    /// Share of each training user's evaluated-domain rows held out for validation.
    static let holdout = 0.2
    /// At most this many validation users are scored (a seeded sample beyond it).
    static let validationUsers = 5_000
    /// What a model's fit summary may hold after `other_weight: auto`.
    public static let summaryNames = [
        "chosen_other_weight", "validation_ndcg@10_chosen", "validation_ndcg@10_without_other",
        "validation_ndcg@10_cold_chosen", "validation_ndcg@10_cold_without_other", "chosen_cold_other_weight",
    ]

    /// Simulated cold users' NDCG@10 (``OtherWeightChoosing/coldUserNDCG(_:weights:progress:)``):
    /// per positive weight index, and at w = 0 (popularity); what has been measured so far.
    struct ColdFigures {
        var perWeight: [Int: [Double]] = [:]
        var popularity: [Double]?

        /// Whether index `w` (0: popularity) has been measured.
        func has(_ w: Int) -> Bool { w == 0 ? popularity != nil : perWeight[w] != nil }

        mutating func merge(_ other: ColdFigures) {
            perWeight.merge(other.perWeight) { _, new in new }
            if let values = other.popularity { popularity = values }
        }
    }

    /// What the cold-user step needs next.
    enum ColdStep: Equatable {
        /// Fit and score these weight indices on simulated cold users, then ask again.
        case measure([Int])
        /// The weight for everyone, and a weight for the users only the other domains know alone
        /// (nil: `everyone`'s model serves them).
        case decided(everyone: Int, cold: Int?)
    }

    /// The cold-user step of `other_weight: auto`, given the warm users' choice `chosen` and the
    /// positive weights within one standard error of the best for them (`harmless`):
    /// 1. among the harmless weights, the one that ranks simulated cold users best is taken for
    ///    everyone if it beats w = 0 (popularity) by more than one standard error;
    /// 2. otherwise, when the choice is 0 (cold users would get popularity), the best of every
    ///    positive weight on simulated cold users, if it beats popularity by more than one
    ///    standard error, is the cold users' own weight (a second model, for them alone).
    /// Ties go to the smaller weight. Pure: the caller measures what `.measure` asks for.
    static func coldStep(harmless: [Int], chosen: Int, figures: ColdFigures) -> ColdStep {
        /// The best measured index among `candidates` (the smallest of equals) if it beats popularity clearly.
        func clearWinner(_ candidates: [Int]) -> Int? {
            guard let popularity = figures.popularity else { return nil }
            var best: Int?
            for w in candidates.sorted() {
                guard let values = figures.perWeight[w], !values.isEmpty else { continue }
                if best == nil || mean(values) > mean(figures.perWeight[best!]!) { best = w }
            }
            guard let best, beatsByMoreThanOneStandardError(figures.perWeight[best]!, popularity) else { return nil }
            return best
        }
        if !harmless.isEmpty {
            let missing = ([0] + harmless).filter { !figures.has($0) }
            if !missing.isEmpty { return .measure(missing) }
            if let winner = clearWinner(harmless) { return .decided(everyone: winner, cold: nil) }
        }
        guard chosen == 0 else { return .decided(everyone: chosen, cold: nil) }
        let positive = Array(1..<grid.count)
        let missing = ([0] + positive).filter { !figures.has($0) }
        if !missing.isEmpty { return .measure(missing) }
        return .decided(everyone: 0, cold: clearWinner(positive))
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    /// Per user: rows in another domain and none in the evaluated one (the users a cold users'
    /// model serves).
    static func usersOnlyOthersKnow(_ data: TrainingData) -> [Bool] {
        let known = data.usersWithOtherDomainRows()
        return (0..<data.userCount).map { known[$0] && data.byUser.rowLength($0) == 0 }
    }

    /// Whether some user has rows in another domain and none in the evaluated one.
    static func hasUsersOnlyOthersKnow(_ data: TrainingData) -> Bool { usersOnlyOthersKnow(data).contains(true) }

    /// Indices whose mean falls short of the best's by at most one standard error of the paired
    /// per-user differences (the best included), ascending.
    public static func indicesWithinOneStandardError(_ ndcg: [[Double]]) -> [Int] {
        let n = Double(ndcg[0].count)
        let means = ndcg.map { $0.reduce(0, +) / n }
        var best = 0
        for w in means.indices where means[w] > means[best] { best = w }
        return ndcg.indices.filter { candidate in
            candidate == best || !beatsByMoreThanOneStandardError(ndcg[best], ndcg[candidate])
        }
    }

    /// Whether the mean of `a − b` (paired) exceeds one standard error of those differences.
    public static func beatsByMoreThanOneStandardError(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == b.count, a.count > 1 else { return false }
        let n = Double(a.count)
        let differences = zip(a, b).map { $0 - $1 }
        let mean = differences.reduce(0, +) / n
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return mean > (variance / n).squareRoot()
    }

    /// Per validation user (ascending), their held-out items that `reduced` can rank: items with a
    /// training row that are not among the user's own. At most ``validationUsers``.
    static func validationTargets(_ reduced: TrainingData, heldOut: Interactions, seed: UInt64) -> [(
        user: Int, items: [Int32]
    )] {
        var relevant = [[Int32]](repeating: [], count: reduced.userCount)
        for k in 0..<heldOut.count {
            let user = Int(heldOut.users[k]), item = heldOut.items[k]
            guard reduced.byItem.rowLength(Int(item)) > 0, !reduced.byUser.contains(row: user, column: item) else {
                continue
            }
            if !relevant[user].contains(item) { relevant[user].append(item) }
        }
        var users = relevant.indices.filter { !relevant[$0].isEmpty }
        if users.count > validationUsers {
            var generator = SeededGenerator(seed: seed)
            generator.shuffle(&users)
            users = Array(users.prefix(validationUsers)).sorted()
        }
        return users.map { ($0, relevant[$0]) }
    }

    /// NDCG@10 of each target user's held-out items under `model` (ties to the smaller item).
    static func validationNDCG(_ model: some Recommender, _ reduced: TrainingData, _ targets: [(user: Int, items: [Int32])])
        -> [Double]
    {
        let itemCount = reduced.itemCount
        let unseen = (0..<itemCount).map { reduced.byItem.rowLength($0) == 0 }
        var scores = [Float](repeating: 0, count: itemCount)
        var excluded = unseen
        var isRelevant = [Bool](repeating: false, count: itemCount)
        var selector = TopKSelector(capacity: 10)
        var result: [Double] = []
        result.reserveCapacity(targets.count)
        for target in targets {
            for k in reduced.byUser.rowRange(target.user) { excluded[Int(reduced.byUser.columns[k])] = true }
            for item in target.items { isRelevant[Int(item)] = true }
            scores.withUnsafeMutableBufferPointer { model.scoreAll(user: Int32(target.user), into: $0) }
            let top = selector.select(10, scores: scores, excluded: excluded)
            result.append(
                RankingMetrics.ndcg(hits: top.map { isRelevant[Int($0)] }, k: 10, relevantCount: target.items.count))
            for item in target.items { isRelevant[Int(item)] = false }
            for k in reduced.byUser.rowRange(target.user) {
                let item = Int(reduced.byUser.columns[k])
                excluded[item] = unseen[item]
            }
        }
        return result
    }

    /// The one-standard-error rule on paired per-user figures (`ndcg[w][u]`, weights ascending):
    /// the best weight is the one with the highest mean; the choice is the smallest weight whose
    /// mean falls short of the best by no more than one standard error of the per-user
    /// differences (best − it), so a larger weight is taken only when it beats every smaller one
    /// by more than the noise of the validation users. With no cross-domain signal this is 0.
    public static func preferredWeightIndex(_ ndcg: [[Double]]) -> Int {
        precondition(
            !ndcg.isEmpty && ndcg.allSatisfy { $0.count == ndcg[0].count && !$0.isEmpty }, "\(ndcg.map(\.count))")
        let n = Double(ndcg[0].count)
        let means = ndcg.map { $0.reduce(0, +) / n }
        var best = 0
        for w in means.indices where means[w] > means[best] { best = w }
        for candidate in 0..<best {
            let differences = zip(ndcg[best], ndcg[candidate]).map { $0 - $1 }
            let mean = differences.reduce(0, +) / n
            let variance = n > 1 ? differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            if mean <= (variance / n).squareRoot() { return candidate }
        }
        return best
    }
}

extension OtherWeightChoosing {
    var choiceThreads: Int { 1 }
}

extension OtherWeightChoosing {
    /// `other_weight: auto`, a guard against negative transfer: holds out 20% of each user's
    /// training rows in the evaluated domain (``Splitting/perUserHoldout(_:testFraction:seed:minimumTrain:)``
    /// with seed + ``OtherWeightChoice/seedOffset``: users with 3 or more rows lose at least one, the
    /// other domains keep all their rows), fits the model with every weight of
    /// ``OtherWeightChoice/grid`` on the rest, and scores each validation user's NDCG@10 on their
    /// held-out rows (candidates: items with a remaining training row, minus the user's own).
    /// The choice is ``OtherWeightChoice/preferredWeightIndex(_:)``: the smallest weight within one standard error
    /// of the best. When some users are known only in the other domains (cold users, served by
    /// the transfer alone), their own step follows (``OtherWeightChoice/coldStep(harmless:chosen:figures:)``,
    /// on simulated cold users' held-out rows, ``coldUserNDCG(_:weights:progress:)``): a weight
    /// within that standard error is taken for everyone if it ranks simulated cold users better
    /// than w = 0 (popularity) by more than one standard error; and when the choice is still 0, so
    /// that cold users would get popularity, the other positive weights are tried on them too, and
    /// the best, if it beats popularity by more than one standard error, is returned as
    /// `coldWeight`: the caller then fits a second model with it for the users only the other
    /// domains know (the evaluated domain's users keep w = 0). The caller refits on all training
    /// rows with the weight (and the cold weight).
    ///
    /// It guards against transfer that hurts the evaluated domain's users, measured on users with
    /// rows there; cold users are weighed by the separate simulated-cold-user step. In the unified
    /// model other-domain rows also add Σ_d w Y_dᵀY_d to every user's system, a ridge on the user vectors, so with many factors and a small `reg`
    /// even unrelated rows can raise the validation NDCG (pure-noise rows did at 16 factors and
    /// reg 0.05 on the test fixture without noise in the evaluated domain), and `auto` then takes
    /// that weight: tune `reg` first.
    ///
    /// Costs ``OtherWeightChoice/grid``.count extra fits on 80% of the rows (four more fits: about five
    /// times a fixed weight's fit time); with cold users, up to four more on a cold-user split
    /// (w = 0 and each positive weight the two steps try), and one more full fit when a cold
    /// weight is returned; plus scoring each validation user once per weight.
    /// - Returns: the weight, the cold users' own weight (nil: they are served by `weight`'s model),
    ///   and the figures for ``fitSummary``; nil when `progress` said stop.
    func chooseOtherWeight(
        _ data: TrainingData, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (weight: Float, coldWeight: Float?, summary: [String: Double])? {
        let split: Split
        do {
            split = try Splitting.perUserHoldout(
                data.interactions, testFraction: OtherWeightChoice.holdout, seed: seed &+ OtherWeightChoice.seedOffset)
        } catch {
            throw ModelError(model: Self.name, message: "other_weight auto: \(error)")
        }
        let reduced = data.keeping(split.train)
        let relevant = OtherWeightChoice.validationTargets(reduced, heldOut: split.test, seed: seed &+ OtherWeightChoice.seedOffset)
        guard !relevant.isEmpty else {
            throw ModelError(
                model: Self.name,
                message:
                    "other_weight auto: no training user has a row to hold out for validation (it needs users with 3 or more rows on items others also have); give other_weight a number"
            )
        }
        // The weight being tried is among the progress values: a long choice shows which fit runs.
        guard
            let perWeight = try scoredWeightedFits(
                reduced, weights: Array(OtherWeightChoice.grid.indices), progressName: "validation.other_weight",
                progress: progress, score: { OtherWeightChoice.validationNDCG($0, reduced, relevant) })
        else { return nil }
        var chosen = OtherWeightChoice.preferredWeightIndex(perWeight)
        var summary: [String: Double] = [:]
        var coldWeight: Float? = nil
        if OtherWeightChoice.hasUsersOnlyOthersKnow(data) {
            // Users only the other domains know are served by the transfer alone (cold users).
            let harmless = OtherWeightChoice.indicesWithinOneStandardError(perWeight).filter { $0 > 0 }
            var figures = OtherWeightChoice.ColdFigures()
            var step = OtherWeightChoice.coldStep(harmless: harmless, chosen: chosen, figures: figures)
            while case .measure(let weights) = step {
                guard let measured = try coldUserNDCG(data, weights: weights, progress: progress) else { return nil }
                figures.merge(measured)
                step = OtherWeightChoice.coldStep(harmless: harmless, chosen: chosen, figures: figures)
            }
            guard case .decided(let everyone, let cold) = step else { preconditionFailure("the loop ends decided") }
            chosen = everyone
            if let cold { coldWeight = Float(OtherWeightChoice.grid[cold]) }
            if let served = cold ?? (everyone > 0 ? everyone : nil), let values = figures.perWeight[served] {
                summary["validation_ndcg@10_cold_chosen"] = OtherWeightChoice.mean(values)
            }
            if let popularity = figures.popularity, !popularity.isEmpty {
                summary["validation_ndcg@10_cold_without_other"] = OtherWeightChoice.mean(popularity)
            }
            summary["chosen_cold_other_weight"] = OtherWeightChoice.grid[cold ?? chosen]
        }
        summary["chosen_other_weight"] = OtherWeightChoice.grid[chosen]
        summary["validation_ndcg@10_chosen"] = OtherWeightChoice.mean(perWeight[chosen])
        summary["validation_ndcg@10_without_other"] = OtherWeightChoice.mean(perWeight[0])
        return (Float(OtherWeightChoice.grid[chosen]), coldWeight, summary)
    }

    /// The fit after the choice: this model with the chosen weight on all training rows, and with
    /// a cold weight also a second model with it, which scores the users only other domains know
    /// (every other user keeps the first model). The second fit's epochs carry
    /// `cold_users_other_weight` in their progress values.
    mutating func fitChosen(
        _ data: TrainingData, choice: (weight: Float, coldWeight: Float?, summary: [String: Double]),
        progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) {
        var fixed = withFixedOtherWeight(choice.weight)
        try fixed.fit(data, progress: progress)
        var cold: Self?
        if let coldWeight = choice.coldWeight {
            var model = withFixedOtherWeight(coldWeight)
            try model.fit(data) { progress($0.adding("cold_users_other_weight", Double(coldWeight))) }
            cold = model
        }
        fixed.adoptChoice(summary: choice.summary, coldUsers: cold, data: data)
        self = fixed
    }

    /// After the fit with the chosen weight: marks the model as having chosen, adds the choice's
    /// figures to the fit summary, and with `cold` lets that model score the users only other
    /// domains know in `data` (whose count it reports).
    mutating func adoptChoice(summary: [String: Double], coldUsers cold: Self?, data: TrainingData) {
        choosesOtherWeight = true
        fitSummary.merge(summary) { _, chosen in chosen }
        guard let cold else { return }
        coldUsers = [cold]
        servedByColdUsersModel = OtherWeightChoice.usersOnlyOthersKnow(data)
        fitSummary["users_from_other_domains"] = cold.fitSummary["users_from_other_domains"]
    }

    /// The cold users' model when it serves `user`.
    func coldUsersModel(for user: Int32) -> Self? {
        let u = Int(user)
        guard let cold = coldUsers.first, u >= 0, u < servedByColdUsersModel.count, servedByColdUsersModel[u] else {
            return nil
        }
        return cold
    }

    /// Simulated cold users (20% of the users with other-domain rows lose their evaluated-domain
    /// rows, seeded; the same users on every call): each one's NDCG@10 on those rows under each
    /// weight index in `weights` (index 0: w = 0, where the model scores them by popularity).
    func coldUserNDCG(
        _ data: TrainingData, weights: [Int], progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> OtherWeightChoice.ColdFigures? {
        let eligible = data.usersWithOtherDomainRows()
        let split: Split
        do {
            split = try Splitting.coldUsers(
                data.interactions, testFraction: 0.2, seed: seed &+ OtherWeightChoice.seedOffset &+ 1, eligible: eligible)
        } catch {
            throw ModelError(model: Self.name, message: "other_weight auto: \(error)")
        }
        let reduced = data.keeping(split.train)
        let targets = OtherWeightChoice.validationTargets(reduced, heldOut: split.test, seed: seed &+ OtherWeightChoice.seedOffset)
        guard
            let measured = try scoredWeightedFits(
                reduced, weights: weights, progressName: "validation.cold_users_other_weight", progress: progress,
                score: { targets.isEmpty ? [] : OtherWeightChoice.validationNDCG($0, reduced, targets) })
        else { return nil }
        var figures = OtherWeightChoice.ColdFigures()
        for (index, values) in zip(weights, measured) {
            if index == 0 { figures.popularity = values } else { figures.perWeight[index] = values }
        }
        return figures
    }

    /// ``weightedFit(_:weight:progress:)`` at each grid index of `weights`, each scored by
    /// `score` as soon as it is fitted (so at most `choiceThreads` fitted models are held), in the
    /// order of `weights`; up to ``choiceThreads`` at once, on threads of their own, their
    /// progress handed back to this thread with `progressName` set to the weight. Each fit
    /// depends only on its weight, so the figures do not depend on the thread count. Nil when
    /// `progress` said stop.
    func scoredWeightedFits(
        _ reduced: TrainingData, weights: [Int], progressName: String,
        progress: (EpochProgress) -> TrainingDecision, score: @escaping @Sendable (Self) -> [Double]
    ) throws(ModelError) -> [[Double]]? {
        let model = UncheckedSendable(self)
        let results = ParallelFits.run(
            count: weights.count, threads: choiceThreads,
            progress: { j, step in progress(step.adding(progressName, OtherWeightChoice.grid[weights[j]])) }
        ) { j, report throws(ModelError) in
            try model.value.weightedFit(reduced, weight: Float(OtherWeightChoice.grid[weights[j]]), progress: report).map(score)
        }
        var figures: [[Double]] = []
        for result in results {
            guard let result, let values = try result.get() else { return nil }
            figures.append(values)
        }
        return figures
    }
}


extension Recommender {
    /// A copy fitted on `data` with its epochs reported to `progress` as `validation.*` (an inner
    /// fit of a choice made on a holdout); nil when `progress` said stop.
    func fittedAsValidation(
        _ data: TrainingData, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> Self? {
        var inner = self
        var proceed = true
        try inner.fit(data) { epoch in
            let decision = progress(
                EpochProgress(
                    epoch: epoch.epoch, totalEpochs: epoch.totalEpochs,
                    values: Dictionary(uniqueKeysWithValues: epoch.values.map { ("validation.\($0.key)", $0.value) })))
            if decision == .stop { proceed = false }
            return decision
        }
        return proceed ? inner : nil
    }
}

extension EpochProgress {
    /// This epoch's progress with one more value.
    func adding(_ name: String, _ value: Double) -> EpochProgress {
        var values = self.values
        values[name] = value
        return EpochProgress(epoch: epoch, totalEpochs: totalEpochs, values: values)
    }
}
