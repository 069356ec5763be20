import ParameterSpecs
public import Sweep

/// An adaptive search (random or TPE) over a sweep's model entries, as a value beside
/// ``CoordinatorCore``: it is told results (``observe(_:loss:)``, ``fail(_:)``) and asked for
/// configurations (``suggest(models:known:)``). No I/O, no clock.
///
/// Each model entry of the sweep file is searched on its own, with `trials` configurations as
/// its budget and its own sampler (seeded by the search's seed and the model's name). A
/// configuration runs once per sweep seed; every seed's trial is an observation of it.
/// The searched parameters are an entry's random spaces and its lists of more than one value
/// (searched as categories); single values, and the model's defaults, stay fixed.
///
/// Determinism: suggestion `i` of an entry is a function of the seed, `i`, the set of
/// observations and the set of pending configurations (``TPESampler`` sorts them), so a
/// coordinator restarted from the store continues with what it would have suggested.
/// A suggestion whose trial already exists (the same configuration suggested again, so the same
/// content-hash id) is recognised: it is not run twice and does not use budget; the search asks
/// again with the next suggestion number, at most `maximumRepeats` times in a row, after which
/// the entry's space counts as exhausted.
///
/// Complexity: a suggestion costs the sampler's (see ``TPESampler``) plus O(pending).
public struct SearchDriver: Sendable {
    public static let maximumRepeats = 64

    struct Entry: Sendable {
        var sweep: ModelSweep
        var fixed: [String: ParameterValue]
        var random: RandomSearch
        var tpe: TPESampler?
        /// The next suggestion number.
        var nextIndex = 0
        /// Distinct configurations suggested so far (the budget counts these).
        var suggested = 0
        var exhausted = false
        var observations: [TrialID: SearchObservation] = [:]
        var pending: [TrialID: [String: ParameterValue]] = [:]
        var searchedNames: Set<String>
    }

    public let settings: SearchSettings
    public let minimize: Bool
    let seeds: [UInt64]
    let datasetFingerprint: String
    var entries: [String: Entry] = [:]
    /// Model entries in file order (suggestions are taken round-robin over them).
    let order: [String]
    var turn = 0

    /// A driver for `spec` (whose search must be adaptive); `minimize` from the metric's direction.
    public init(spec: SweepSpec, minimize: Bool) {
        precondition(spec.search.isAdaptive, "SearchDriver needs search random or tpe, got \(spec.search.method)")
        settings = spec.search
        self.minimize = minimize
        seeds = spec.seeds
        datasetFingerprint = spec.datasetFingerprint
        order = spec.models.map(\.model)
        for sweep in spec.models {
            var searched: [String: ParameterSpace] = [:]
            var fixed = sweep.defaults
            for (name, space) in sweep.spaces {
                switch space {
                case .values(let values) where values.count == 1: fixed[name] = values[0]
                case .values(let values): searched[name] = .choice(values)
                default: searched[name] = space
                }
            }
            let conditions = sweep.conditions.filter { searched[$0.key] != nil }
            let seed = Self.entrySeed(spec.search.seed, model: sweep.model)
            let random = RandomSearch(spaces: searched, conditions: conditions, seed: seed)
            let tpe =
                spec.search.method == .tpe
                ? TPESampler(spaces: searched, conditions: conditions, seed: seed, startupTrials: spec.search.startup)
                : nil
            entries[sweep.model] = Entry(
                sweep: sweep, fixed: fixed, random: random, tpe: tpe, searchedNames: Set(searched.keys))
        }
    }

    /// The search seed mixed with the model's name (FNV-1a), so two entries draw differently.
    static func entrySeed(_ seed: UInt64, model: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in model.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Configurations still to suggest, over all entries.
    public var remaining: Int {
        entries.values.reduce(0) { $0 + ($1.exhausted ? 0 : max(0, (settings.trials ?? 0) - $1.suggested)) }
    }

    /// Whether `model`'s entry can still suggest.
    public func hasBudget(model: String) -> Bool {
        guard let entry = entries[model] else { return false }
        return !entry.exhausted && entry.suggested < (settings.trials ?? 0)
    }

    // MARK: Restoring

    /// Takes back a suggested trial from the store: its suggestion number, and its outcome so far
    /// (a loss when it finished or was stopped with an objective value, `failed` when it failed).
    /// Call for every suggested trial, in any order.
    public mutating func restore(_ record: TrialRecord, index: Int, objectiveValue: Double?) {
        let model = record.config.model
        // Taken out and put back (not copied): the entry's dictionaries stay uniquely referenced,
        // so mutating them does not copy them (a copy per call made a sweep quadratic).
        guard var entry = entries.removeValue(forKey: model) else { return }
        entry.nextIndex = max(entry.nextIndex, index + 1)
        let parameters = Self.searched(record.config.parameters, entry.searchedNames)
        if record.config.seed == seeds.first ?? record.config.seed { entry.suggested += 1 }
        switch record.state {
        case .finished, .stopped:
            if let value = objectiveValue, entry.tpe != nil {
                entry.observations[record.id] = SearchObservation(parameters: parameters, loss: loss(value))
            }
        case .pending, .running:
            entry.pending[record.id] = parameters
        case .failed:
            break
        }
        entries[model] = entry
    }

    // MARK: Observing

    /// Trial `id` of `model` finished (or was stopped) with objective `value`.
    public mutating func observe(_ id: TrialID, model: String, value: Double?) {
        guard let parameters = entries[model]?.pending.removeValue(forKey: id) else { return }
        // Random search reads no results: only TPE keeps them.
        if let value, entries[model]!.tpe != nil { entries[model]!.observations[id] = SearchObservation(parameters: parameters, loss: loss(value)) }
    }

    /// Trial `id` of `model` failed for good: it is no longer pending and is not an observation
    /// (as Optuna's TPE ignores failed trials).
    public mutating func fail(_ id: TrialID, model: String) {
        entries[model]?.pending[id] = nil
    }

    func loss(_ value: Double) -> Double {
        guard value.isFinite else { return .infinity }
        return minimize ? value : -value
    }

    static func searched(_ parameters: [String: ParameterValue], _ names: Set<String>) -> [String: ParameterValue] {
        parameters.filter { names.contains($0.key) }
    }

    // MARK: Suggesting

    /// One suggestion for one of `models` (taking the entries in turn), as its trials (one per
    /// seed, all new), with its suggestion number; nil when none of `models` has budget left.
    /// `known` tells which trial ids the sweep already has.
    public mutating func suggest(models: Set<String>, known: (TrialID) -> Bool) -> (trials: [SweepTrial], index: Int)? {
        for step in 0..<order.count {
            let model = order[(turn + step) % order.count]
            guard models.contains(model), hasBudget(model: model) else { continue }
            turn = (turn + step + 1) % order.count
            if let suggestion = suggest(model: model, known: known) { return suggestion }
        }
        return nil
    }

    mutating func suggest(model: String, known: (TrialID) -> Bool) -> (trials: [SweepTrial], index: Int)? {
        guard var entry = entries.removeValue(forKey: model) else { return nil }  // see `restore`
        defer { entries[model] = entry }
        for _ in 0..<Self.maximumRepeats {
            let index = entry.nextIndex
            entry.nextIndex += 1
            let suggested: [String: ParameterValue]
            if let tpe = entry.tpe {
                // The sampler sorts what it is given: no need to order the dictionaries here.
                suggested = tpe.suggest(
                    index: index, observations: Array(entry.observations.values), pending: Array(entry.pending.values))
            } else {
                suggested = entry.random.suggest(index: index)
            }
            let parameters = entry.sweep.removingInactive(entry.fixed.merging(suggested) { _, new in new })
            let trials = seeds.map { seed in
                let config = TrialConfig(model: model, parameters: parameters, seed: seed)
                return SweepTrial(id: TrialID(config: config, datasetFingerprint: datasetFingerprint), config: config)
            }
            guard !trials.contains(where: { known($0.id) }) else { continue }
            entry.suggested += 1
            let searched = Self.searched(parameters, entry.searchedNames)
            for trial in trials { entry.pending[trial.id] = searched }
            return (trials, index)
        }
        entry.exhausted = true
        return nil
    }
}
