import Testing

@testable import RecOffPolicy

@Suite("Reward model")
struct RewardModelTests {
    /// Logged: item 10 twice (rewards 1, 0), item 12 once (1): μ = 2/3. With m = 1:
    /// q̂(10) = (1 + 2/3) / (2 + 1) = 5/9, q̂(12) = (1 + 2/3) / (1 + 1) = 5/6, unseen q̂ = μ = 2/3.
    @Test func itemRatesShrinkTowardTheMean() throws {
        var log = BanditLog()
        try log.append(context: 0, candidates: [10, 11], loggedPosition: 0, reward: 1)
        try log.append(context: 1, candidates: [10, 12], loggedPosition: 0, reward: 0)
        try log.append(context: 2, candidates: [11, 12], loggedPosition: 1, reward: 1)
        let model = ItemRewardModel(fitting: log, impressions: 0..<3, priorStrength: 1)
        #expect(close(model.meanReward, 2.0 / 3))
        #expect(close(model.predict(10), 5.0 / 9))
        #expect(close(model.predict(12), 5.0 / 6))
        #expect(close(model.predict(99), 2.0 / 3))
    }

    /// Cross-fitting: an impression's own reward never enters its predictions, so flipping it
    /// leaves them unchanged (and changes some other impression's).
    @Test func crossFittedPredictionsIgnoreTheirOwnImpression() throws {
        func log(flipping flipped: Int?) throws -> BanditLog {
            var log = BanditLog()
            for impression in 0..<40 {
                let items: [Int32] = [Int32(impression % 5), Int32(5 + impression % 3)]
                var reward: Double = impression % 3 == 0 ? 1 : 0
                if impression == flipped { reward = 1 - reward }
                try log.append(context: impression, candidates: items, loggedPosition: impression % 2, reward: reward)
            }
            return log
        }
        let base = try log(flipping: nil)
        let before = ItemRewardModel.crossFitted(base, seed: 7)
        #expect(before == ItemRewardModel.crossFitted(base, seed: 7))
        for flipped in [0, 13, 39] {
            let after = ItemRewardModel.crossFitted(try log(flipping: flipped), seed: 7)
            let own = base.slots(of: flipped)
            #expect(Array(after[own]) == Array(before[own]), "impression \(flipped)")
            #expect(after != before)
        }
    }
}
