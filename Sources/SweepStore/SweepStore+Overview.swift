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
    /// - Complexity: O(trials + attempts of the sweep) over indexes; for status pages, not per trial.
    public func overview(sweep: SweepID) throws -> SweepOverview {
        let counts = try counts(sweep: sweep)
        return try database.read { db in
            let record = try Self.requireSweep(db, sweep)
            let resultRow = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*), min(r.recorded_at), max(r.recorded_at) FROM results r
                    JOIN sweep_trials m ON m.trial_seq = r.trial_seq WHERE m.sweep_id = ?
                    """,
                arguments: [sweep.rawValue])
            var workers: [SweepOverview.Worker] = []
            let workerRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.worker, coalesce(w.host, max(a.host), '?'), coalesce(w.slots, 0), count(*),
                           w.joined_at, max(coalesce(a.ended_at, a.started_at))
                    FROM attempts a JOIN sweep_trials m ON m.trial_seq = a.trial_seq
                    LEFT JOIN workers w ON w.name = a.worker
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
                let lastActivity: Date? = row[5]
                workers.append(
                    SweepOverview.Worker(
                        name: name, host: row[1], slots: row[2], running: running, attempts: row[3],
                        joinedAt: (row[4] as Date?) ?? lastActivity ?? record.createdAt, lastActivity: lastActivity))
            }
            let failures = try Row.fetchAll(
                db,
                sql: """
                    SELECT coalesce(t.error, '(no message)'), t.failure_kind, count(*), min(t.id) FROM trials t
                    JOIN sweep_trials m ON m.trial_seq = t.seq
                    WHERE m.sweep_id = ? AND t.state = 'failed'
                    GROUP BY coalesce(t.error, '(no message)'), t.failure_kind ORDER BY count(*) DESC, min(t.id)
                    """,
                arguments: [sweep.rawValue]
            ).map { row in
                SweepOverview.FailureGroup(message: row[0], kind: row[1], trials: row[2], example: row[3])
            }
            return SweepOverview(
                sweep: record.name, pending: counts.pending, running: counts.running, finished: counts.finished,
                failed: counts.failed, stopped: counts.stopped, total: counts.total, results: resultRow?[0] ?? 0,
                firstResultAt: resultRow?[1], lastResultAt: resultRow?[2], workers: workers, failures: failures)
        }
    }
}
