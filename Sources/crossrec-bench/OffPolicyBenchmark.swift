import Foundation
import RecOffPolicy

/// The off-policy goal experiment (issue 16 part 3): ``RecOffPolicy/OffPolicySimulation`` on
/// synthetic logs with a known logging policy, once with a non-uniform (softmax) logger, the
/// goal's setting, and once with a uniform logger (the MIND conversion's), each over the same
/// seeds and the same sweep of targets π_λ = (1 − λ) π0 + λ · greedy from the logging policy
/// (λ = 0) to the target model's greedy policy (λ = 1).
struct OffPolicyBenchmark {
    var seeds: [UInt64]
    var impressions: Int
    var resamples: Int
    /// τ0 of the softmax logger (1 in the goal's setting; smaller makes propensities of the
    /// candidates the logger dislikes tiny, and the weights of targets that pick them huge).
    var loggerTemperature = 1.0

    struct Study: Codable {
        var logging: String
        var seconds: Double
        var report: OffPolicySimulationReport
        var goalsMet: Bool
    }

    struct Report: Codable {
        var benchmark = "off-policy"
        var buildConfiguration: String
        var studies: [Study]
        /// Every goal of the softmax-logging study (the goal's setting) met.
        var goalsMet: Bool
    }

    func run() throws -> Report {
        var studies: [Study] = []
        for logging in [SyntheticBanditProblem.LoggingPolicy.softmax(noise: 1, temperature: loggerTemperature), .uniform] {
            var simulation = OffPolicySimulation()
            simulation.problem.logging = logging
            simulation.seeds = seeds
            simulation.impressions = impressions
            simulation.resamples = resamples
            let name: String
            switch logging {
            case .uniform: name = "uniform"
            case .softmax(let noise, let temperature): name = "softmax(noise \(noise), temperature \(temperature))"
            }
            let start = ContinuousClock.now
            let report = try simulation.run { done, total in
                if done % 10 == 0 || done == total {
                    FileHandle.standardError.write(Data("ope [\(name)]: seed \(done)/\(total)\n".utf8))
                }
            }
            studies.append(
                Study(
                    logging: name, seconds: BenchmarkSupport.seconds(since: start), report: report,
                    goalsMet: report.goals.filter { $0.estimator != "ips" }.allSatisfy(\.met)))
        }
        return Report(buildConfiguration: BenchmarkSupport.buildConfiguration, studies: studies, goalsMet: studies[0].goalsMet)
    }
}
