public import Foundation
import GRDB
public import Sweep

extension SweepStore {
    /// The trial `id` of `sweep` with its attempts, result, stop and progress, in one consistent
    /// read; nil when the sweep has no such trial (trial ids are global, so a trial of another
    /// sweep is nil too). Throws ``SweepStoreError/unknownSweep(_:)`` for an unknown sweep.
    /// - Complexity: O(attempts + progress reports of the trial), five indexed queries.
    public func trial(sweep: SweepID, id: TrialID) throws -> StoredTrial? {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT t.seq, t.config_json, t.state, t.attempts, t.error, t.failure_kind
                        FROM trials t JOIN sweep_trials m ON m.trial_seq = t.seq AND m.sweep_id = ?
                        WHERE t.id = ?
                        """,
                    arguments: [sweep.rawValue, id.rawValue])
            else { return nil }
            let seq: Int64 = row[0]
            let config = try coding.decode(TrialConfig.self, from: row[1], table: "trials", key: id.rawValue)
            var state: String = row[2]
            let attempts = try Row.fetchAll(
                db,
                sql: """
                    SELECT attempt, lease_epoch, worker, host, started_at, ended_at, outcome, error
                    FROM attempts WHERE trial_seq = ? ORDER BY lease_epoch
                    """,
                arguments: [seq]
            ).map { row in
                let epoch: Int64 = row[1]
                return StoredAttempt(
                    trial: id, attempt: row[0], leaseEpoch: UInt64(epoch), worker: row[2], host: row[3],
                    startedAt: row[4], endedAt: row[5], outcome: (row[6] as String?).flatMap(AttemptOutcome.init(rawValue:)),
                    error: row[7])
            }
            let result = try Row.fetchOne(
                db,
                sql: """
                    SELECT attempt, lease_epoch, worker, host, code_version, metrics_json, timings_json, recorded_at
                    FROM results WHERE trial_seq = ?
                    """,
                arguments: [seq]
            ).map { row in
                let epoch: Int64? = row[1]
                return StoredResult(
                    trial: id, config: config,
                    metrics: try coding.metrics(values: row[5], timings: row[6], table: "results", key: id.rawValue),
                    attempt: row[0], leaseEpoch: epoch.map { UInt64($0) }, worker: row[2], host: row[3],
                    codeVersion: row[4], recordedAt: row[7])
            }
            let stop = try Row.fetchOne(
                db, sql: "SELECT attempt, worker, epoch, values_json, reason FROM stops WHERE trial_seq = ?", arguments: [seq]
            ).map { row in
                StoredStop(
                    trial: id, config: config, attempt: row[0], worker: row[1], epoch: row[2],
                    values: try coding.decode([String: Double].self, from: row[3], table: "stops", key: id.rawValue),
                    reason: row[4])
            }
            if stop != nil { state = "stopped" }
            let progress = try Row.fetchAll(
                db, sql: "SELECT attempt, epoch, values_json, recorded_at FROM progress WHERE trial_seq = ? ORDER BY id",
                arguments: [seq]
            ).map { row in
                StoredTrial.Progress(
                    attempt: row[0], epoch: row[1],
                    values: try coding.decode([String: Double].self, from: row[2], table: "progress", key: id.rawValue),
                    recordedAt: row[3])
            }
            return StoredTrial(
                id: id, config: config, state: state, attemptsUsed: row[3], error: row[4], failureKind: row[5],
                result: result, stop: stop, attempts: attempts, progress: progress)
        }
    }

    /// The sweep's results in the order they were recorded, as (time, trial, value of `metric`):
    /// what a best-so-far chart needs. Results without `metric` are left out.
    /// - Complexity: O(results of the sweep); decodes each result's metrics once.
    public func resultTimeline(sweep: SweepID, metric: String) throws -> [(recordedAt: Date, trial: TrialID, value: Double)] {
        try database.read { db in
            _ = try Self.requireSweep(db, sweep)
            var timeline: [(recordedAt: Date, trial: TrialID, value: Double)] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, r.metrics_json, r.recorded_at FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    JOIN results r ON r.trial_seq = t.seq WHERE m.sweep_id = ? ORDER BY r.recorded_at, t.id
                    """,
                arguments: [sweep.rawValue])
            while let row = try rows.next() {
                let id = TrialID(rawValue: row[0])
                guard let value = try coding.decode([String: Double].self, from: row[1], table: "results", key: id.rawValue)[metric]
                else { continue }
                timeline.append((row[2], id, value))
            }
            return timeline
        }
    }

    /// Other trials of the sweep with the same configuration (the other seeds), in sweep order.
    public func siblingTrials(sweep: SweepID, of id: TrialID) throws -> [(id: TrialID, seed: UInt64, state: String)] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.seed, t.state FROM sweep_trials m JOIN trials t ON t.seq = m.trial_seq
                    WHERE m.sweep_id = ? AND t.id <> ?
                      AND t.configuration_key = (SELECT configuration_key FROM trials WHERE id = ?)
                    ORDER BY m.position
                    """,
                arguments: [sweep.rawValue, id.rawValue, id.rawValue]
            ).map { row in
                let seed: Int64 = row[1]
                return (TrialID(rawValue: row[0]), UInt64(bitPattern: seed), row[2])
            }
        }
    }
}
