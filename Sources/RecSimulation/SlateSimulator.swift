import Foundation
public import RecData
public import RecEval
import SeededRandom

/// Simulated sessions of users who see a policy's slate and click: each session draws a user
/// uniformly from `population`, shows that user's slate, and clicks every item independently with
/// the click model's probability. Because the users are drawn uniformly and the slates are fixed,
/// the expected CTR is known exactly when the click model is: `exactCTR` = mean over the
/// population of the mean click probability of the user's slate. The estimate's 95 % interval is
/// over sessions (independent draws), so it covers `exactCTR` in about 95 % of seeds.
///
/// Deterministic for a seed: the user draws come from one generator and the clicks from another,
/// so two policies simulated with the same seed see the same users in the same order (common
/// random numbers: the A/B comparison is paired session by session).
public struct SlateSimulator: Sendable {
    public struct Result: Sendable, Hashable, Codable {
        public var policy: String
        public var sessions: Int
        public var slateSize: Int
        /// Clicks per shown item.
        public var ctr: SimulationEstimate
        public var clicksPerSession: SimulationEstimate
        /// The expected CTR under the click model, over the population (nil when not computable).
        public var exactCTR: Double?
        /// Distinct items shown over all sessions, divided by the items of the slates' domains.
        public var catalogueCoverage: Double
        /// Mean, over sessions, of the share of item pairs on the slate with no category in common.
        public var intraSlateDiversity: Double
        /// Share of shown items per domain name.
        public var domainShare: [String: Double]
        /// Per session: its CTR (for paired comparisons; not encoded).
        public var sessionCTR: [Double] = []

        enum CodingKeys: String, CodingKey {
            case policy, sessions, slateSize, ctr, clicksPerSession, exactCTR, catalogueCoverage, intraSlateDiversity, domainShare
        }
    }

    /// The A/B comparison of two policies on the same simulated sessions.
    public struct Comparison: Sendable, Codable {
        public var a: Result
        public var b: Result
        /// CTR of a minus CTR of b, paired by session.
        public var difference: SimulationEstimate
        public var test: PairedTTest
    }

    public let dataset: Dataset
    public let clickModel: any ClickModel
    /// Users sessions are drawn from.
    public let population: [Int32]

    public init(dataset: Dataset, clickModel: any ClickModel, population: [Int32]) throws {
        guard !population.isEmpty else { throw SimulationError("no user to simulate") }
        self.dataset = dataset
        self.clickModel = clickModel
        self.population = population
    }

    /// Runs `sessions` sessions of `slates` (one slate per population user, same order) with `seed`.
    /// - Complexity: O(population · slate size) for the exact CTR, O(sessions · slate size²) for the sessions.
    public func run(policy: String, slates: [[SlateItem]], sessions: Int, seed: UInt64) -> Result {
        precondition(slates.count == population.count, "one slate per population user: \(slates.count) for \(population.count)")
        precondition(sessions >= 2, "sessions \(sessions): need at least two for an interval")
        let slateSize = slates.map(\.count).max() ?? 0
        // Two streams with unrelated states (two outputs of a generator seeded with `seed`): a seed
        // and the seed XOR a constant gave streams whose states differ by a small offset.
        var root = SplitMix64(seed: seed)
        var users = SplitMix64(seed: root.next())
        var clicks = SplitMix64(seed: root.next())
        var sessionCTR: [Double] = []
        var sessionClicks: [Double] = []
        var diversity = 0.0
        var shownPerDomain = [Int](repeating: 0, count: dataset.domains.count)
        var seen = Set<SlateItem>()
        sessionCTR.reserveCapacity(sessions)
        for _ in 0..<sessions {
            let position = users.next(below: population.count)
            let user = population[position]
            let slate = slates[position]
            var clicked = 0
            for item in slate {
                // One draw per shown item, whatever the probability, so that two policies stay in step.
                if clicks.nextUnit() < clickModel.clickProbability(user: user, item) { clicked += 1 }
                shownPerDomain[item.domain] += 1
                seen.insert(item)
            }
            sessionClicks.append(Double(clicked))
            sessionCTR.append(slate.isEmpty ? 0 : Double(clicked) / Double(slate.count))
            diversity += Self.diversity(slate, in: dataset)
        }
        let exact = exactCTR(slates: slates)
        let domainsShown = Set(slates.flatMap { $0.map(\.domain) })
        let catalogue = domainsShown.reduce(0) { $0 + dataset.domains[$1].items.count }
        let shown = shownPerDomain.reduce(0, +)
        var share: [String: Double] = [:]
        for (index, count) in shownPerDomain.enumerated() where count > 0 {
            share[dataset.domains[index].name] = Double(count) / Double(shown)
        }
        return Result(
            policy: policy, sessions: sessions, slateSize: slateSize, ctr: SimulationEstimate(values: sessionCTR),
            clicksPerSession: SimulationEstimate(values: sessionClicks), exactCTR: exact,
            catalogueCoverage: catalogue > 0 ? Double(seen.count) / Double(catalogue) : 0,
            intraSlateDiversity: diversity / Double(sessions), domainShare: share, sessionCTR: sessionCTR)
    }

    /// The expected CTR of `slates` (one per population user) for a user drawn uniformly: the mean
    /// over users of the mean click probability of their slate (an empty slate counts as 0).
    public func exactCTR(slates: [[SlateItem]]) -> Double {
        var exact = 0.0
        for (position, user) in population.enumerated() where !slates[position].isEmpty {
            exact += slates[position].reduce(0) { $0 + clickModel.clickProbability(user: user, $1) } / Double(slates[position].count)
        }
        return exact / Double(population.count)
    }

    /// Both policies on the same sessions (same seed), compared session by session.
    public func compare(
        _ a: (policy: String, slates: [[SlateItem]]), _ b: (policy: String, slates: [[SlateItem]]), sessions: Int, seed: UInt64
    ) -> Comparison {
        let first = run(policy: a.policy, slates: a.slates, sessions: sessions, seed: seed)
        let second = run(policy: b.policy, slates: b.slates, sessions: sessions, seed: seed)
        let differences = zip(first.sessionCTR, second.sessionCTR).map { $0 - $1 }
        return Comparison(
            a: first, b: second, difference: SimulationEstimate(values: differences),
            test: PairedTTest(first.sessionCTR, second.sessionCTR))
    }

    /// The share of the slate's item pairs that have no category in common (1: all different).
    static func diversity(_ slate: [SlateItem], in dataset: Dataset) -> Double {
        guard slate.count >= 2 else { return 0 }
        let categories = slate.map { item -> Set<String> in
            Set(dataset.domains[item.domain].catalog.categoryNames(of: item.item).map { "\(item.domain):\($0)" })
        }
        var disjoint = 0, pairs = 0
        for i in 0..<categories.count {
            for j in (i + 1)..<categories.count {
                pairs += 1
                if categories[i].isDisjoint(with: categories[j]) { disjoint += 1 }
            }
        }
        return Double(disjoint) / Double(pairs)
    }
}
