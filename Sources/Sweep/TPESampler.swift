import Foundation
public import ParameterSpecs
import SeededRandom

/// One finished trial as an adaptive search sees it.
public struct SearchObservation: Sendable, Hashable {
    /// The searched parameters of the trial; a conditional parameter whose condition the trial did
    /// not meet is absent.
    public var parameters: [String: ParameterValue]
    /// Lower is better (the caller negates maximised metrics). `+infinity` marks a failed trial; NaN
    /// is read as `+infinity`.
    public var loss: Double

    public init(parameters: [String: ParameterValue], loss: Double) {
        self.parameters = parameters
        self.loss = loss
    }
}

/// Uniform random search over ``ParameterSpace``s, addressable by suggestion number.
///
/// Suggestion `index` draws each active parameter with its own ``SplitMix64`` seeded from
/// (seed, index, parameter name), through `Sampling.draw`, so doubles are rounded to 6 significant
/// digits and clamped into their range; explicit `.values` lists are drawn uniformly like `choice`.
/// Parameters are drawn parents first (a condition's parent before its children, otherwise by name);
/// a parameter whose ``ParameterSpec/Condition`` the drawn parent does not meet is absent. A
/// condition on a parameter that is not searched here cannot be decided, so its child is drawn and
/// left for the caller's `ModelSweep.removingInactive` (after merging the defaults) to keep or drop.
///
/// - Determinism: suggestion k depends only on (spaces, conditions, seed, k), not on other
///   suggestions; adding a parameter does not change the values drawn for the others.
/// - Complexity: O(parameters) per suggestion.
public struct RandomSearch: Sendable, Hashable {
    public let spaces: [String: ParameterSpace]
    public let conditions: [String: ParameterSpec.Condition]
    public let seed: UInt64
    /// The searched parameters, each condition's parent before its children, then by name.
    let drawOrder: [String]

    /// - Precondition: every `choice`/`values` list is non-empty, every range has `low <= high`,
    ///   log ranges have `low > 0`, and the conditions among searched parameters have no cycle.
    public init(spaces: [String: ParameterSpace], conditions: [String: ParameterSpec.Condition] = [:], seed: UInt64) {
        for (name, space) in spaces { SearchDimension.checkValid(space, name: name) }
        self.spaces = spaces
        self.conditions = conditions
        self.seed = seed
        self.drawOrder = Self.drawOrder(spaces: spaces, conditions: conditions)
    }

    /// Suggestion number `index` (0-based).
    public func suggest(index: Int) -> [String: ParameterValue] {
        var configuration: [String: ParameterValue] = [:]
        for name in drawOrder where isActive(name, in: configuration) {
            guard let space = spaces[name] else { continue }
            var generator = SearchStream.generator(seed: seed, index: index, parameter: name, purpose: .random)
            let drawable: ParameterSpace
            if case .values(let values) = space { drawable = .choice(values) } else { drawable = space }
            configuration[name] = Sampling.draw(drawable, using: &generator)
        }
        return configuration
    }

    /// Whether `name` applies given the values drawn so far (see the type's note on unsearched parents).
    func isActive(_ name: String, in configuration: [String: ParameterValue]) -> Bool {
        guard let condition = conditions[name], spaces[condition.parameter] != nil else { return true }
        return condition.isMet(by: configuration[condition.parameter])
    }

    /// Topological order of the searched parameters (parents first), the smallest ready name first.
    /// O(parameters²).
    static func drawOrder(spaces: [String: ParameterSpace], conditions: [String: ParameterSpec.Condition]) -> [String] {
        var remaining = spaces.keys.sorted()
        var placed: Set<String> = []
        var order: [String] = []
        while !remaining.isEmpty {
            let ready = remaining.firstIndex { name in
                guard let parent = conditions[name]?.parameter, spaces[parent] != nil else { return true }
                return placed.contains(parent)
            }
            guard let ready else {
                preconditionFailure("parameter conditions form a cycle among \(remaining)")
            }
            let name = remaining.remove(at: ready)
            placed.insert(name)
            order.append(name)
        }
        return order
    }
}

/// Tree-structured Parzen Estimator (Bergstra et al. 2011), following Optuna's `TPESampler` with its
/// defaults in independent (univariate) mode with `constant_liar=True`.
///
/// While fewer than ``startupTrials`` observations exist (pending ones do not count), suggestion
/// `index` is ``RandomSearch``'s suggestion `index`. After that, for each active parameter, parents first:
/// 1. Split: the observations ranked by loss (NaN as +∞; ties: see Determinism); the first
///    γ(n) = min(⌈0.1·n⌉, 25) (Optuna's `default_gamma`, n = observations only) form the *below*
///    group, the others plus every `pending` configuration the *above* group (the constant liar: a
///    leased trial counts as a bad one, so parallel suggestions avoid each other).
/// 2. l(x) and g(x): a Parzen estimator over the members of each group that hold the parameter
///    (Optuna's independent sampler), plus the prior as one more kernel of weight 1
///    (`consider_prior=True, prior_weight=1.0`).
///    - Numeric (uniform; log-uniform in log space; integers on cells [k − ½, k + ½], in log space for
///      log-integers, as Optuna's int distributions): normal kernels truncated to the range, μ = the
///      point, σ = the larger gap to its sorted neighbours, the smallest and largest points using their
///      inner gap only (`consider_endpoints=False`; a lone point: its larger distance to an end),
///      clipped to [range / min(100, n + 2), range] (`consider_magic_clip=True`); the prior kernel has
///      μ = the middle of the range, σ = the range.
///    - Categorical (`choice`, and `values` lists): each point is a row with pseudo-count 1/(n + 1) on
///      every choice plus 1 on its own, normalised; the prior row is uniform.
///    - Weights: every point 1 (Optuna's `default_weights` below 25 points, which covers every below
///      group; see Differences for the above group).
/// 3. Draw ``candidates`` values from l and keep the first with the largest log l(x) − log g(x):
///    continuous draws scored by density where drawn, integers rounded first and scored by the mass of
///    their cell (as Optuna). The winner is returned as `Sampling.draw` returns values: doubles rounded
///    to 6 significant digits and clamped into the range.
///
/// Differences from Optuna, all deliberate:
/// - Above-group points all weigh 1: `default_weights` ramps the weight of points by trial age from
///   25 points on, and observations are a set without an age.
/// - Failed trials (`loss = +infinity`) stay, as the worst observations (Optuna drops them), so a
///   region that fails is avoided; they count towards n and ``startupTrials``.
/// - Above groups of more than 512 observations are subsampled: 512 taken evenly through the ranking,
///   each weighing A/512 (A = the group's size), so the weights keep their total against the prior
///   and the magic clip still sees n = A; pending configurations are always all kept, weighing 1.
/// - The generators differ (``SplitMix64`` per parameter; truncated normals by rejection, a
///   categorical draw from the mixture's collapsed probabilities): the same distributions, other draws.
/// - Observed values outside their space (not a number, out of range, not in the list) are ignored
///   for that parameter.
///
/// - Determinism: a pure function of its arguments, independent of the order of `observations` and
///   `pending`. Each parameter's generator is seeded from (seed, index, name) only; equal losses are
///   ranked by a 64-bit hash of the configuration (independent of dictionary order), then by its
///   canonical text (every parameter `name=type:value` in name order) — cheaper than the text alone
///   when many trials tie (failures); kernels are summed in value order.
/// - Complexity: O(n + t log t + P·(m log m + C·m)) time per suggestion for n observations, t of them
///   tied in loss with another, P parameters, C ``candidates`` and m ≤ 25 + 512 + pending kernels.
///   Suggestions per second with 10,000 observations: `crossrec-bench search` (docs/benchmarks.md).
public struct TPESampler: Sendable, Hashable {
    /// Observations needed before the estimators are used (Optuna's `n_startup_trials`).
    public var startupTrials: Int
    /// Values drawn from l(x) per parameter and suggestion (Optuna's `n_ei_candidates`).
    public var candidates: Int
    /// The start-up sampler; it also holds the spaces, conditions, seed and draw order.
    public let randomSearch: RandomSearch
    /// The model of each parameter of `randomSearch.drawOrder`, at the same position.
    let dimensions: [SearchDimension]

    /// Optuna's `prior_weight`.
    static let priorWeight = 1.0
    /// Largest below group (the cap of Optuna's `default_gamma`).
    static let belowLimit = 25
    /// Most observations of the above group evaluated per suggestion (pending ones come on top).
    static let aboveLimit = 512

    /// - Precondition: as ``RandomSearch/init(spaces:conditions:seed:)``, and `candidates >= 1`.
    public init(
        spaces: [String: ParameterSpace], conditions: [String: ParameterSpec.Condition] = [:], seed: UInt64,
        startupTrials: Int = 10, candidates: Int = 24
    ) {
        precondition(candidates >= 1, "TPESampler needs at least one candidate, got \(candidates)")
        self.startupTrials = startupTrials
        self.candidates = candidates
        let randomSearch = RandomSearch(spaces: spaces, conditions: conditions, seed: seed)
        self.randomSearch = randomSearch
        self.dimensions = randomSearch.drawOrder.compactMap { spaces[$0].map(SearchDimension.init) }
    }

    /// γ(n) = min(⌈0.1·n⌉, 25), Optuna's `default_gamma` (the same floating-point product).
    static func belowCount(observations count: Int) -> Int {
        min(Int((0.1 * Double(count)).rounded(.up)), belowLimit)
    }

    /// Suggestion number `index` (0-based, counting every suggestion of the search), given the
    /// finished observations and the pending (leased, unfinished) configurations.
    ///
    /// Pure: the same arguments give the same result, whatever the order of `observations` and
    /// `pending`, so a restarted coordinator that rebuilt the same sets continues identically.
    public func suggest(
        index: Int, observations: [SearchObservation], pending: [[String: ParameterValue]]
    ) -> [String: ParameterValue] {
        guard observations.count >= startupTrials else { return randomSearch.suggest(index: index) }
        let names = randomSearch.drawOrder
        let ranked = Self.ranked(observations)
        let belowCount = min(Self.belowCount(observations: observations.count), ranked.count)
        var below = ObservationColumns(parameterCount: names.count)
        for rank in 0..<belowCount {
            below.add(observations[ranked[rank]].parameters, weight: 1, names: names, dimensions: dimensions)
        }
        var above = ObservationColumns(parameterCount: names.count)
        let aboveCount = ranked.count - belowCount
        let kept = min(aboveCount, Self.aboveLimit)
        for slot in 0..<kept {
            let offset = kept == aboveCount ? slot : Int((Double(slot) + 0.5) * Double(aboveCount) / Double(kept))
            above.add(
                observations[ranked[belowCount + offset]].parameters, weight: Double(aboveCount) / Double(kept),
                names: names, dimensions: dimensions)
        }
        for configuration in pending { above.add(configuration, weight: 1, names: names, dimensions: dimensions) }

        var configuration: [String: ParameterValue] = [:]
        for (position, name) in names.enumerated() where randomSearch.isActive(name, in: configuration) {
            var generator = SearchStream.generator(
                seed: randomSearch.seed, index: index, parameter: name, purpose: .tpe)
            switch dimensions[position] {
            case .fixed(let value):
                configuration[name] = value
            case .categorical(let choices):
                let l = CategoricalParzenEstimator(below.categorical[position], choiceCount: choices.count)
                let g = CategoricalParzenEstimator(above.categorical[position], choiceCount: choices.count)
                configuration[name] = choices[bestCandidate(l, g, using: &generator)]
            case .numeric(let range):
                let l = ParzenEstimator(below.numeric[position], low: range.lowerBound, high: range.upperBound)
                let g = ParzenEstimator(above.numeric[position], low: range.lowerBound, high: range.upperBound)
                configuration[name] = bestCandidate(range, l, g, using: &generator)
            }
        }
        return configuration
    }

    /// The first of ``candidates`` choices drawn from l with the largest log l − log g.
    private func bestCandidate(
        _ l: CategoricalParzenEstimator, _ g: CategoricalParzenEstimator, using generator: inout SplitMix64
    ) -> Int {
        var best = (choice: 0, score: -Double.infinity)
        for candidate in 0..<candidates {
            let choice = l.sample(using: &generator)
            let score = log(l.probabilities[choice]) - log(g.probabilities[choice])
            if candidate == 0 || score > best.score { best = (choice, score) }
        }
        return best.choice
    }

    /// The first of ``candidates`` values drawn from l with the largest log l − log g, then rounded
    /// like `Sampling.draw`. Integers are rounded first and scored by the mass of their cell (as
    /// Optuna's int distributions); continuous draws are scored by density where drawn (as Optuna).
    private func bestCandidate(
        _ range: NumericRange, _ l: ParzenEstimator, _ g: ParzenEstimator, using generator: inout SplitMix64
    ) -> ParameterValue {
        var draws: [Double] = []
        var scores: [Double] = []
        var best = 0
        for candidate in 0..<candidates {
            var x = l.sample(using: &generator)
            var score: Double
            if range.isInteger {
                x = range.internalCell(of: x).center
                if let earlier = draws.firstIndex(of: x) {
                    score = scores[earlier]
                } else {
                    let cell = range.internalCell(of: x)
                    score = l.logMass(from: cell.low, to: cell.high) - g.logMass(from: cell.low, to: cell.high)
                }
            } else {
                score = l.logDensity(at: x) - g.logDensity(at: x)
            }
            if score.isNaN { score = -.infinity }
            draws.append(x)
            scores.append(score)
            if scores[candidate] > scores[best] { best = candidate }
        }
        return range.value(fromInternal: draws[best])
    }

    /// Indices of `observations` from the best loss to the worst (NaN as +∞, −0 as +0), equal losses
    /// by ``contentHash(_:)``, then ``canonicalText(_:)``: a total order of distinct configurations,
    /// whatever the input order.
    ///
    /// - Complexity: O(n) (a radix sort of the losses' order-preserving bit patterns), plus
    ///   O(t log t) hashing for the t observations tied with another.
    static func ranked(_ observations: [SearchObservation]) -> [Int] {
        let keys = observations.map { observation -> UInt64 in
            let loss = observation.loss.isNaN ? Double.infinity : observation.loss + 0  // -0 + 0 == +0
            let bits = loss.bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        var order = radixSorted(keys)

        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && keys[order[end]] == keys[order[start]] { end += 1 }
            if end - start > 1 {
                var run = order[start..<end].map { (hash: contentHash(observations[$0].parameters), index: $0) }
                run.sort { lhs, rhs in
                    if lhs.hash != rhs.hash { return lhs.hash < rhs.hash }
                    return canonicalText(observations[lhs.index].parameters)
                        < canonicalText(observations[rhs.index].parameters)
                }
                for (offset, member) in run.enumerated() { order[start + offset] = member.index }
            }
            start = end
        }
        return order
    }

    /// The positions of `keys` in ascending key order: an LSD radix sort on bytes over unsafe buffers,
    /// the 8 histograms counted in one pass, passes where every key has the same byte skipped.
    /// O(n) time and memory.
    static func radixSorted(_ keys: [UInt64]) -> [Int] {
        let count = keys.count
        var histograms = [Int](repeating: 0, count: 8 * 256)
        for key in keys {
            for byte in 0..<8 { histograms[byte * 256 + Int((key >> UInt64(8 * byte)) & 0xFF)] += 1 }
        }
        // Two halves each: the pass reads one half and writes the other.
        let keyBuffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * count)
        let indexBuffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * count)
        defer {
            keyBuffer.deallocate()
            indexBuffer.deallocate()
        }
        for position in 0..<count {
            keyBuffer[position] = keys[position]
            indexBuffer[position] = position
        }
        var source = 0
        var next = [Int](repeating: 0, count: 256)
        for byte in 0..<8 {
            let histogram = byte * 256..<(byte + 1) * 256
            if histograms[histogram].contains(count) { continue }  // one value: the pass keeps the order
            var total = 0
            for digit in 0..<256 {
                next[digit] = total
                total += histograms[byte * 256 + digit]
            }
            let target = count - source
            let shift = UInt64(8 * byte)
            for position in source..<(source + count) {
                let key = keyBuffer[position]
                let digit = Int((key >> shift) & 0xFF)
                keyBuffer[target + next[digit]] = key
                indexBuffer[target + next[digit]] = indexBuffer[position]
                next[digit] += 1
            }
            source = target
        }
        return Array(indexBuffer[source..<(source + count)])
    }

    /// A 64-bit hash of a configuration, fixed forever and independent of dictionary order: the
    /// wrapping sum over parameters of mix(FNV-1a(name) ⊕ hash(type, value)).
    static func contentHash(_ parameters: [String: ParameterValue]) -> UInt64 {
        var sum: UInt64 = 0
        for (name, value) in parameters {
            let valueHash: UInt64
            switch value {
            case .int(let int): valueHash = SearchStream.mix(UInt64(bitPattern: Int64(int)) ^ 0x01)
            case .double(let double): valueHash = SearchStream.mix(double.bitPattern ^ 0x02)
            case .string(let string): valueHash = SearchStream.mix(SearchStream.fnv1a(string) ^ 0x03)
            case .bool(let bool): valueHash = SearchStream.mix(bool ? 0x05 : 0x04)
            }
            sum &+= SearchStream.mix(SearchStream.fnv1a(name) ^ valueHash)
        }
        return sum
    }

    /// `name=type:value` for every parameter in name order, comma-separated.
    static func canonicalText(_ parameters: [String: ParameterValue]) -> String {
        parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.typeName):\($0.value)" }
            .joined(separator: ",")
    }
}

/// The generators of adaptive searches: one ``SplitMix64`` per (seed, suggestion, parameter, purpose),
/// so a suggestion is reproducible on its own and parameters do not share a stream.
enum SearchStream {
    enum Purpose: UInt64 {
        case random = 0x7261_6E64  // "rand"
        case tpe = 0x7470_6521  // "tpe!"
    }

    static func generator(seed: UInt64, index: Int, parameter: String, purpose: Purpose) -> SplitMix64 {
        var state = mix(seed ^ mix(UInt64(bitPattern: Int64(index))))
        state = mix(state ^ fnv1a(parameter))
        state = mix(state ^ purpose.rawValue)
        return SplitMix64(seed: state)
    }

    /// One SplitMix64 output step: a bijective 64-bit mixer.
    static func mix(_ value: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: value)
        return generator.next()
    }

    /// FNV-1a over the UTF-8 bytes: a hash fixed forever (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

/// A group's configurations column by column: for each searched parameter (by its position in the
/// draw order), the internal coordinates (numeric) or choice positions (categorical) of the
/// configurations holding a valid value for it, each with the weight of its configuration.
struct ObservationColumns {
    var numeric: [WeightedPoints<Double>]
    var categorical: [WeightedPoints<Int>]

    init(parameterCount: Int) {
        numeric = Array(repeating: WeightedPoints(), count: parameterCount)
        categorical = Array(repeating: WeightedPoints(), count: parameterCount)
    }

    /// O(parameters) dictionary look-ups.
    mutating func add(
        _ configuration: [String: ParameterValue], weight: Double, names: [String], dimensions: [SearchDimension]
    ) {
        for (position, name) in names.enumerated() {
            guard let value = configuration[name] else { continue }
            switch dimensions[position] {
            case .fixed:
                break
            case .categorical(let choices):
                if let choice = choices.firstIndex(of: value) { categorical[position].append(choice, weight: weight) }
            case .numeric(let range):
                if let x = range.internalValue(of: value) { numeric[position].append(x, weight: weight) }
            }
        }
    }
}

/// Points with weights, in parallel arrays.
struct WeightedPoints<Point: Sendable & Hashable> {
    var points: [Point] = []
    var weights: [Double] = []

    mutating func append(_ point: Point, weight: Double) {
        points.append(point)
        weights.append(weight)
    }
}

/// A ``ParameterSpace`` as the TPE models it.
enum SearchDimension: Sendable, Hashable {
    /// A single possible value (a fixed value, a list of one, an empty range).
    case fixed(ParameterValue)
    /// `choice` and explicit `values` lists, indexed by position.
    case categorical([ParameterValue])
    case numeric(NumericRange)

    init(_ space: ParameterSpace) {
        switch space {
        case .values(let values), .choice(let values):
            self = values.count == 1 ? .fixed(values[0]) : .categorical(values)
        case .uniform(let low, let high, let integer), .logUniform(let low, let high, let integer):
            var isLog = false
            if case .logUniform = space { isLog = true }
            let range = NumericRange(low: low, high: high, isLog: isLog, isInteger: integer)
            if range.low < range.high {
                self = .numeric(range)
            } else {
                self = .fixed(integer ? .int(Int(range.low)) : .double(low))
            }
        }
    }

    /// Programmer errors in a space, caught before any draw.
    static func checkValid(_ space: ParameterSpace, name: String) {
        switch space {
        case .values(let values), .choice(let values):
            precondition(!values.isEmpty, "'\(name)': \(space.kindName) needs at least one value")
        case .uniform(let low, let high, let integer):
            precondition(low <= high, "'\(name)': uniform needs low <= high, got [\(low), \(high)]")
            precondition(
                !integer || low.rounded(.up) <= high.rounded(.down), "'\(name)': no integer in [\(low), \(high)]")
        case .logUniform(let low, let high, let integer):
            precondition(0 < low && low <= high, "'\(name)': loguniform needs 0 < low <= high, got [\(low), \(high)]")
            precondition(
                !integer || low.rounded(.up) <= high.rounded(.down), "'\(name)': no integer in [\(low), \(high)]")
        }
    }
}

/// A numeric range and its internal coordinates: the value, or its log for log ranges; integer
/// ranges are widened by ½ on both sides (before the log), as Optuna's int distributions.
struct NumericRange: Sendable, Hashable {
    /// External bounds; for integers the smallest and largest integer inside the space.
    let low: Double
    let high: Double
    let isLog: Bool
    let isInteger: Bool
    /// Internal bounds, where the kernels are truncated.
    let lowerBound: Double
    let upperBound: Double

    init(low: Double, high: Double, isLog: Bool, isInteger: Bool) {
        self.low = isInteger ? low.rounded(.up) : low
        self.high = isInteger ? high.rounded(.down) : high
        self.isLog = isLog
        self.isInteger = isInteger
        let widening = isInteger ? 0.5 : 0
        lowerBound = isLog ? Foundation.log(self.low - widening) : self.low - widening
        upperBound = isLog ? Foundation.log(self.high + widening) : self.high + widening
    }

    /// The internal coordinate of an observed value, nil unless it is a number inside the range.
    func internalValue(of value: ParameterValue) -> Double? {
        guard let number = value.doubleValue, number >= low, number <= high else { return nil }
        return isLog ? Foundation.log(number) : number
    }

    /// The value a drawn internal coordinate stands for: the nearest integer, or the double rounded
    /// to `Sampling.significantDigits` and clamped into the range, as `Sampling.draw` does.
    func value(fromInternal x: Double) -> ParameterValue {
        let number = isLog ? exp(x) : x
        if isInteger { return .int(Int(min(max(number.rounded(), low), high))) }
        return .double(min(max(Sampling.roundSignificant(number, digits: Sampling.significantDigits), low), high))
    }

    /// For an integer range, the cell [k − ½, k + ½] of the integer k nearest to internal coordinate
    /// `x` (clamped into the range), in internal coordinates, with k's own coordinate as `center`.
    func internalCell(of x: Double) -> (low: Double, center: Double, high: Double) {
        let k = min(max((isLog ? exp(x) : x).rounded(), low), high)
        return isLog
            ? (Foundation.log(k - 0.5), Foundation.log(k), Foundation.log(k + 0.5)) : (k - 0.5, k, k + 0.5)
    }
}

/// A mixture of normals truncated to [low, high]: one kernel per point plus the prior kernel
/// (Optuna's univariate Parzen estimator: `consider_prior`, `consider_magic_clip`,
/// `consider_endpoints=False`), kernels in ascending order of (μ, weight).
///
/// - Complexity: O(n log n) to build, O(n) per density or mass, O(log n) per draw.
struct ParzenEstimator {
    let low: Double
    let high: Double
    private var mus: [Double] = []
    private var inverseSigmas: [Double] = []
    /// log(normalised weight) − log(mass of the kernel inside [low, high]).
    private var logWeights: [Double] = []
    /// logWeights − log σ − ½ log 2π: the constant part of each kernel's log density.
    private var logScales: [Double] = []
    /// Running sums of the normalised weights, for drawing a kernel.
    private var cumulativeWeights: [Double] = []

    /// - Parameter observed: internal coordinates inside [low, high] (any order) and their weights; the
    ///   weights' sum n stands for the number of points (a subsample weighs what it stands for).
    init(_ observed: WeightedPoints<Double>, low: Double, high: Double) {
        self.low = low
        self.high = high
        let order = observed.points.indices.sorted {
            (observed.points[$0], observed.weights[$0]) < (observed.points[$1], observed.weights[$1])
        }
        let points = order.map { observed.points[$0] }
        let weights = order.map { observed.weights[$0] }
        let represented = weights.reduce(0, +)
        let sigmas = Self.bandwidths(sorted: points, low: low, high: high, represented: represented)
        let total = represented + TPESampler.priorWeight
        for index in points.indices {
            appendKernel(mu: points[index], sigma: sigmas[index], weight: weights[index] / total)
        }
        appendKernel(mu: 0.5 * (low + high), sigma: high - low, weight: TPESampler.priorWeight / total)
    }

    private mutating func appendKernel(mu: Double, sigma: Double, weight: Double) {
        let logWeight = log(weight) - Self.logGaussMass((low - mu) / sigma, (high - mu) / sigma)
        mus.append(mu)
        inverseSigmas.append(1 / sigma)
        logWeights.append(logWeight)
        logScales.append(logWeight - log(sigma) - 0.5 * log(2 * Double.pi))
        cumulativeWeights.append((cumulativeWeights.last ?? 0) + weight)
    }

    /// σ per sorted point: the larger gap to its neighbours, the end points their inner gap (a lone
    /// point: its larger distance to an end of the range), clipped to
    /// [range / min(100, represented + 2), range].
    static func bandwidths(sorted: [Double], low: Double, high: Double, represented: Double) -> [Double] {
        let count = sorted.count
        guard count > 0 else { return [] }
        let range = high - low
        let minimum = range / min(100, represented + 2)
        var sigmas = [Double](repeating: 0, count: count)
        if count == 1 {
            sigmas[0] = max(sorted[0] - low, high - sorted[0])
        } else {
            sigmas[0] = sorted[1] - sorted[0]
            sigmas[count - 1] = sorted[count - 1] - sorted[count - 2]
            for index in 1..<(count - 1) {
                sigmas[index] = max(sorted[index] - sorted[index - 1], sorted[index + 1] - sorted[index])
            }
        }
        return sigmas.map { min(max($0, minimum), range) }
    }

    /// One internal coordinate: a kernel by weight, then its truncated normal by rejection (a try lands
    /// inside with probability ≥ 0.34, since μ ∈ [low, high] and σ ≤ high − low).
    func sample(using generator: inout SplitMix64) -> Double {
        let u = generator.nextUnit() * (cumulativeWeights.last ?? 1)
        var lower = 0
        var upper = cumulativeWeights.count - 1
        while lower < upper {
            let middle = (lower + upper) / 2
            if cumulativeWeights[middle] > u { upper = middle } else { lower = middle + 1 }
        }
        let mu = mus[lower]
        let sigma = 1 / inverseSigmas[lower]
        for _ in 0..<1000 {
            let radius = (-2 * log(1 - generator.nextUnit())).squareRoot()
            let x = mu + sigma * radius * cos(2 * Double.pi * generator.nextUnit())
            if x >= low && x <= high { return x }
        }
        return min(max(mu, low), high)  // 1000 misses: probability below 1e-180
    }

    /// log of the mixture's density at internal coordinate `x`. Kernels more than e⁵⁰ below the
    /// largest are left out of the sum (below a double's precision, even all of them together).
    func logDensity(at x: Double) -> Double {
        var largest = -Double.infinity
        for kernel in mus.indices {
            let z = (x - mus[kernel]) * inverseSigmas[kernel]
            largest = max(largest, logScales[kernel] - 0.5 * z * z)
        }
        var sum = LogSumExp()
        for kernel in mus.indices {
            let z = (x - mus[kernel]) * inverseSigmas[kernel]
            let term = logScales[kernel] - 0.5 * z * z
            if term > largest - Self.negligible { sum.add(term) }
        }
        return sum.value
    }

    /// log of the mixture's probability of the internal interval [a, b]. A kernel is left out when an
    /// upper bound of its term (the width times its largest density on [a, b]) is more than e⁵⁰ below
    /// a term already summed.
    func logMass(from a: Double, to b: Double) -> Double {
        var sum = LogSumExp()
        let logWidth = log(b - a)
        for kernel in mus.indices {
            let mu = mus[kernel]
            let inverse = inverseSigmas[kernel]
            let distance = mu < a ? (a - mu) * inverse : (mu > b ? (mu - b) * inverse : 0)
            let bound = logScales[kernel] + logWidth - 0.5 * distance * distance
            if bound < sum.maximum - Self.negligible { continue }
            sum.add(logWeights[kernel] + Self.logGaussMass((a - mu) * inverse, (b - mu) * inverse))
        }
        return sum.value
    }

    /// Terms this far (in log) below the largest are dropped: 600 of them add less than 1e-19.
    static let negligible = 50.0

    /// log(Φ(b) − Φ(a)) for a ≤ b, the difference taken on the side away from the bulk so that tails
    /// do not cancel to zero.
    static func logGaussMass(_ a: Double, _ b: Double) -> Double {
        let scale = 1 / 2.0.squareRoot()
        if a >= 0 { return log(0.5 * (erfc(a * scale) - erfc(b * scale))) }
        if b <= 0 { return log(0.5 * (erfc(-b * scale) - erfc(-a * scale))) }
        return log(1 - 0.5 * erfc(-a * scale) - 0.5 * erfc(b * scale))
    }
}

/// Optuna's categorical Parzen estimator reduced to its mixture's probabilities: with C choices,
/// points of total weight n, W_c the weight of the points at choice c and p = 1/(n + 1),
/// l(c) = ((n·p + W_c) / (C·p + 1) + 1/C) / (n + 1).
struct CategoricalParzenEstimator {
    let probabilities: [Double]

    init(_ observed: WeightedPoints<Int>, choiceCount: Int) {
        var counts = [Double](repeating: 0, count: choiceCount)
        for (choice, weight) in zip(observed.points, observed.weights) { counts[choice] += weight }
        let represented = counts.reduce(0, +)
        let pseudoCount = TPESampler.priorWeight / (represented + 1)
        let rowTotal = Double(choiceCount) * pseudoCount + 1
        let total = represented + TPESampler.priorWeight
        probabilities = counts.map { count in
            ((represented * pseudoCount + count) / rowTotal + TPESampler.priorWeight / Double(choiceCount)) / total
        }
    }

    /// A choice position drawn with ``probabilities``.
    func sample(using generator: inout SplitMix64) -> Int {
        let u = generator.nextUnit()
        var cumulative = 0.0
        for (choice, probability) in probabilities.enumerated() {
            cumulative += probability
            if u < cumulative { return choice }
        }
        return probabilities.count - 1
    }
}

/// log Σ exp(termᵢ), accumulated in one pass with a running maximum.
struct LogSumExp {
    private(set) var maximum = -Double.infinity
    private var scaledSum = 0.0

    mutating func add(_ term: Double) {
        guard term > -.infinity else { return }
        if term <= maximum {
            scaledSum += exp(term - maximum)
        } else {
            scaledSum = scaledSum * exp(maximum - term) + 1
            maximum = term
        }
    }

    var value: Double { maximum == -.infinity ? -.infinity : maximum + log(scaledSum) }
}
