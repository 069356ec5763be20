public import Sweep
import GRDB

extension SweepStore {
    /// Registers a sweep and its trials; idempotent.
    ///
    /// The sweep is identified by `name`. The first registration creates it; later ones (the same
    /// sweep file run again, or an edited grid) update its spec and code version, add the trials
    /// it does not have yet as `pending`, and leave every existing trial exactly as it is, so
    /// finished trials stay finished and their results stay counted. A trial already registered
    /// by another sweep of the store joins this one as is (same id = same configuration, seed and
    /// data: it is run once). All in one transaction.
    ///
    /// - Parameters:
    ///   - trials: each trial's identity and configuration, in sweep order; each `id` must be
    ///     `TrialID(config:datasetFingerprint:)` of its config.
    /// - Throws: `SweepStoreError.fingerprintMismatch` if `name` is registered for other data.
    /// - Complexity: O(trials × log n); one statement per new trial beyond its membership row.
    @discardableResult
    public func registerSweep(
        name: String, specJSON: String, datasetFingerprint: String, codeVersion: String,
        trials: [(id: TrialID, config: TrialConfig)]
    ) throws -> SweepRegistration {
        try writeTransaction { db in
            let now = clock().databaseValue
            let sweep: Int64
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, dataset_fingerprint FROM sweeps WHERE name = ?", arguments: [name])
            {
                sweep = row[0]
                let storedFingerprint: String = row[1]
                guard storedFingerprint == datasetFingerprint else {
                    throw SweepStoreError.fingerprintMismatch(
                        sweep: name, stored: storedFingerprint, given: datasetFingerprint)
                }
                try db.execute(
                    sql: "UPDATE sweeps SET spec_json = ?, code_version = ? WHERE id = ?",
                    arguments: [specJSON, codeVersion, sweep])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO sweeps (name, spec_json, dataset_fingerprint, code_version, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [name, specJSON, datasetFingerprint, codeVersion, now])
                sweep = db.lastInsertedRowID
            }

            var position =
                try Int64.fetchOne(
                    db, sql: "SELECT coalesce(max(position), -1) + 1 FROM sweep_trials WHERE sweep_id = ?",
                    arguments: [sweep]) ?? 0
            let existingTrial = try db.cachedStatement(sql: "SELECT seq FROM trials WHERE id = ?")
            // New trials (the common case) cost one statement: insert, and look up only on conflict.
            let insertTrial = try db.cachedStatement(
                sql: """
                    INSERT INTO trials (id, sweep_id, model, config_json, configuration_key, seed, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                    """)
            let insertMember = try db.cachedStatement(
                sql: "INSERT INTO sweep_trials (sweep_id, trial_seq, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            var summary = SweepRegistration(
                sweep: SweepID(rawValue: sweep), addedTrials: 0, existingTrials: 0, sharedTrials: 0)
            for (id, config) in trials {
                assert(
                    id == TrialID(config: config, datasetFingerprint: datasetFingerprint),
                    "trial \(id) is not the identity of \(config.label) seed \(config.seed) on \(datasetFingerprint)")
                try insertTrial.execute(arguments: [
                    id.rawValue, sweep, config.model, coding.configJSON(config), config.configurationKey,
                    Int64(bitPattern: config.seed), now,
                ])
                let isNew = db.changesCount > 0
                let seq = isNew ? db.lastInsertedRowID : try Int64.fetchOne(existingTrial, arguments: [id.rawValue])
                try insertMember.execute(arguments: [sweep, seq, position])
                let joined = db.changesCount > 0
                if joined { position += 1 }
                if isNew {
                    summary.addedTrials += 1
                } else if joined {
                    summary.sharedTrials += 1
                } else {
                    summary.existingTrials += 1
                }
            }
            try db.execute(
                sql: "INSERT INTO events (at, kind, text) VALUES (?, 'sweep.registered', ?)",
                arguments: [
                    now,
                    "sweep '\(name)' registered: \(summary.addedTrials) new trials, \(summary.existingTrials) "
                        + "already present, \(summary.sharedTrials) shared with other sweeps",
                ])
            return summary
        }
    }
}
