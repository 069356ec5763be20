import Foundation
public import Sweep
public import SweepStore
import SweepWire

// Registering the sweep in the store and building the core's snapshot from the store and the
// sweep file; the leaderboard from the store.

extension CoordinatorService {
    /// What `run` starts from.
    struct Loaded {
        var snapshot: SweepSnapshot
        var tracker: StatusTracker
        var sweep: SweepID
        var total: Int
    }

    /// Registers the sweep's trials (new ones only) and builds the core's snapshot: the
    /// expansion's trials in order, each with its state from the store.
    func load(into store: SweepStore) throws -> Loaded {
        let preparing = ContinuousClock.now
        var expansion = takeExpansion()
        let expanded = ContinuousClock.now
        let residentAfterExpansion = ResidentMemory.bytes()
        let specJSON = String(decoding: try JSONEncoder.sorted.encode(spec), as: UTF8.self)
        let registration = try store.registerSweep(
            name: spec.name, specJSON: specJSON, datasetFingerprint: spec.datasetFingerprint,
            codeVersion: RuntimeVersion.current, trials: expansion.trials.map { (id: $0.id, config: $0.config) })
        if options.verbose {
            log.log(
                .info,
                "expanded \(expansion.trials.count) trials in \(expanded - preparing) (resident "
                    + "\(ResidentMemory.mebibytes(residentAfterExpansion))), registered them in "
                    + "\(ContinuousClock.now - expanded) (\(registration.addedTrials) new, resident "
                    + "\(ResidentMemory.mebibytes(ResidentMemory.bytes())))")
        }
        // Only trials with a history: the expansion already describes the never-leased ones.
        // An adaptive search's trials are the store's (its suggestions so far), not the expansion's.
        let stored = try store.snapshot(sweep: registration.sweep, startedOnly: !spec.search.isAdaptive)
        let datasetJSON = String(decoding: try JSONEncoder.sorted.encode(spec.dataset), as: UTF8.self)
        let total = spec.plannedTrials ?? expansion.trials.count
        var tracker = StatusTracker(total: total, metric: spec.metric)
        if !stored.trials.isEmpty {
            let ids = spec.search.isAdaptive ? Set(stored.trials.map(\.id)) : Set(expansion.ids)
            try tracker.seed(from: store, sweep: registration.sweep, ids: ids)
            tracker.stopped = try store.counts(sweep: registration.sweep).stopped
        }
        // From here on the core's records are the only copy of the trials: the snapshot is a
        // temporary the core adopts, and the expansion is released (the leaderboard looks
        // configurations up in the core).
        var snapshot: SweepSnapshot
        if spec.search.isAdaptive {
            snapshot = stored
            snapshot.dataset = datasetJSON
            snapshot.sweepID = spec.name
            for index in snapshot.trials.indices { snapshot.trials[index].timeout = spec.timeout }
        } else {
            snapshot = Self.coreSnapshot(
                stored, expansion: expansion, dataset: datasetJSON, timeout: spec.timeout, sweepName: spec.name)
        }
        if spec.search.isAdaptive || spec.search.stopping != nil {
            snapshot.search = try store.searchHistory(sweep: registration.sweep, objective: spec.objective)
        }
        expansion = SweepExpansion(trials: [], duplicatesRemoved: 0)
        return Loaded(snapshot: snapshot, tracker: tracker, sweep: registration.sweep, total: total)
    }

    /// The expansion `trialCount()` cached, or a fresh one; the cache is released.
    private func takeExpansion() -> SweepExpansion {
        if cachedExpansion == nil { cachedExpansion = spec.expand() }
        defer { cachedExpansion = nil }
        return cachedExpansion!
    }

    /// The core's snapshot: the expansion's trials in order (trials registered by an earlier
    /// version of the sweep file but absent from this one are left out), each with its record
    /// from the store when it has one, the sweep's timeout and data set descriptor.
    static func coreSnapshot(
        _ stored: SweepSnapshot, expansion: SweepExpansion, dataset: String, timeout: Duration, sweepName: String
    ) -> SweepSnapshot {
        var byID: [TrialID: TrialRecord] = Dictionary(minimumCapacity: stored.trials.count)
        for trial in stored.trials { byID[trial.id] = trial }
        let records = expansion.trials.map { trial -> TrialRecord in
            var record = byID[trial.id] ?? TrialRecord(id: trial.id, config: trial.config)
            record.config = trial.config
            record.timeout = timeout
            return record
        }
        return SweepSnapshot(
            sweepID: sweepName, dataset: dataset, trials: records, lastLeaseEpoch: stored.lastLeaseEpoch,
            workerPrincipals: stored.workerPrincipals)
    }

    /// The leaderboard of the trials of `expansion` recorded in `store` (finished and failed),
    /// streamed from the store: trials registered by an earlier version of the sweep file but
    /// absent from this one are left out, and configurations come from the expansion.
    public static func leaderboard(store: SweepStore, sweep: SweepID, expansion: SweepExpansion, metric: MetricSpec) throws -> Leaderboard {
        var configs: [TrialID: TrialConfig] = Dictionary(minimumCapacity: expansion.trials.count)
        for trial in expansion.trials { configs[trial.id] = trial.config }
        return try leaderboard(store: store, sweep: sweep, metric: metric) { configs[$0] }
    }

    /// The sweep file and leaderboard of a stored sweep, read from the store alone (also while it
    /// runs): `crossrec leaderboard` and the dashboard both show this one. An adaptive search's
    /// trials are its suggestions so far, which only the store knows; a grid's are its expansion.
    public static func storedLeaderboard(store: SweepStore, record: SweepRecord) throws -> (spec: SweepSpec, leaderboard: Leaderboard) {
        let spec: SweepSpec
        do {
            spec = try JSONDecoder().decode(SweepSpec.self, from: Data(record.specJSON.utf8))
        } catch {
            throw RuntimeError("\(store.path): sweep '\(record.name)': its stored sweep file cannot be read (\(error)); was it written by a newer crossrec?")
        }
        let expansion =
            spec.search.isAdaptive
            ? SweepExpansion(
                trials: try store.snapshot(sweep: record.id).trials.map { SweepTrial(id: $0.id, config: $0.config) },
                duplicatesRemoved: 0)
            : spec.expand()
        return (spec, try leaderboard(store: store, sweep: record.id, expansion: expansion, metric: spec.metric))
    }

    /// The leaderboard of the trials `config` knows (nil leaves a trial out), streamed from the store.
    static func leaderboard(
        store: SweepStore, sweep: SweepID, metric: MetricSpec, config: (TrialID) -> TrialConfig?
    ) throws -> Leaderboard {
        var board = Leaderboard.Accumulator(metric: metric)
        try store.forEachOutcome(sweep: sweep) { id, outcome in
            guard let config = config(id) else { return }
            switch outcome {
            case .success(let metrics): board.add(config, metrics)
            case .failure(let failure): board.add(config, failure: failure)
            }
        }
        return board.leaderboard
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
