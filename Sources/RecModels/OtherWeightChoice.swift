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
        "validation_ndcg@10_cold_chosen", "validation_ndcg@10_cold_without_other",
    ]

    /// Whether some user has rows in another domain and none in the evaluated one.
    static func hasUsersOnlyOthersKnow(_ data: TrainingData) -> Bool {
        let known = data.usersWithOtherDomainRows()
        return (0..<data.userCount).contains { known[$0] && data.byUser.rowLength($0) == 0 }
    }

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
    /// `other_weight: auto`, a guard against negative transfer: holds out 20% of each user's
    /// training rows in the evaluated domain (``Splitting/perUserHoldout(_:testFraction:seed:minimumTrain:)``
    /// with seed + ``OtherWeightChoice/seedOffset``: users with 3 or more rows lose at least one, the
    /// other domains keep all their rows), fits the model with every weight of
    /// ``OtherWeightChoice/grid`` on the rest, and scores each validation user's NDCG@10 on their
    /// held-out rows (candidates: items with a remaining training row, minus the user's own).
    /// The choice is ``OtherWeightChoice/preferredWeightIndex(_:)``: the smallest weight within one standard error
    /// of the best. When some users are known only in the other domains (cold users, served by
    /// the transfer alone), a weight within that standard error is taken instead if it ranks
    /// simulated cold users' held-out rows better than w = 0 (popularity) by more than one
    /// standard error (``coldUserNDCG(_:weights:progress:)``). The caller then refits on all
    /// training rows with it.
    ///
    /// It guards against transfer that hurts the evaluated domain's users, measured on users with
    /// rows there; cold users are weighed by the separate simulated-cold-user step. In the unified
    /// model other-domain rows also add Σ_d w Y_dᵀY_d to every user's system, a ridge on the user vectors, so with many factors and a small `reg`
    /// even unrelated rows can raise the validation NDCG (pure-noise rows did at 16 factors and
    /// reg 0.05 on the test fixture without noise in the evaluated domain), and `auto` then takes
    /// that weight: tune `reg` first.
    ///
    /// Costs ``OtherWeightChoice/grid``.count extra fits on 80% of the rows (four more fits: about five
    /// times a fixed weight's fit time), with cold users up to four more on a cold-user split (w = 0
    /// and each harmless positive weight; none when no positive weight is harmless), plus
    /// scoring each validation user once per weight.
    /// - Returns: the weight and the figures for ``fitSummary``; nil when `progress` said stop.
    func chooseOtherWeight(
        _ data: TrainingData, progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (weight: Float, summary: [String: Double])? {
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
        var perWeight: [[Double]] = []
        for weight in OtherWeightChoice.grid {
            // The weight being tried is among the progress values: a long choice shows which fit runs.
            guard
                let inner = try weightedFit(
                    reduced, weight: Float(weight), progress: { progress($0.adding("validation.other_weight", weight)) })
            else { return nil }
            perWeight.append(OtherWeightChoice.validationNDCG(inner, reduced, relevant))
        }
        var chosen = OtherWeightChoice.preferredWeightIndex(perWeight)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        var summary: [String: Double] = [:]
        // Users only the other domains know are served by the transfer alone: when there are
        // some, a weight as good as the best for the evaluated domain's users (within one
        // standard error) is taken if it serves simulated cold users better than w = 0 does
        // (popularity) by more than one standard error.
        // Without such a weight there is nothing to check (and no fit to spend on it).
        let harmless = OtherWeightChoice.indicesWithinOneStandardError(perWeight).filter { $0 > 0 }
        if OtherWeightChoice.hasUsersOnlyOthersKnow(data), !harmless.isEmpty {
            guard let cold = try coldUserNDCG(data, weights: harmless, progress: progress) else {
                return nil
            }
            if let (index, values) = cold.perWeight.max(by: { mean($0.value) < mean($1.value) }),
                OtherWeightChoice.beatsByMoreThanOneStandardError(values, cold.popularity)
            {
                chosen = index
                summary["validation_ndcg@10_cold_chosen"] = mean(values)
            }
            summary["validation_ndcg@10_cold_without_other"] = mean(cold.popularity)
        }
        summary["chosen_other_weight"] = OtherWeightChoice.grid[chosen]
        summary["validation_ndcg@10_chosen"] = mean(perWeight[chosen])
        summary["validation_ndcg@10_without_other"] = mean(perWeight[0])
        return (Float(OtherWeightChoice.grid[chosen]), summary)
    }

    /// Simulated cold users (20% of the users with other-domain rows lose their evaluated-domain
    /// rows, seeded): each one's NDCG@10 on those rows under each weight index in `weights`, and
    /// under w = 0, where the model scores them by popularity.
    func coldUserNDCG(
        _ data: TrainingData, weights: [Int], progress: (EpochProgress) -> TrainingDecision
    ) throws(ModelError) -> (perWeight: [Int: [Double]], popularity: [Double])? {
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
        var perWeight: [Int: [Double]] = [:]
        var popularity: [Double] = []
        for index in [0] + weights {
            let weight = Float(OtherWeightChoice.grid[index])
            guard
                let inner = try weightedFit(
                    reduced, weight: weight,
                    progress: { progress($0.adding("validation.cold_users_other_weight", Double(weight))) })
            else { return nil }
            let values = targets.isEmpty ? [] : OtherWeightChoice.validationNDCG(inner, reduced, targets)
            if index == 0 { popularity = values } else { perWeight[index] = values }
        }
        guard !targets.isEmpty else { return ([:], []) }
        return (perWeight, popularity)
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
