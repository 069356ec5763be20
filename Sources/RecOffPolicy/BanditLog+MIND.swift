public import RecData

extension BanditLog {
    /// A single-action log from MIND impressions, which show every candidate with its click label.
    ///
    /// MIND does not say which candidate a logging policy chose, nor with what probability: it
    /// records a whole list and every candidate's click. To give estimators a log whose
    /// propensities are **exactly true**, each labeled impression is turned into one logged action
    /// by drawing one candidate uniformly at random (SplitMix64 with `seed`, one draw per kept
    /// impression in log order): p_i = 1/|C_i| by construction, r_i = its label. The other labels
    /// are kept in ``slotRewards`` as a full-information reference
    /// (``fullInformationValue(targetProbabilities:)``).
    ///
    /// Consequences: the estimators see 1/|C| of the labels, so their intervals are wider than a
    /// full-information evaluation's; what they estimate is the click rate of a policy that shows
    /// one candidate chosen from each impression's list, taking a candidate's MIND label as its
    /// click when shown alone (MIND's labels were recorded in a slate, so position and slate effects
    /// are ignored). `contexts[i]` is the impression's index in `log`.
    ///
    /// Impressions with no candidates or any unlabeled candidate (label −1, as in the test split)
    /// are skipped and counted; impressions without a click are kept (a zero reward is data).
    /// - Returns: the log and the number of skipped impressions.
    /// - Complexity: O(candidates).
    public static func drawingOneCandidate(of log: MINDImpressionLog, seed: UInt64) -> (log: BanditLog, skipped: Int) {
        var result = BanditLog(keepsSlotRewards: true)
        var generator = SeededGenerator(seed: seed)
        var skipped = 0
        for impression in 0..<log.count {
            let labels = log.labels(of: impression)
            guard !labels.isEmpty, labels.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                skipped += 1
                continue
            }
            let rewards = labels.map { Double($0) }
            let position = generator.next(below: labels.count)
            do {
                try result.append(
                    context: impression, candidates: log.candidates(of: impression), loggedPosition: position,
                    reward: rewards[position], slotRewards: rewards)
            } catch {
                // Non-empty candidates, a position among them, uniform propensity, labels 0/1: cannot fail.
                preconditionFailure("MIND impression \(impression): \(error)")
            }
        }
        return (result, skipped)
    }
}
