import RecData

/// The reward model q̂(x, a) of the doubly robust estimator: each item's click rate among the
/// impressions that showed it, shrunk toward the overall rate.
///
/// q̂(a) = (c_a + m · μ) / (n_a + m), with n_a the impressions of the fitting set that logged item a,
/// c_a the rewards they got, μ = Σ c / Σ n the fitting set's mean logged reward (0 when it is
/// empty) and m the prior strength (a Beta prior worth m impressions at rate μ). It ignores the
/// context: a crude model, which DR tolerates (it stays unbiased with true propensities whatever q̂
/// is, as long as q̂ was not fitted on the impressions it corrects); a better q̂ only narrows DR's
/// interval.
/// - Complexity: fit O(impressions), memory O(distinct items), prediction O(1) expected.
public struct ItemRewardModel: Sendable, Equatable {
    public let priorStrength: Double
    /// μ of the fitting set.
    public let meanReward: Double
    private var shows: [Int32: Double] = [:]
    private var clicks: [Int32: Double] = [:]

    /// Fits on the logged (item, reward) pairs of the impressions `indices` of `log`.
    public init(fitting log: BanditLog, impressions indices: some Sequence<Int>, priorStrength: Double = 10) {
        precondition(priorStrength.isFinite && priorStrength > 0, "prior strength must be > 0, got \(priorStrength)")
        self.priorStrength = priorStrength
        var total = 0.0, count = 0.0
        for impression in indices {
            let item = log.items[log.loggedSlots[impression]]
            shows[item, default: 0] += 1
            clicks[item, default: 0] += log.rewards[impression]
            total += log.rewards[impression]
            count += 1
        }
        meanReward = count > 0 ? total / count : 0
    }

    /// q̂(a) for item `item` (μ for an item the fitting set never logged).
    public func predict(_ item: Int32) -> Double {
        ((clicks[item] ?? 0) + priorStrength * meanReward) / ((shows[item] ?? 0) + priorStrength)
    }

    /// Cross-fitted predictions for every slot of `log`: the impressions are dealt into `folds`
    /// folds of (near) equal size in an order shuffled by `seed` (SplitMix64 Fisher–Yates), and each
    /// fold's slots are predicted by a model fitted on the other folds only, so no impression's own
    /// reward enters the q̂ that corrects it.
    /// - Complexity: O(folds × impressions + slots).
    public static func crossFitted(_ log: BanditLog, folds: Int = 2, priorStrength: Double = 10, seed: UInt64) -> [Double] {
        precondition(folds >= 2, "cross-fitting needs at least 2 folds, got \(folds)")
        var order = Array(0..<log.count)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        var assignment = [Int](repeating: 0, count: log.count)
        for (rank, impression) in order.enumerated() { assignment[impression] = rank % folds }
        let fold = assignment
        var predictions = [Double](repeating: 0, count: log.items.count)
        for k in 0..<folds {
            let model = ItemRewardModel(
                fitting: log, impressions: (0..<log.count).lazy.filter { fold[$0] != k }, priorStrength: priorStrength)
            for impression in 0..<log.count where fold[impression] == k {
                for slot in log.slots(of: impression) { predictions[slot] = model.predict(log.items[slot]) }
            }
        }
        return predictions
    }
}
