import Foundation
import Testing

@testable import RecOffPolicy

@Suite("Synthetic logs with a known truth")
struct SyntheticProblemTests {
    static func tiny(_ logging: SyntheticBanditProblem.LoggingPolicy) -> SyntheticBanditProblem {
        var configuration = SyntheticBanditProblem.Configuration()
        configuration.users = 3
        configuration.items = 4
        configuration.dimensions = 2
        configuration.contexts = 2
        configuration.minimumCandidates = 2
        configuration.maximumCandidates = 3
        configuration.baseLogit = -0.5
        configuration.logging = logging
        return SyntheticBanditProblem(configuration)
    }

    /// V(π) = (1/2) Σ_x Σ_a π(a|x) q(x, a) over the 2 contexts, recomputed from the problem's
    /// columns for the uniform policy and the greedy one, and the mixtures in between linear in λ.
    @Test func theTruthIsExactOnATinyPool() {
        let problem = Self.tiny(.uniform)
        #expect(problem.contextCount == 2)
        var uniformTruth = 0.0, greedyTruth = 0.0
        for context in 0..<2 {
            let slots = problem.slots(of: context)
            #expect((2...3).contains(slots.count))
            let q = Array(problem.clickProbabilities[slots])
            uniformTruth += q.reduce(0, +) / Double(q.count) / 2
            let best = slots.max { problem.targetScores[$0] < problem.targetScores[$1] }!
            greedyTruth += problem.clickProbabilities[best] / 2
            for slot in slots { #expect(problem.loggingProbabilities[slot] == 1 / Double(slots.count)) }
        }
        #expect(close(problem.trueValue(of: problem.loggingProbabilities), uniformTruth))
        #expect(close(problem.trueValue(of: problem.greedyTarget()), greedyTruth))
        #expect(close(problem.trueValue(of: problem.mixture(0.3)), 0.7 * uniformTruth + 0.3 * greedyTruth))
    }

    /// The truth is what logs draw: on a 200,000-impression on-policy log the mean click is V(π0)
    /// within 4 standard errors (√(V(1 − V)/n) ≈ 0.001).
    @Test func logsDrawWhatTheTruthSays() {
        let problem = Self.tiny(.softmax(noise: 1, temperature: 1))
        for context in 0..<problem.contextCount {
            let total = problem.slots(of: context).reduce(0.0) { $0 + problem.loggingProbabilities[$1] }
            #expect(close(total, 1, 1e-12))
        }
        let log = problem.drawLog(impressions: 200_000, seed: 5)
        let truth = problem.trueValue(of: problem.loggingProbabilities)
        let error = (truth * (1 - truth) / 200_000).squareRoot()
        #expect(abs(log.loggedRewardMean - truth) < 4 * error, "\(log.loggedRewardMean) against \(truth)")
        for impression in 0..<100 {
            let pool = problem.slots(of: log.contexts[impression])
            let logged = pool.lowerBound + log.loggedSlots[impression] - log.slotStarts[impression]
            #expect(log.propensities[impression] == problem.loggingProbabilities[logged])
        }
        #expect(problem.drawLog(impressions: 50, seed: 5) == problem.drawLog(impressions: 50, seed: 5))
    }

    /// λ = 0 is the logging policy: every weight is exactly 1 and IPS is the on-policy mean.
    /// Over 40 logs IPS and DR are unbiased at λ = 0.5 (within 4 standard errors of V).
    @Test func theSimulationIsDeterministicAndUnbiased() throws {
        var simulation = OffPolicySimulation()
        simulation.problem.contexts = 2_000
        simulation.impressions = 1_000
        simulation.seeds = Array(1...40)
        simulation.mixtures = [0, 0.5]
        simulation.nearMixture = 0.5
        simulation.resamples = 100
        let report = try simulation.run()
        #expect(try simulation.run().rows == report.rows)
        let onPolicy = report.rows[0]
        #expect(onPolicy.meanEffectiveSampleSize == 1_000 && onPolicy.meanMaxWeight == 1)
        #expect(close(onPolicy.ips.meanEstimate, onPolicy.snips.meanEstimate, 1e-15))
        let world = SyntheticBanditProblem(simulation.problem)
        let log = world.drawLog(impressions: 1_000, seed: 1)
        let estimate = try OffPolicyEstimator(resamples: 100).estimate(log, targetProbabilities: world.perLogSlot(world.mixture(0), for: log))
        #expect(estimate.ips.estimate == log.loggedRewardMean)
        let mixed = report.rows[1]
        for summary in [mixed.ips, mixed.doublyRobust] {
            #expect(abs(summary.bias) < 4 * summary.biasStandardError, "\(summary)")
        }
        #expect(mixed.meanEffectiveSampleSize < 1_000)
        #expect(report.goals.map(\.estimator) == ["ips", "snips", "dr"])
    }
}
