import RecEval
import Testing

@testable import RecOffPolicy

@Suite("Off-policy estimators")
struct EstimatorTests {
    /// Weights w = π(a_i)/p_i: 0.8/(1/2) = 1.6, 0.6/(1/3) = 1.8, 0.5/(1/2) = 1.0; Σw = 4.4.
    /// IPS   = (1.6·1 + 1.8·0 + 1.0·1) / 3 = 2.6 / 3 = 0.8666…
    /// SNIPS = 2.6 / 4.4 = 0.590909…
    /// ESS   = 4.4² / (1.6² + 1.8² + 1²) = 19.36 / 6.8 = 2.847058…
    /// DM terms: 0.8·0.5 + 0.2·0.2 = 0.44; 0.1·0.3 + 0.3·0.1 + 0.6·0.4 = 0.30; 0.5·0.2 + 0.5·0.1 = 0.15.
    /// DR terms: 0.44 + 1.6·(1 − 0.5) = 1.24; 0.30 + 1.8·(0 − 0.4) = −0.42; 0.15 + 1.0·(1 − 0.1) = 1.05.
    /// DR = (1.24 − 0.42 + 1.05) / 3 = 1.87 / 3 = 0.62333…; DM = 0.89 / 3 = 0.29666…
    @Test func handComputedEstimates() throws {
        let log = try handLog()
        let estimate = try OffPolicyEstimator(resamples: 200).estimate(
            log, targetProbabilities: handTarget, rewardPredictions: handPredictions)
        #expect(estimate.impressions == 3)
        #expect(close(estimate.ips.estimate, 2.6 / 3))
        #expect(close(try #require(estimate.snips).estimate, 2.6 / 4.4))
        #expect(close(try #require(estimate.doublyRobust).estimate, 1.87 / 3))
        #expect(close(try #require(estimate.directMethod), 0.89 / 3))
        #expect(close(estimate.effectiveSampleSize, 19.36 / 6.8))
        #expect(close(estimate.meanWeight, 4.4 / 3))
        #expect(close(estimate.maxWeight, 1.8))
        #expect(close(estimate.loggedRewardMean, 2.0 / 3))
        #expect(estimate.weightClip == nil && estimate.clippedWeights == 0)
        for interval in [estimate.ips, estimate.snips!, estimate.doublyRobust!] {
            #expect(interval.lower <= interval.estimate && interval.estimate <= interval.upper, "\(interval)")
        }
    }

    /// Clip M = 1.7: only w = 1.8 is clipped (to 1.7); its reward is 0, so IPS stays 2.6/3.
    /// SNIPS = 2.6 / 4.3 = 0.604651…; DR term 1 = 0.30 + 1.7·(−0.4) = −0.38, DR = 1.91 / 3;
    /// ESS = 4.3² / (2.56 + 2.89 + 1) = 18.49 / 6.45; max weight still the unclipped 1.8.
    @Test func clippingIsAnOptionAndReported() throws {
        let estimate = try OffPolicyEstimator(weightClip: 1.7, resamples: 200).estimate(
            try handLog(), targetProbabilities: handTarget, rewardPredictions: handPredictions)
        #expect(estimate.weightClip == 1.7 && estimate.clippedWeights == 1)
        #expect(close(estimate.ips.estimate, 2.6 / 3))
        #expect(close(estimate.snips!.estimate, 2.6 / 4.3))
        #expect(close(estimate.doublyRobust!.estimate, 1.91 / 3))
        #expect(close(estimate.effectiveSampleSize, 18.49 / 6.45))
        #expect(close(estimate.maxWeight, 1.8))
    }

    /// A target equal to the logging policy has every weight exactly 1: IPS and SNIPS are the
    /// on-policy mean of the logged rewards, and ESS = n.
    @Test func targetEqualToLoggingIsTheOnPolicyMean() throws {
        let log = try handLog()
        let uniform = [0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0.5, 0.5]
        let estimate = try OffPolicyEstimator(resamples: 200).estimate(log, targetProbabilities: uniform)
        #expect(estimate.ips.estimate == log.loggedRewardMean)
        #expect(estimate.snips!.estimate == log.loggedRewardMean)
        #expect(estimate.effectiveSampleSize == 3)
        #expect(estimate.doublyRobust == nil && estimate.directMethod == nil)
    }

    /// The intervals of IPS and DR are `BootstrapInterval`'s of their per-impression terms, draw for draw.
    @Test func bootstrapIsTheSharedPercentileBootstrap() throws {
        let log = try handLog()
        let estimate = try OffPolicyEstimator(resamples: 500, seed: 9).estimate(
            log, targetProbabilities: handTarget, rewardPredictions: handPredictions)
        let ips = BootstrapInterval([1.6, 0, 1.0], [0, 0, 0], resamples: 500, seed: 9)
        #expect(estimate.ips.lower == ips.lower && estimate.ips.upper == ips.upper)
        let dr = BootstrapInterval([1.24, 0.30 + 1.8 * (0 - 0.4), 0.15 + 1.0 * (1 - 0.1)], [0, 0, 0], resamples: 500, seed: 9)
        #expect(close(estimate.doublyRobust!.lower, dr.lower) && close(estimate.doublyRobust!.upper, dr.upper))
    }

    /// A 300-impression synthetic log: the same seed gives the same estimate, another seed other
    /// intervals around the same point estimates.
    @Test func bootstrapIsDeterministicPerSeed() throws {
        var configuration = SyntheticBanditProblem.Configuration()
        configuration.contexts = 500
        let world = SyntheticBanditProblem(configuration)
        let log = world.drawLog(impressions: 300, seed: 2)
        let target = world.perLogSlot(world.mixture(0.5), for: log)
        let predictions = ItemRewardModel.crossFitted(log, seed: 2)
        func run(_ seed: UInt64) throws -> OffPolicyEstimate {
            try OffPolicyEstimator(resamples: 300, seed: seed).estimate(log, targetProbabilities: target, rewardPredictions: predictions)
        }
        let first = try run(4)
        #expect(try run(4) == first)
        let other = try run(5)
        #expect(other.ips.estimate == first.ips.estimate && other.doublyRobust?.estimate == first.doublyRobust?.estimate)
        #expect(other.ips.lower != first.ips.lower && other.ips.upper != first.ips.upper)
        #expect(other.doublyRobust?.lower != first.doublyRobust?.lower)
    }

    /// Every resample of a log whose weights are all 0 is degenerate for SNIPS: no SNIPS at all.
    @Test func snipsIsAbsentWhenTheTargetNeverPicksWhatWasShown() throws {
        let log = try handLog()
        let never = [0.0, 1, 1, 0, 0, 1, 0]
        let estimate = try OffPolicyEstimator(resamples: 100).estimate(log, targetProbabilities: never)
        #expect(estimate.ips.estimate == 0 && estimate.snips == nil && estimate.effectiveSampleSize == 0)
        #expect(estimate.degenerateResamples == 100)
    }

    @Test func probabilitiesThatDoNotSumToOneNameTheImpression() throws {
        var bad = handTarget
        bad[3] = 0.5
        let log = try handLog()
        let error = try #require(throws: OffPolicyError.self) {
            try OffPolicyEstimator(resamples: 100).estimate(log, targetProbabilities: bad)
        }
        #expect(error.message.hasPrefix("impression 1 (context 1): target probabilities sum to 1.2"), "\(error)")
        #expect(throws: OffPolicyError.self) {
            try OffPolicyEstimator().estimate(BanditLog(), targetProbabilities: [])
        }
    }
}
