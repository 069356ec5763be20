import Foundation
import GRDB
public import Sweep
public import SweepWire

extension SweepStore {
    /// Every sweep in the store, oldest first.
    public func sweeps() throws -> [SweepRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "\(Self.sweepColumns) ORDER BY id").map(Self.sweepRecord)
        }
    }

    /// The sweep registered under `name`, if any.
    public func sweep(named name: String) throws -> SweepRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "\(Self.sweepColumns) WHERE name = ?", arguments: [name]).map(Self.sweepRecord)
        }
    }

    /// Everything a restarted coordinator needs (its `storeLoaded`), read in one transaction: every
    /// trial of the sweep in sweep order with its state (a running trial with its current lease
    /// and worker, a finished one with the attempt and worker that counted, a failed one with its
    /// last failure), attempts used and infrastructure failures (the retry budget spent), the
    /// lease-epoch high-water mark, and the principals of the workers that hold running trials.
    /// `sweepID` is the sweep's name; `dataset` is empty (the caller knows its data set) and
    /// `timeout` is nil (it comes from the sweep file).
    ///
    /// With `startedOnly`, trials still pending and never leased are left out: a coordinator
    /// that has the sweep's expansion knows them already, and a fresh 100k-trial sweep then
    /// costs no snapshot memory at all.
    /// - Complexity: O(trials of the sweep), two queries.
    public func snapshot(sweep: SweepID, startedOnly: Bool = false) throws -> SweepSnapshot {
        try database.read { db in
            let record = try Self.requireSweep(db, sweep)
            let filter = startedOnly ? "AND (t.state <> 'pending' OR t.attempts > 0)" : ""
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, t.config_json, t.state, t.attempts, t.last_lease_epoch, t.worker, t.error,
                           t.failure_kind, t.infrastructure_failures, r.attempt, r.worker,
                           st.attempt, st.worker, st.epoch
                    FROM sweep_trials m
                    JOIN trials t ON t.seq = m.trial_seq
                    LEFT JOIN results r ON r.trial_seq = t.seq
                    LEFT JOIN stops st ON st.trial_seq = t.seq
                    WHERE m.sweep_id = ? \(filter)
                    ORDER BY m.position
                    """,
                arguments: [sweep.rawValue])
            var trials: [TrialRecord] = []
            var holders: Set<String> = []
            while let row = try rows.next() {
                let id = TrialID(rawValue: row[0])
                let config = try coding.decode(TrialConfig.self, from: row[1], table: "trials", key: id.rawValue)
                let stateText: String = row[2]
                let attempts: Int = row[3]
                let epoch: Int64? = row[4]
                let worker: String? = row[5]
                let state: TrialState
                switch stateText {
                case "pending":
                    state = .pending
                case "running":
                    guard let epoch, let worker else {
                        throw SweepStoreError.corruptRow(
                            table: "trials", key: id.rawValue, reason: "running without a lease epoch or worker")
                    }
                    state = .running(
                        LeaseTicket(trial: id, attempt: attempts, epoch: LeaseEpoch(UInt64(epoch))),
                        worker: WorkerID(worker))
                    holders.insert(worker)
                case "finished" where (row[13] as Int?) != nil:
                    state = .stopped(attempt: row[11], worker: WorkerID(row[12] as String), epoch: row[13])
                case "finished":
                    guard let attempt: Int = row[9], let resultWorker: String = row[10] else {
                        throw SweepStoreError.corruptRow(table: "trials", key: id.rawValue, reason: "finished without a result")
                    }
                    state = .finished(attempt: attempt, worker: WorkerID(resultWorker))
                case "failed":
                    let kind = (row[7] as String?).flatMap(FailureKind.init(rawValue:)) ?? .infrastructure
                    state = .failed(
                        attempt: attempts, failure: TrialFailure(kind: kind, message: (row[6] as String?) ?? "failed"))
                default:
                    throw SweepStoreError.corruptRow(table: "trials", key: id.rawValue, reason: "state '\(stateText)'")
                }
                trials.append(
                    TrialRecord(
                        id: id, config: config, state: state, attemptsUsed: attempts, infrastructureFailures: row[8]))
            }
            var principals: [WorkerID: String] = [:]
            if !holders.isEmpty {
                for row in try Row.fetchAll(db, sql: "SELECT name, principal FROM workers") where holders.contains(row[0]) {
                    principals[WorkerID(row[0] as String)] = row[1]
                }
            }
            return SweepSnapshot(
                sweepID: record.name, dataset: "", trials: trials,
                lastLeaseEpoch: LeaseEpoch(UInt64(try Self.leaseEpochHighWater(db))), workerPrincipals: principals)
        }
    }

    /// The final outcome of each finished or failed trial of a sweep, streamed in sweep order
    /// without building a snapshot: the counted metrics (values only) of a finished trial, the
    /// last failure of a failed one. Configurations are not decoded — callers that have the
    /// sweep's expansion look them up by id — so a leaderboard of 100k trials costs one pass.
    /// - Complexity: O(trials of the sweep) time, O(1) memory beyond `body`'s.
    public func forEachOutcome(
        sweep: SweepID, _ body: (TrialID, Result<TrialMetrics, TrialFailure>) throws -> Void
    ) throws {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, t.state, t.error, t.failure_kind, r.metrics_json
                    FROM sweep_trials m
                    JOIN trials t ON t.seq = m.trial_seq
                    LEFT JOIN results r ON r.trial_seq = t.seq
                    WHERE m.sweep_id = ? AND t.state IN ('finished', 'failed')
                    ORDER BY m.position
                    """,
                arguments: [sweep.rawValue])
            while let row = try rows.next() {
                let id = TrialID(rawValue: row[0])
                let state: String = row[1]
                if state == "finished" {
                    guard let json: String = row[4] else { continue }
                    let values = try coding.decode([String: Double].self, from: json, table: "results", key: id.rawValue)
                    try body(id, .success(TrialMetrics(values: values)))
                } else if let message: String = row[2] {
                    let kind = (row[3] as String?).flatMap(FailureKind.init(rawValue:)) ?? .infrastructure
                    try body(id, .failure(TrialFailure(kind: kind, message: message)))
                }
            }
        }
    }

    /// The counted results of a sweep's finished trials, in sweep order, for leaderboards.
    public func results(sweep: SweepID) throws -> [StoredResult] {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, t.config_json, \(Self.resultColumns)
                    FROM sweep_trials m
                    JOIN trials t ON t.seq = m.trial_seq
                    JOIN results r ON r.trial_seq = t.seq
                    WHERE m.sweep_id = ?
                    ORDER BY m.position
                    """,
                arguments: [sweep.rawValue])
            var results: [StoredResult] = []
            while let row = try rows.next() {
                let id = TrialID(rawValue: row[0])
                let config = try coding.decode(TrialConfig.self, from: row[1], table: "trials", key: id.rawValue)
                if let result = try storedResult(row, at: 2, trial: id, config: config) { results.append(result) }
            }
            return results
        }
    }

    /// How many of the sweep's trials are in each state, in one consistent read.
    /// - Complexity: O(trials of the sweep) over indexes; meant for status lines, not per trial.
    public func counts(sweep: SweepID) throws -> TrialCounts {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            var counts = TrialCounts()
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.state, count(*) FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    WHERE m.sweep_id = ? GROUP BY t.state
                    """,
                arguments: [sweep.rawValue])
            while let row = try rows.next() {
                let stateText: String = row[0]
                guard counts.set(row[1], stateNamed: stateText) else {
                    throw SweepStoreError.corruptRow(table: "trials", key: "*", reason: "state '\(stateText)'")
                }
            }
            // Stopped trials are stored as finished with a `stops` row (see the v4 migration).
            counts.stopped =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM stops st JOIN sweep_trials m ON m.trial_seq = st.trial_seq WHERE m.sweep_id = ?",
                    arguments: [sweep.rawValue]) ?? 0
            counts.finished -= counts.stopped
            return counts
        }
    }

    /// Every lease of a trial, oldest first.
    public func attempts(trial: TrialID) throws -> [StoredAttempt] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT attempt, lease_epoch, worker, host, started_at, ended_at, outcome, error
                    FROM attempts WHERE trial_seq = (SELECT seq FROM trials WHERE id = ?) ORDER BY lease_epoch
                    """,
                arguments: [trial.rawValue]
            ).map { row in
                let epoch: Int64 = row[1]
                let outcome = (row[6] as String?).flatMap(AttemptOutcome.init(rawValue:))
                return StoredAttempt(
                    trial: trial, attempt: row[0], leaseEpoch: UInt64(epoch), worker: row[2], host: row[3],
                    startedAt: row[4], endedAt: row[5], outcome: outcome, error: row[7])
            }
        }
    }

    /// The results that arrived for the sweep's trials after they already had one, oldest first.
    public func duplicates(sweep: SweepID) throws -> [StoredDuplicate] {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT d.trial_id, d.attempt, d.lease_epoch, d.worker, d.host, d.metrics_json, d.timings_json,
                           d.recorded_at
                    FROM duplicates d JOIN sweep_trials m ON m.trial_seq = d.trial_seq AND m.sweep_id = ?
                    ORDER BY d.id
                    """,
                arguments: [sweep.rawValue]
            ).map { row in
                let trial: String = row[0]
                let epoch: Int64? = row[2]
                let metrics = try (row[5] as String?).map {
                    try coding.metrics(values: $0, timings: row[6], table: "duplicates", key: trial)
                }
                return StoredDuplicate(
                    trial: TrialID(rawValue: trial), attempt: row[1], leaseEpoch: epoch.map { UInt64($0) },
                    worker: row[3], host: row[4], metrics: metrics, recordedAt: row[7])
            }
        }
    }

    /// The last `limit` events, oldest first; with `after`, the first `limit` events whose
    /// `seq` is greater (for following the log).
    public func events(limit: Int, after: Int64? = nil) throws -> [StoreEvent] {
        try database.read { db in
            let rows: [Row]
            if let after {
                rows = try Row.fetchAll(
                    db, sql: "SELECT seq, at, kind, text FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                    arguments: [after, limit])
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM (SELECT seq, at, kind, text FROM events ORDER BY seq DESC LIMIT ?)
                        ORDER BY seq
                        """,
                    arguments: [limit])
            }
            return rows.map { StoreEvent(seq: $0[0], at: $0[1], kind: $0[2], text: $0[3]) }
        }
    }

    /// The highest lease epoch ever issued or recorded (0 if none).
    public func leaseEpochHighWater() throws -> UInt64 {
        try database.read { UInt64(try Self.leaseEpochHighWater($0)) }
    }

    // MARK: - Row decoding

    private static let sweepColumns =
        "SELECT id, name, spec_json, dataset_fingerprint, code_version, created_at FROM sweeps"

    /// `results` columns, nullable under a LEFT JOIN; decoded by `storedResult(_:at:trial:config:)`.
    private static let resultColumns = """
        r.attempt, r.lease_epoch, r.worker, r.host, r.code_version, r.metrics_json, r.timings_json, r.recorded_at
        """

    private static func sweepRecord(_ row: Row) -> SweepRecord {
        SweepRecord(
            id: SweepID(rawValue: row[0]), name: row[1], specJSON: row[2], datasetFingerprint: row[3],
            codeVersion: row[4], createdAt: row[5])
    }

    static func requireSweep(_ db: Database, _ sweep: SweepID) throws -> SweepRecord {
        guard let row = try Row.fetchOne(db, sql: "\(sweepColumns) WHERE id = ?", arguments: [sweep.rawValue]) else {
            throw SweepStoreError.unknownSweep(sweep)
        }
        return sweepRecord(row)
    }

    private static func leaseEpochHighWater(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lease_epoch'") ?? 0
    }

    /// Decodes `resultColumns` starting at column `index`; `nil` when the trial has no result.
    private func storedResult(_ row: Row, at index: Int, trial: TrialID, config: TrialConfig) throws -> StoredResult? {
        guard let attempt: Int = row[index] else { return nil }
        let epoch: Int64? = row[index + 1]
        return StoredResult(
            trial: trial, config: config,
            metrics: try coding.metrics(
                values: row[index + 5], timings: row[index + 6], table: "results", key: trial.rawValue),
            attempt: attempt, leaseEpoch: epoch.map { UInt64($0) }, worker: row[index + 2],
            host: row[index + 3], codeVersion: row[index + 4], recordedAt: row[index + 7])
    }
}

/// A trial the early-stopping rule stopped, as the store keeps it.
public struct StoredStop: Sendable, Hashable {
    public var trial: TrialID
    public var config: TrialConfig
    public var attempt: Int
    public var worker: String
    /// The epoch it was stopped after (an ASHA rung, or the median rule's epoch).
    public var epoch: Int
    /// Its progress figures at that epoch (validation and training, never test).
    public var values: [String: Double]
    public var reason: String
}

extension SweepStore {
    /// What a restarted coordinator's search and stopping rule need (see `SearchHistory`): each
    /// suggested trial's number, the `objective` value of every finished trial (its result) and
    /// stopped trial (its progress at the stop), and every progress report's `objective` value in
    /// the order they were stored.
    /// - Complexity: O(suggestions + results + stops + progress reports of the sweep).
    /// Without `progress`, the progress history is left empty (a report that reads the learning
    /// curves anyway need not decode every progress row twice).
    public func searchHistory(sweep: SweepID, objective: String, progress includesProgress: Bool = true) throws -> SearchHistory {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            var history = SearchHistory(objective: objective)
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, s.idx FROM suggestions s JOIN trials t ON t.seq = s.trial_seq
                    JOIN sweep_trials m ON m.trial_seq = s.trial_seq AND m.sweep_id = ?
                    WHERE s.sweep_id = ?
                    """,
                arguments: [sweep.rawValue, sweep.rawValue])
            {
                history.suggestionIndex[TrialID(rawValue: row[0])] = row[1]
            }
            let values = { (json: String, table: String, key: String) throws -> Double? in
                try self.coding.decode([String: Double].self, from: json, table: table, key: key)[objective]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, r.metrics_json FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    JOIN results r ON r.trial_seq = t.seq WHERE m.sweep_id = ?
                    UNION ALL
                    SELECT t.id, st.values_json FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    JOIN stops st ON st.trial_seq = t.seq WHERE m.sweep_id = ?
                    """,
                arguments: [sweep.rawValue, sweep.rawValue])
            {
                let id = TrialID(rawValue: row[0])
                if let value = try values(row[1], "results", id.rawValue) { history.objectiveValues[id] = value }
            }
            guard includesProgress else { return history }
            let progress = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, p.epoch, p.values_json FROM progress p
                    JOIN sweep_trials m ON m.trial_seq = p.trial_seq AND m.sweep_id = ?
                    JOIN trials t ON t.seq = p.trial_seq
                    ORDER BY p.id
                    """,
                arguments: [sweep.rawValue])
            while let row = try progress.next() {
                let id = TrialID(rawValue: row[0])
                guard let value = try values(row[2], "progress", id.rawValue) else { continue }
                history.progress.append(.init(trial: id, epoch: row[1], value: value))
            }
            return history
        }
    }

    /// The sweep's stopped trials, in sweep order.
    public func stoppedTrials(sweep: SweepID) throws -> [StoredStop] {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.config_json, st.attempt, st.worker, st.epoch, st.values_json, st.reason
                    FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    JOIN stops st ON st.trial_seq = t.seq
                    WHERE m.sweep_id = ? ORDER BY m.position
                    """,
                arguments: [sweep.rawValue]
            ).map { row in
                let id = TrialID(rawValue: row[0])
                return StoredStop(
                    trial: id, config: try coding.decode(TrialConfig.self, from: row[1], table: "trials", key: id.rawValue),
                    attempt: row[2], worker: row[3], epoch: row[4],
                    values: try coding.decode([String: Double].self, from: row[5], table: "stops", key: id.rawValue),
                    reason: row[6])
            }
        }
    }

    /// Every trial's learning curve: its progress reports (latest attempt only) in epoch order.
    public func learningCurves(sweep: SweepID) throws -> [TrialID: [TrialProgress]] {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            var curves: [TrialID: [TrialProgress]] = [:]
            var attemptOf: [TrialID: Int] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, p.attempt, p.epoch, p.values_json FROM progress p
                    JOIN sweep_trials m ON m.trial_seq = p.trial_seq AND m.sweep_id = ?
                    JOIN trials t ON t.seq = p.trial_seq
                    ORDER BY p.id
                    """,
                arguments: [sweep.rawValue])
            while let row = try rows.next() {
                let id = TrialID(rawValue: row[0])
                let attempt: Int = row[1]
                if let seen = attemptOf[id], seen > attempt { continue }
                if attemptOf[id] != attempt {
                    attemptOf[id] = attempt
                    curves[id] = []
                }
                let values = try coding.decode([String: Double].self, from: row[3], table: "progress", key: id.rawValue)
                curves[id]!.append(TrialProgress(epoch: row[2], totalEpochs: nil, values: values))
            }
            return curves
        }
    }
}
