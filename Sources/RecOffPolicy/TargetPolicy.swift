import Foundation

/// A target policy π(a | x) over an impression's candidates, built from a model's scores of them.
///
/// Scores are read as given (higher is better); NaN counts as −∞. With M the candidates of the
/// highest score:
/// - `greedy`: π(a) = 1/|M| for a ∈ M, else 0 (ties share evenly, so the policy is a function of
///   the scores alone, never of the candidates' order);
/// - `softmax(temperature: T)`: π(a) ∝ exp((s_a − max s) / T), T > 0; T → ∞ is uniform, T → 0 greedy;
/// - `epsilonGreedy(epsilon: ε)`: (1 − ε) · greedy + ε / |C|, ε in [0, 1].
///
/// When every score is −∞ (NaN), every policy is uniform.
/// - Complexity: O(|C|) per impression.
public enum TargetPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    case greedy
    case softmax(temperature: Double)
    case epsilonGreedy(epsilon: Double)

    public var description: String {
        switch self {
        case .greedy: return "greedy"
        case .softmax(let temperature): return "softmax:\(temperature)"
        case .epsilonGreedy(let epsilon): return "epsilon:\(epsilon)"
        }
    }

    /// Parses `greedy`, `softmax:T` (T > 0) or `epsilon:E` (E in [0, 1]).
    /// - Throws: ``OffPolicyError`` saying which forms are accepted.
    public init(parsing text: String) throws(OffPolicyError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first ?? "", parts.count) {
        case ("greedy", 1):
            self = .greedy
        case ("softmax", 2):
            guard let temperature = Double(parts[1]), temperature.isFinite, temperature > 0 else {
                throw OffPolicyError("policy '\(text)': softmax:T needs a temperature T > 0 (e.g. softmax:0.5)")
            }
            self = .softmax(temperature: temperature)
        case ("epsilon", 2):
            guard let epsilon = Double(parts[1]), (0...1).contains(epsilon) else {
                throw OffPolicyError("policy '\(text)': epsilon:E needs an exploration rate E in [0, 1] (e.g. epsilon:0.1)")
            }
            self = .epsilonGreedy(epsilon: epsilon)
        default:
            throw OffPolicyError("unknown policy '\(text)'; use greedy, softmax:T (T > 0) or epsilon:E (0 ≤ E ≤ 1)")
        }
    }

    /// π(· | x) of one impression with these candidate scores, written to `probabilities` (same count).
    public func probabilities(scores: ArraySlice<Double>, into probabilities: inout ArraySlice<Double>) {
        precondition(scores.count == probabilities.count && !scores.isEmpty, "\(scores.count) scores for \(probabilities.count) slots")
        let keys = scores.map { $0.isNaN ? -Double.infinity : $0 }
        let top = keys.max()!
        let n = Double(keys.count)
        var output = probabilities.startIndex
        if top == -.infinity {
            for _ in keys { probabilities[output] = 1 / n; output += 1 }
            return
        }
        switch self {
        case .greedy, .epsilonGreedy:
            let epsilon: Double
            if case .epsilonGreedy(let value) = self { epsilon = value } else { epsilon = 0 }
            let ties = Double(keys.count(where: { $0 == top }))
            for key in keys {
                probabilities[output] = (key == top ? (1 - epsilon) / ties : 0) + epsilon / n
                output += 1
            }
        case .softmax(let temperature):
            var total = 0.0
            for key in keys {
                let value = key == -.infinity ? 0 : exp((key - top) / temperature)
                probabilities[output] = value
                total += value
                output += 1
            }
            for slot in probabilities.indices { probabilities[slot] /= total }
        }
    }

    /// π(a | x_i) of every slot of `log`, from one score per slot (aligned with `log.items`).
    /// - Complexity: O(slots).
    public func probabilities(scores: [Double], log: BanditLog) -> [Double] {
        precondition(scores.count == log.items.count, "\(scores.count) scores for \(log.items.count) slots")
        var result = [Double](repeating: 0, count: scores.count)
        for impression in 0..<log.count {
            let slots = log.slots(of: impression)
            probabilities(scores: scores[slots], into: &result[slots])
        }
        return result
    }
}
