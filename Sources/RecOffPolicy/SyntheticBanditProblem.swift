import Foundation
import RecData

/// Synthetic impressions with a known click model, a known logging policy and a known target
/// model: logs drawn from it have exactly known propensities, and any target policy's true click
/// rate is computable exactly.
///
/// The model (all draws SplitMix64 from `seed`, Gaussians by Box–Muller):
/// - users u have taste vectors z_u ~ N(0, σ_z² I_d), items a vectors v_a ~ N(0, σ_z² I_d) and
///   biases b_a ~ N(0, σ_b²);
/// - a context x is a user and a candidate set C_x of |C_x| ~ U{min…max} distinct items drawn
///   uniformly; the problem holds a fixed **pool** of `contexts` such contexts;
/// - click probability q(x, a) = σ(β + b_a + z_u · v_a), σ the logistic function;
/// - logging policy π0(· | x): uniform, or softmax((logit q(x, a) + ε_a) / τ0) with ε_a ~ N(0, σ0²)
///   drawn once per slot (a noisy model's scores), so propensities vary and are known exactly;
/// - target scores s(x, a) = logit q(x, a) + η_a, η_a ~ N(0, σ1²): a better model than the
///   logger's when σ1 < σ0.
///
/// A log of n impressions (``drawLog(impressions:seed:)``) draws each context uniformly from the
/// pool (with replacement), the shown candidate a ~ π0(· | x) and the click r ~ Bernoulli(q(x, a)).
/// The truth of a target policy π is its expected click rate over that draw,
/// V(π) = (1/|pool|) Σ_{x ∈ pool} Σ_{a ∈ C_x} π(a | x) q(x, a) (``trueValue(of:)``): exact, no
/// simulation error.
/// - Complexity: O(pool slots) memory and construction.
public struct SyntheticBanditProblem: Sendable {
    /// How the logging policy chooses.
    public enum LoggingPolicy: Sendable, Hashable, Codable {
        /// π0(a | x) = 1 / |C_x|.
        case uniform
        /// π0 = softmax((logit q + ε) / temperature), ε ~ N(0, noise²) per slot.
        case softmax(noise: Double, temperature: Double)
    }

    public struct Configuration: Sendable, Hashable, Codable {
        public var users = 1_000
        public var items = 500
        public var dimensions = 4
        /// The pool of contexts logs are drawn from.
        public var contexts = 20_000
        public var minimumCandidates = 5
        public var maximumCandidates = 10
        /// β: the click logit of an average item for a user with no taste for it.
        public var baseLogit = -2.2
        /// σ_b.
        public var itemBiasDeviation = 0.6
        /// σ_z, each coordinate of z_u and v_a.
        public var tasteDeviation = 0.7
        public var logging = LoggingPolicy.softmax(noise: 1.0, temperature: 1.0)
        /// σ1, the target model's score noise.
        public var targetNoise = 0.5
        public var seed: UInt64 = 1

        public init() {}
    }

    public let configuration: Configuration
    /// `contexts + 1` offsets into the per-slot arrays.
    public let slotStarts: [Int]
    /// Each context's user.
    public let users: [Int32]
    /// Each slot's item.
    public let items: [Int32]
    /// q(x, a) per slot.
    public let clickProbabilities: [Double]
    /// π0(a | x) per slot.
    public let loggingProbabilities: [Double]
    /// s(x, a) per slot.
    public let targetScores: [Double]

    public var contextCount: Int { users.count }
    public func slots(of context: Int) -> Range<Int> { slotStarts[context]..<slotStarts[context + 1] }

    public init(_ configuration: Configuration) {
        let c = configuration
        precondition(c.users >= 1 && c.items >= c.maximumCandidates && c.dimensions >= 1 && c.contexts >= 1, "problem sizes: \(c)")
        precondition(c.minimumCandidates >= 1 && c.minimumCandidates <= c.maximumCandidates, "candidates \(c.minimumCandidates)…\(c.maximumCandidates)")
        self.configuration = c
        var random = SeededGenerator(seed: c.seed)
        func gaussian() -> Double {
            (-2 * log(random.nextOpenUnit())).squareRoot() * cos(2 * Double.pi * random.nextUnit())
        }
        let tastes = (0..<(c.users * c.dimensions)).map { _ in c.tasteDeviation * gaussian() }
        let vectors = (0..<(c.items * c.dimensions)).map { _ in c.tasteDeviation * gaussian() }
        let biases = (0..<c.items).map { _ in c.itemBiasDeviation * gaussian() }
        var starts = [0], users: [Int32] = [], items: [Int32] = []
        var clicks: [Double] = [], logging: [Double] = [], target: [Double] = []
        var chosen = Set<Int>()
        for _ in 0..<c.contexts {
            let user = random.next(below: c.users)
            users.append(Int32(user))
            let size = c.minimumCandidates + random.next(below: c.maximumCandidates - c.minimumCandidates + 1)
            chosen.removeAll(keepingCapacity: true)
            var loggingScores: [Double] = []
            while chosen.count < size {
                let item = random.next(below: c.items)
                guard chosen.insert(item).inserted else { continue }
                var logit = c.baseLogit + biases[item]
                for k in 0..<c.dimensions { logit += tastes[user * c.dimensions + k] * vectors[item * c.dimensions + k] }
                items.append(Int32(item))
                clicks.append(1 / (1 + exp(-logit)))
                switch c.logging {
                case .uniform: loggingScores.append(0)
                case .softmax(let noise, let temperature): loggingScores.append((logit + noise * gaussian()) / temperature)
                }
                target.append(logit + c.targetNoise * gaussian())
            }
            let top = loggingScores.max()!
            let exponentials = loggingScores.map { exp($0 - top) }
            let total = exponentials.reduce(0, +)
            logging.append(contentsOf: exponentials.map { $0 / total })
            starts.append(items.count)
        }
        slotStarts = starts
        self.users = users
        self.items = items
        clickProbabilities = clicks
        loggingProbabilities = logging
        targetScores = target
    }

    /// V(π) = (1/|pool|) Σ_x Σ_a π(a | x) q(x, a) for π given per pool slot. O(pool slots).
    public func trueValue(of probabilities: [Double]) -> Double {
        precondition(probabilities.count == items.count, "\(probabilities.count) probabilities for \(items.count) pool slots")
        var total = 0.0
        for slot in 0..<items.count { total += probabilities[slot] * clickProbabilities[slot] }
        return total / Double(contextCount)
    }

    /// The target model's greedy policy per pool slot (ties share evenly).
    public func greedyTarget() -> [Double] {
        var result = [Double](repeating: 0, count: items.count)
        for context in 0..<contextCount {
            let slots = slots(of: context)
            TargetPolicy.greedy.probabilities(scores: targetScores[slots], into: &result[slots])
        }
        return result
    }

    /// (1 − λ) π0 + λ · greedy per pool slot: λ = 0 is the logging policy, λ = 1 the target model's
    /// greedy policy, and the weights π/π0 grow with λ.
    public func mixture(_ lambda: Double) -> [Double] {
        precondition((0...1).contains(lambda), "mixture weight must be in [0, 1], got \(lambda)")
        let greedy = greedyTarget()
        return (0..<items.count).map { (1 - lambda) * loggingProbabilities[$0] + lambda * greedy[$0] }
    }

    /// n impressions: context uniform over the pool, shown slot a ~ π0 (inverse CDF of one uniform),
    /// click ~ Bernoulli(q(x, a)); the draws of one impression in that order. `contexts[i]` of the
    /// log is the pool context.
    public func drawLog(impressions n: Int, seed: UInt64) -> BanditLog {
        precondition(n >= 1, "a log needs at least one impression, got \(n)")
        var random = SeededGenerator(seed: seed)
        var log = BanditLog()
        for _ in 0..<n {
            let context = random.next(below: contextCount)
            let slots = slots(of: context)
            let u = random.nextUnit()
            var position = slots.count - 1
            var cumulative = 0.0
            for slot in slots {
                cumulative += loggingProbabilities[slot]
                if u < cumulative {
                    position = slot - slots.lowerBound
                    break
                }
            }
            let logged = slots.lowerBound + position
            let reward: Double = random.nextUnit() < clickProbabilities[logged] ? 1 : 0
            do {
                try log.append(
                    context: context, candidates: items[slots], loggedPosition: position,
                    propensity: loggingProbabilities[logged], reward: reward)
            } catch {
                preconditionFailure("synthetic impression: \(error)")  // propensities of a softmax are > 0
            }
        }
        return log
    }

    /// Pool-slot values (probabilities, scores) restricted to the slots of `log`, in its order.
    public func perLogSlot(_ poolValues: [Double], for log: BanditLog) -> [Double] {
        precondition(poolValues.count == items.count, "one value per pool slot")
        var result: [Double] = []
        result.reserveCapacity(log.items.count)
        for impression in 0..<log.count { result.append(contentsOf: poolValues[slots(of: log.contexts[impression])]) }
        return result
    }
}
