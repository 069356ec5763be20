import Foundation
import Testing

@testable import RecOffPolicy

@Suite("Target policies")
struct TargetPolicyTests {
    func probabilities(_ policy: TargetPolicy, _ scores: [Double]) -> [Double] {
        var output = [Double](repeating: -1, count: scores.count)
        policy.probabilities(scores: scores[...], into: &output[...])
        return output
    }

    @Test func greedySharesTiesEvenly() {
        #expect(probabilities(.greedy, [1, 3, 3]) == [0, 0.5, 0.5])
        #expect(probabilities(.greedy, [2, .nan, 1]) == [1, 0, 0], "NaN counts as −∞")
        #expect(probabilities(.greedy, [.nan, .nan]) == [0.5, 0.5], "nothing scored: uniform")
    }

    /// Scores [0, ln 3]: e⁰ : e^{ln 3} = 1 : 3; at T = 2, 1 : √3.
    @Test func softmaxFollowsTheTemperature() {
        let p = probabilities(.softmax(temperature: 1), [0, log(3)])
        #expect(close(p[0], 0.25) && close(p[1], 0.75))
        let warm = probabilities(.softmax(temperature: 2), [0, log(3)])
        #expect(close(warm[0], 1 / (1 + 3.0.squareRoot())))
        let cold = probabilities(.softmax(temperature: 1e-3), [0, 1, 0.5])
        #expect(close(cold[1], 1, 1e-9), "a cold softmax is greedy")
    }

    /// ε = 0.1 over 3 candidates: 0.1/3 each, plus 0.9 on the best.
    @Test func epsilonGreedyMixesUniform() {
        let p = probabilities(.epsilonGreedy(epsilon: 0.1), [1, 2, 0])
        #expect(close(p[0], 0.1 / 3) && close(p[1], 0.9 + 0.1 / 3) && close(p[2], 0.1 / 3))
    }

    @Test func parsing() throws {
        #expect(try TargetPolicy(parsing: "greedy") == .greedy)
        #expect(try TargetPolicy(parsing: "softmax:0.5") == .softmax(temperature: 0.5))
        #expect(try TargetPolicy(parsing: "epsilon:0.1") == .epsilonGreedy(epsilon: 0.1))
        for (text, message) in [
            ("softmax:0", "softmax:T needs a temperature T > 0"), ("epsilon:2", "epsilon:E needs an exploration rate E in [0, 1]"),
            ("best", "unknown policy 'best'; use greedy, softmax:T"), ("greedy:1", "unknown policy 'greedy:1'"),
        ] {
            let error = try #require(throws: OffPolicyError.self) { try TargetPolicy(parsing: text) }
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
