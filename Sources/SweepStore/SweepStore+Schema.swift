import Foundation
import GRDB

extension SweepStore {
    /// `PRAGMA application_id` of every crossrec sweep store ("CRSW"): how `open` tells its own
    /// files from other SQLite databases before touching them.
    static let applicationID: Int32 = 0x4352_5357

    /// The versioned schema. Migrations are append-only: never edit a registered one, add `v2`.
    ///
    /// Tables (timestamps are UTC text `yyyy-MM-dd HH:mm:ss.SSS`; seeds are stored as the
    /// `Int64` bit pattern of the `UInt64` seed):
    /// - `meta(key, value)`: `format` and `lease_epoch`, the high-water mark of lease epochs.
    /// - `sweeps`: one row per sweep name.
    /// - `trials`: one row per `TrialID` (`id`, unique); a trial shared by two sweeps is stored
    ///   and run once, `sweep_id` is the sweep that registered it first. `seq` numbers trials in
    ///   registration order.
    /// - `sweep_trials(sweep_id, trial_seq, position)`: which trials each sweep has, in order.
    /// - `attempts`: one row per lease, keyed by `(trial_seq, lease_epoch)`.
    /// - `results`: the counted result, keyed by `trial_seq`, so a trial is counted at most once.
    /// - `duplicates`: every further result for a trial that already had one.
    /// - `events(seq, at, kind, text)`: the human-readable log.
    ///
    /// Why `trial_seq`: a `TrialID` is a hash, so any index keyed by it is written at random
    /// pages, and each commit then rewrites one page per trial per such index: the cost of a
    /// batch would grow with the store. Keyed by `seq` (registration order, which is lease order)
    /// a batch dirties a few adjacent pages whatever the store size. `attempts`, `results` and
    /// `duplicates` still carry the `trial_id` text for people reading the file with `sqlite3`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE meta (
                        key TEXT PRIMARY KEY NOT NULL,
                        value NOT NULL
                    );
                    INSERT INTO meta (key, value) VALUES ('format', 'crossrec-sweep-store'), ('lease_epoch', 0);

                    CREATE TABLE sweeps (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        spec_json TEXT NOT NULL,
                        dataset_fingerprint TEXT NOT NULL,
                        code_version TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );

                    CREATE TABLE trials (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
                        model TEXT NOT NULL,
                        config_json TEXT NOT NULL,
                        configuration_key TEXT NOT NULL,
                        seed INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'running', 'finished', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_lease_epoch INTEGER,
                        worker TEXT,
                        error TEXT,
                        failure_kind TEXT CHECK (failure_kind IN ('infrastructure', 'deterministic')),
                        created_at TEXT NOT NULL,
                        finished_at TEXT
                    );
                    CREATE INDEX trials_by_sweep_state ON trials (sweep_id, state);
                    CREATE INDEX trials_by_state ON trials (state);

                    CREATE TABLE sweep_trials (
                        sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
                        trial_seq INTEGER NOT NULL REFERENCES trials(seq),
                        position INTEGER NOT NULL,
                        PRIMARY KEY (sweep_id, trial_seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX sweep_trials_by_position ON sweep_trials (sweep_id, position);
                    CREATE INDEX sweep_trials_by_trial ON sweep_trials (trial_seq);

                    CREATE TABLE attempts (
                        trial_seq INTEGER NOT NULL REFERENCES trials(seq),
                        trial_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        lease_epoch INTEGER NOT NULL,
                        worker TEXT NOT NULL,
                        host TEXT,
                        started_at TEXT NOT NULL,
                        ended_at TEXT,
                        outcome TEXT CHECK (outcome IN ('finished', 'failed', 'lost', 'cancelled', 'duplicate')),
                        error TEXT,
                        PRIMARY KEY (trial_seq, lease_epoch)
                    ) WITHOUT ROWID;
                    CREATE INDEX attempts_open_by_worker ON attempts (worker) WHERE ended_at IS NULL;

                    CREATE TABLE results (
                        trial_seq INTEGER PRIMARY KEY REFERENCES trials(seq),
                        trial_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        lease_epoch INTEGER,
                        worker TEXT NOT NULL,
                        host TEXT,
                        seed INTEGER NOT NULL,
                        code_version TEXT NOT NULL,
                        metrics_json TEXT NOT NULL,
                        timings_json TEXT NOT NULL,
                        recorded_at TEXT NOT NULL
                    );

                    CREATE TABLE duplicates (
                        id INTEGER PRIMARY KEY,
                        trial_seq INTEGER NOT NULL REFERENCES trials(seq),
                        trial_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        lease_epoch INTEGER,
                        worker TEXT NOT NULL,
                        host TEXT,
                        metrics_json TEXT,
                        timings_json TEXT,
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX duplicates_by_trial ON duplicates (trial_seq);

                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        text TEXT NOT NULL
                    );
                    """)
        }
        // v2: no query reads trials by state (counts and outcomes go through `sweep_trials`), yet
        // every lease and result moved each trial's entries in both state indexes: pure write
        // cost on the coordinator's hottest path.
        migrator.registerMigration("v2-drop-state-indexes") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS trials_by_sweep_state; DROP INDEX IF EXISTS trials_by_state")
        }
        // v3: who each worker is (its principal: CURVE key or session fingerprint), so a restarted
        // coordinator gives running trials back only to the worker that held them; and each
        // trial's spent retry budget as a column, read with the snapshot instead of one query per
        // trial over `attempts` (backfilled from it: failed or lost attempts of unfinished trials).
        migrator.registerMigration("v3-workers-and-retry-budgets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workers (
                        name TEXT PRIMARY KEY NOT NULL,
                        principal TEXT NOT NULL,
                        host TEXT NOT NULL,
                        version TEXT NOT NULL,
                        slots INTEGER NOT NULL,
                        pid INTEGER NOT NULL,
                        joined_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    ALTER TABLE trials ADD COLUMN infrastructure_failures INTEGER NOT NULL DEFAULT 0;
                    UPDATE trials SET infrastructure_failures = (
                        SELECT count(*) FROM attempts a WHERE a.trial_seq = trials.seq AND a.outcome IN ('failed', 'lost')
                    ) WHERE state IN ('pending', 'running');
                    """)
        }
        // v4: adaptive search and early stopping. `suggestions`: the trials an adaptive search
        // added, with their suggestion number; `progress`: every per-epoch report of the current
        // lease holder, in arrival order (`id`), replayed by the stopping rule after a restart and
        // drawn as learning curves; `stops`: trials the rule stopped. A stopped trial's `state` is
        // `finished` (the v1 CHECK allows no other final word, and it is final): it has a `stops`
        // row and no `results` row, and every query tells the two apart by that.
        migrator.registerMigration("v4-adaptive-search") { db in
            try db.execute(
                sql: """
                    CREATE TABLE suggestions (
                        trial_seq INTEGER PRIMARY KEY REFERENCES trials(seq),
                        sweep_id INTEGER NOT NULL REFERENCES sweeps(id),
                        idx INTEGER NOT NULL
                    );
                    CREATE TABLE progress (
                        id INTEGER PRIMARY KEY,
                        trial_seq INTEGER NOT NULL REFERENCES trials(seq),
                        attempt INTEGER NOT NULL,
                        lease_epoch INTEGER NOT NULL,
                        epoch INTEGER NOT NULL,
                        values_json TEXT NOT NULL,
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX progress_by_trial ON progress (trial_seq);
                    CREATE TABLE stops (
                        trial_seq INTEGER PRIMARY KEY REFERENCES trials(seq),
                        trial_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        lease_epoch INTEGER NOT NULL,
                        worker TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        values_json TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        recorded_at TEXT NOT NULL
                    );
                    """)
        }
        return migrator
    }

    /// Opens the coordinator's connection: creates the folder and the file if needed, refuses
    /// files that are not crossrec stores *before* changing anything in them, switches the file
    /// to WAL (GRDB's `.wal` journal mode), sets `synchronous` from `durability` and migrates the
    /// schema. Then syncs the folders it created and the store's folder, so that with
    /// `.osCrashSafe` the store exists after a power loss once `open` has returned.
    static func openForWriting(_ path: String, durability: Durability) throws -> DatabaseQueue {
        let fileManager = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var createdFolders: [URL] = []
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw SweepStoreError.cannotOpen(path: path, reason: "it is a folder") }
            if !fileManager.isWritableFile(atPath: path) {
                throw SweepStoreError.cannotOpen(path: path, reason: "the file is not writable")
            }
            let probe = try openReadOnlyQueue(path)
            try mapOpenErrors(path) { try probe.read { try checkIdentity($0, path: path, allowEmpty: true) } }
            try probe.close()
        } else {
            createdFolders = missingFolders(folder)
            do {
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw SweepStoreError.cannotOpen(
                    path: path, reason: "cannot create folder \(folder.path): \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.label = "crossrec.sweep-store"
        configuration.prepareDatabase { db in
            // Up to 16 MiB of page cache (the default is 2 MiB): holds the trial-id index, read at
            // random by every command, for sweeps of 100k trials. It is the one part of the
            // coordinator's memory that grows while trials finish, so it stays capped: with
            // 64 MiB a 100k noop sweep grew 280 B per trial, with 2 MiB 6 B.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        let queue = try mapOpenErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        // Set here, not in `prepareDatabase`: GRDB's `.wal` setup runs after `prepareDatabase` and
        // sets `synchronous = NORMAL`. Read back, so a GRDB change cannot weaken it unnoticed.
        try mapOpenErrors(path) {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability.synchronous)")
                // macOS only (a no-op on Linux): there fsync does not flush the drive's cache.
                try db.execute(sql: "PRAGMA fullfsync = \(durability == .osCrashSafe ? "ON" : "OFF")")
                let level = try Int.fetchOne(db, sql: "PRAGMA synchronous")
                guard level == durability.synchronousLevel else {
                    let kept = level.map(String.init) ?? "?"
                    throw SweepStoreError.cannotOpen(
                        path: path, reason: "SQLite kept synchronous = \(kept) instead of \(durability.synchronous)")
                }
            }
        }
        let migrator = migrator
        try mapOpenErrors(path) {
            if try queue.read({ try migrator.hasBeenSuperseded($0) }) { throw SweepStoreError.newerSchema(path: path) }
            try migrator.migrate(queue)
        }
        // SQLite fsyncs a folder only at the first sync of a journal or WAL it created, never for
        // the database file itself (its entry becomes durable only because the journal is in the
        // same folder): sync the folder here, and the parent of each folder created above.
        for created in createdFolders { try syncFolder(created.deletingLastPathComponent().path, for: path) }
        try syncFolder(folder.path, for: path)
        return queue
    }

    /// Opens a read-only connection for viewers (`crossrec leaderboard STORE`) while a coordinator
    /// may be writing: WAL lets it read the last committed state without blocking the writer.
    static func openForReading(_ path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SweepStoreError.cannotOpen(path: path, reason: "no such file")
        }
        let queue = try openReadOnlyQueue(path)
        let migrator = migrator
        try mapOpenErrors(path) {
            try queue.read { db in
                try checkIdentity(db, path: path, allowEmpty: false)
                if try migrator.hasBeenSuperseded(db) { throw SweepStoreError.newerSchema(path: path) }
                if try !migrator.hasCompletedMigrations(db) { throw SweepStoreError.needsMigration(path: path) }
            }
        }
        return queue
    }

    private static func openReadOnlyQueue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.label = "crossrec.sweep-store.reader"
        return try mapOpenErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
    }

    /// Accepts a file whose application id is crossrec's, or an empty database when creating.
    private static func checkIdentity(_ db: Database, path: String, allowEmpty: Bool) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if applicationID == Self.applicationID { return }
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        // GRDB's migrator creates `grdb_migrations` in a transaction of its own, before v1's: a
        // coordinator killed, or a machine that lost power, between the two leaves just that table,
        // empty. It is still an empty store, not someone else's database.
        let interruptedCreation =
            try tables == ["grdb_migrations"]
            && (Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") ?? 0) == 0
        if applicationID == 0 && (tables.isEmpty || interruptedCreation) {
            if allowEmpty { return }
            throw SweepStoreError.notAStore(
                path: path, reason: "an empty SQLite database: no coordinator has written it")
        }
        if applicationID != 0 {
            let hex = String(UInt32(bitPattern: applicationID), radix: 16)
            throw SweepStoreError.notAStore(
                path: path, reason: "an SQLite database of another application, id 0x\(hex)")
        }
        let names = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
        throw SweepStoreError.notAStore(path: path, reason: "an SQLite database with tables \(names)")
    }

    /// Turns SQLite's open-time errors into errors naming the path and the fix.
    @discardableResult
    static func mapOpenErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                throw SweepStoreError.notAStore(path: path, reason: "not an SQLite database, or a damaged one")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                throw SweepStoreError.cannotOpen(
                    path: path,
                    reason: "\(error.message ?? "\(error.resultCode)"); check that the folder exists and is writable")
            default:
                throw SweepStoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
            }
        }
    }
}
