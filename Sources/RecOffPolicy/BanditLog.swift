/// A single-action log of impressions, stored as columns: what off-policy estimators read.
///
/// The setting. In impression i the logging policy π0 saw a context x_i (a user and the moment,
/// identified by the caller's index `contexts[i]`) and a candidate set C_i (the slots
/// `slots(of: i)`, their items in `items`), showed **one** candidate a_i ∈ C_i (the slot
/// `loggedSlots[i]`) chosen at random with propensity p_i = π0(a_i | x_i) > 0, and observed the
/// reward r_i (a click: 1 or 0). Nothing is known of the rewards of the candidates not shown,
/// unless the source shows every candidate's outcome (MIND: see ``init(drawingOneCandidateOf:seed:)``),
/// in which case they are kept in `slotRewards` as a full-information reference that no estimator reads.
///
/// Propensities are uniform, 1/|C_i|, unless the caller gives them. Estimators are unbiased only
/// if the propensities are the ones the logging policy really used, and π0 gave every candidate a
/// target policy may choose a positive probability.
/// - Complexity: 8 bytes per slot (item, full reward when kept) and 40 per impression.
public struct BanditLog: Sendable, Equatable {
    /// The caller's index of each impression's context (a MIND impression, a synthetic context).
    public private(set) var contexts: [Int] = []
    /// `count + 1` offsets into `items` (and into per-slot arrays: target probabilities, reward predictions).
    public private(set) var slotStarts: [Int] = [0]
    /// The candidate item of every slot.
    public private(set) var items: [Int32] = []
    /// The slot (an index into `items`) the logging policy showed in each impression.
    public private(set) var loggedSlots: [Int] = []
    /// p_i = π0(a_i | x_i), in (0, 1].
    public private(set) var propensities: [Double] = []
    /// r_i, the observed reward of the shown candidate.
    public private(set) var rewards: [Double] = []
    /// Every slot's reward when the source recorded them all (MIND impressions), else nil.
    public private(set) var slotRewards: [Double]?

    /// An empty log; `keepsSlotRewards` says whether every appended impression brings all its rewards.
    public init(keepsSlotRewards: Bool = false) {
        slotRewards = keepsSlotRewards ? [] : nil
    }

    /// Number of logged impressions.
    public var count: Int { loggedSlots.count }
    public var isEmpty: Bool { loggedSlots.isEmpty }

    /// The slots of impression `index`: indices into `items` and every per-slot array.
    public func slots(of index: Int) -> Range<Int> { slotStarts[index]..<slotStarts[index + 1] }

    /// Appends impression i: its candidates, the position (0-based within `candidates`) the
    /// logging policy showed, its propensity (nil: uniform, 1/|C|) and reward, and, when the log
    /// keeps them, every candidate's reward.
    /// - Throws: ``OffPolicyError`` naming the impression when the candidates are empty, the
    ///   position is outside them, the propensity is not in (0, 1] or a reward is not finite.
    public mutating func append(
        context: Int, candidates: some Collection<Int32>, loggedPosition: Int, propensity: Double? = nil,
        reward: Double, slotRewards candidateRewards: [Double]? = nil
    ) throws(OffPolicyError) {
        let index = count
        guard !candidates.isEmpty else {
            throw OffPolicyError("impression \(index) (context \(context)): no candidates", hint: "an impression shows at least one item")
        }
        guard (0..<candidates.count).contains(loggedPosition) else {
            throw OffPolicyError(
                "impression \(index) (context \(context)): logged position \(loggedPosition) is outside its \(candidates.count) candidates")
        }
        let p = propensity ?? 1 / Double(candidates.count)
        guard p.isFinite, p > 0, p <= 1 else {
            throw OffPolicyError(
                "impression \(index) (context \(context)): propensity must be in (0, 1], got \(p)",
                hint: "the logging policy's probability of the item it showed; 0 would make the weight infinite")
        }
        guard reward.isFinite else {
            throw OffPolicyError("impression \(index) (context \(context)): reward must be a finite number, got \(reward)")
        }
        precondition(
            (slotRewards == nil) == (candidateRewards == nil),
            "a log keeps every impression's slot rewards or none (impression \(index))")
        if let candidateRewards {
            guard candidateRewards.count == candidates.count, candidateRewards.allSatisfy(\.isFinite) else {
                throw OffPolicyError(
                    "impression \(index) (context \(context)): \(candidateRewards.count) candidate rewards for \(candidates.count) candidates, or one not finite")
            }
            guard candidateRewards[loggedPosition] == reward else {
                throw OffPolicyError(
                    "impression \(index) (context \(context)): the shown candidate's reward \(candidateRewards[loggedPosition]) differs from the logged reward \(reward)")
            }
            slotRewards!.append(contentsOf: candidateRewards)
        }
        contexts.append(context)
        loggedSlots.append(items.count + loggedPosition)
        items.append(contentsOf: candidates)
        slotStarts.append(items.count)
        propensities.append(p)
        rewards.append(reward)
    }

    /// The mean observed reward: the logging policy's own value (its CTR), measured on policy.
    public var loggedRewardMean: Double {
        isEmpty ? .nan : rewards.reduce(0, +) / Double(count)
    }

    /// (1/n) Σ_i Σ_{a ∈ C_i} π(a | x_i) r(x_i, a) over every slot's recorded reward: what the target
    /// policy would have scored had each impression shown the candidate it picks, **assuming a
    /// candidate's reward does not depend on which others are shown** (position and slate effects
    /// ignored). Nil when the log does not keep slot rewards. A reference, not an estimator.
    /// - Complexity: O(slots).
    public func fullInformationValue(targetProbabilities: [Double]) -> Double? {
        guard let slotRewards, !isEmpty else { return nil }
        precondition(targetProbabilities.count == items.count, "\(targetProbabilities.count) probabilities for \(items.count) slots")
        var total = 0.0
        for slot in 0..<items.count { total += targetProbabilities[slot] * slotRewards[slot] }
        return total / Double(count)
    }
}
