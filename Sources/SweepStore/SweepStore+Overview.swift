public import Foundation
import GRDB

/// What a person watching a sweep wants first, read from the store alone (so any process can
/// show it while the coordinator runs): counts by state, the rate results arrive at and the time
/// left, the workers with their host, slots and current trials, and failures grouped by message.
public struct SweepOverview: Sendable, Hashable, Codable {
    public struct Worker: Sendable, Hashable, Codable {
        public var name: String
        public var host: String
        public var slots: Int
        /// Trials of this sweep the worker holds a lease on now.
        public var running: [String]
        /// Leases of this sweep the worker ever took.
        public var attempts: Int
        public var joinedAt: Date
        /// Its latest lease start or attempt end in this sweep: the store's view of "last seen"
        /// (heartbeats are not stored).
        public var lastActivity: Date?
    }

    public struct FailureGroup: Sendable, Hashable, Codable {
        public var message: String
        /// `deterministic` (a model error: kept, not retried) or `infrastructure`.
        public var kind: String?
        public var trials: Int
        /// One trial with this message, to look at.
        public var example: String

        public init(message: String, kind: String?, trials: Int, example: String) {
            self.message = message
            self.kind = kind
            self.trials = trials
            self.example = example
        }
    }

    public var sweep: String
    public var pending, running, finished, failed, stopped, total: Int
    /// Results recorded, and the first and last time one was.
    public var results: Int
    public var firstResultAt: Date?
    public var lastResultAt: Date?
    public var workers: [Worker]
    public var failures: [FailureGroup]

    public init(
        sweep: String, pending: Int, running: Int, finished: Int, failed: Int, stopped: Int, total: Int, results: Int,
        firstResultAt: Date?, lastResultAt: Date?, workers: [Worker], failures: [FailureGroup]
    ) {
        self.sweep = sweep
        self.pending = pending
        self.running = running
        self.finished = finished
        self.failed = failed
        self.stopped = stopped
        self.total = total
        self.results = results
        self.firstResultAt = firstResultAt
        self.lastResultAt = lastResultAt
        self.workers = workers
        self.failures = failures
    }

    /// Results per second between the first and the last result; nil before two results.
    public var resultsPerSecond: Double? {
        guard results >= 2, let first = firstResultAt, let last = lastResultAt, last > first else { return nil }
        return Double(results - 1) / last.timeIntervalSince(first)
    }

    /// Seconds until the pending and running trials are done at ``resultsPerSecond``.
    public var secondsLeft: Double? {
        guard let rate = resultsPerSecond, rate > 0 else { return nil }
        return Double(pending + running) / rate
    }
}

extension SweepStore {
    /// The sweep's ``SweepOverview`` in one consistent read.
    /// - Complexity: O(trials + attempts of the sweep) over indexes, in four passes (trials by
    ///   state and message, stops, results, attempts by worker); about 160 ms for 100,000 trials
    ///   (docs/dashboard.md). For status pages, not per trial.
    public func overview(sweep: SweepID) throws -> SweepOverview {
        try database.read { db in
            var overview = try Self.overviewOfTrials(db, sweep)
            overview.workers = try Self.overviewOfWorkers(db, sweep, createdAt: try Self.requireSweep(db, sweep).createdAt)
            return overview
        }
    }

    /// The same overview read by two connections at once, for a page that must answer fast: this
    /// store reads the trials, results and failures while `other` (another read-only connection
    /// to the same file) reads the attempts by worker. The two parts are each consistent, a few
    /// milliseconds apart (a lease can show in one and not yet in the other).
    /// - Complexity: as ``overview(sweep:)``, in about the time of its larger half on two cores.
    public func overview(sweep: SweepID, alongside other: SweepStore) throws -> SweepOverview {
        nonisolated(unsafe) var trials: Result<SweepOverview, any Error>!
        nonisolated(unsafe) var workers: Result<[SweepOverview.Worker], any Error>!
        // Each connection is used by one thread only, the two never at once by the same thread.
        let first = database, second = other.database
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                trials = Result { try first.read { try Self.overviewOfTrials($0, sweep) } }
            } else {
                workers = Result {
                    try second.read { db in try Self.overviewOfWorkers(db, sweep, createdAt: try Self.requireSweep(db, sweep).createdAt) }
                }
            }
        }
        var overview = try trials.get()
        overview.workers = try workers.get()
        return overview
    }

    /// Counts by state, results and failures by message; `workers` left empty.
    private static func overviewOfTrials(_ db: Database, _ sweep: SweepID) throws -> SweepOverview {
        let record = try Self.requireSweep(db, sweep)
        // One pass over the sweep's trials: the counts by state and the failures by message.
        var byState: [String: Int] = [:]
        var failures: [SweepOverview.FailureGroup] = []
        let trialRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT t.state, t.error, t.failure_kind, count(*), min(t.id) FROM sweep_trials m
                JOIN trials t ON t.seq = m.trial_seq WHERE m.sweep_id = ?
                GROUP BY t.state, t.error, t.failure_kind
                """,
            arguments: [sweep.rawValue])
        while let row = try trialRows.next() {
            let state: String = row[0]
            let count: Int = row[3]
            byState[state, default: 0] += count
            if state == "failed" {
                failures.append(
                    SweepOverview.FailureGroup(message: (row[1] as String?) ?? "(no message)", kind: row[2], trials: count, example: row[4]))
            }
        }
        var counts = TrialCounts()
        for (state, count) in byState {
            guard counts.set(count, stateNamed: state) else {
                throw SweepStoreError.corruptRow(table: "trials", key: "*", reason: "state '\(state)'")
            }
        }
        // Trials with no message and the same kind form one group, as before.
        failures = Dictionary(grouping: failures) { "\($0.message)\u{0}\($0.kind ?? "")" }.values.map { groups in
            var merged = groups[0]
            merged.trials = groups.reduce(0) { $0 + $1.trials }
            merged.example = groups.map(\.example).min()!
            return merged
        }.sorted { ($0.trials, $1.example) > ($1.trials, $0.example) }
        // Stopped trials are stored as finished with a `stops` row (see the v4 migration).
        counts.stopped =
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM stops st JOIN sweep_trials m ON m.trial_seq = st.trial_seq WHERE m.sweep_id = ?",
                arguments: [sweep.rawValue]) ?? 0
        counts.finished -= counts.stopped
        let resultRow = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*), min(r.recorded_at), max(r.recorded_at) FROM results r
                JOIN sweep_trials m ON m.trial_seq = r.trial_seq WHERE m.sweep_id = ?
                """,
            arguments: [sweep.rawValue])
        return SweepOverview(
            sweep: record.name, pending: counts.pending, running: counts.running, finished: counts.finished,
            failed: counts.failed, stopped: counts.stopped, total: counts.total, results: resultRow?[0] ?? 0,
            firstResultAt: resultRow?[1], lastResultAt: resultRow?[2], workers: [], failures: failures)
    }

    /// Each worker that took a lease of the sweep, with its running trials.
    private static func overviewOfWorkers(_ db: Database, _ sweep: SweepID, createdAt: Date) throws -> [SweepOverview.Worker] {
        // Attempts by worker, without joining `workers` per attempt (that join cost a third
        // of the query); the few worker rows are joined here.
        var registered: [String: (host: String, slots: Int, joinedAt: Date)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, host, slots, joined_at FROM workers") {
            registered[row[0]] = (row[1], row[2], row[3])
        }
        var workers: [SweepOverview.Worker] = []
        let workerRows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.worker, count(*), max(a.started_at), max(a.ended_at)
                FROM sweep_trials m JOIN attempts a ON a.trial_seq = m.trial_seq
                WHERE m.sweep_id = ? GROUP BY a.worker ORDER BY a.worker
                """,
            arguments: [sweep.rawValue])
        for row in workerRows {
            let name: String = row[0]
            let running = try String.fetchAll(
                db,
                sql: """
                    SELECT a.trial_id FROM attempts a JOIN sweep_trials m ON m.trial_seq = a.trial_seq
                    WHERE m.sweep_id = ? AND a.worker = ? AND a.ended_at IS NULL ORDER BY a.trial_id
                    """,
                arguments: [sweep.rawValue, name])
            let lastActivity = [row[2] as Date?, row[3] as Date?].compactMap { $0 }.max()
            let known = registered[name]
            // A store written before `workers` existed: the host its attempts recorded.
            let host =
                try known?.host
                ?? String.fetchOne(db, sql: "SELECT host FROM attempts WHERE worker = ? AND host IS NOT NULL LIMIT 1", arguments: [name])
                ?? "?"
            workers.append(
                SweepOverview.Worker(
                    name: name, host: host, slots: known?.slots ?? 0, running: running, attempts: row[1],
                    joinedAt: known?.joinedAt ?? lastActivity ?? createdAt, lastActivity: lastActivity))
        }
        return workers
    }
}
