import Foundation
import GRDB
public import Sweep
public import SweepWire

/// One open write transaction of a `SweepStore`, with one method per coordinator store command
/// (`SweepWire.StoreCommand`, applied by `apply(_:)`).
/// Obtained from `SweepStore.write(_:)` and valid only inside its closure; commands take effect
/// together when the closure returns, or not at all if anything throws.
///
/// Every method keeps the store's invariants whatever order commands arrive in:
/// a finished trial never leaves `finished` and keeps its one result; a second result becomes a
/// row of `duplicates`; lease epochs only grow. Commands naming a trial the store has never
/// registered throw `SweepStoreError.unknownTrial` (a programmer error upstream; the whole batch
/// rolls back). Each costs O(log n) primary-key and index work, no scans.
public final class StoreTransaction {
    let db: Database
    /// The transaction's timestamp, as stored.
    let now: DatabaseValue
    let coding: StoreCoding
    /// The sweep adaptive-search suggestions join (``trialSuggested(_:index:)``).
    public var sweep: SweepID?
    /// Highest lease epoch issued or seen, loaded on first use and written back by `finish()`.
    private var leaseEpochHighWater: Int64?
    private var storedLeaseEpochHighWater: Int64 = 0
    private var workerRows: [String: (host: String, version: String)?] = [:]

    init(db: Database, now: Date, coding: StoreCoding) {
        self.db = db
        self.now = now.databaseValue
        self.coding = coding
    }

    /// Applies one of the coordinator core's commands by calling its same-named method. The
    /// worker's host and code version come from its `workerJoined` row.
    public func apply(_ command: StoreCommand) throws {
        switch command {
        case .trialLeased(let ticket, let worker):
            try trialLeased(
                ticket.trial, attempt: ticket.attempt, leaseEpoch: ticket.epoch.rawValue, worker: worker.rawValue)
        case .trialFinished(let trial, let attempt, let metrics, let worker):
            try trialFinished(trial, attempt: attempt, metrics: metrics, worker: worker.rawValue)
        case .trialFailed(let trial, let attempt, let failure, let willRetry):
            try trialFailed(trial, attempt: attempt, failure: failure, willRetry: willRetry)
        case .trialReturned(let trial, let attempt, let reason):
            try trialReturned(trial, attempt: attempt, reason: reason)
        case .trialReopened(let trial, let reason):
            try trialReopened(trial, reason: reason)
        case .duplicateResult(let ticket, let worker, let metrics):
            try duplicateResult(
                ticket.trial, attempt: ticket.attempt, leaseEpoch: ticket.epoch.rawValue, worker: worker.rawValue,
                metrics: metrics)
        case .workerJoined(let hello, let principal):
            try workerJoined(hello, principal: principal)
        case .workerLost(let worker, let reason):
            try workerLost(worker.rawValue, reason: reason)
        case .event(let text):
            try event(text)
        case .trialSuggested(let record, let index):
            try trialSuggested(record, index: index)
        case .trialProgress(let ticket, let progress):
            try trialProgress(ticket, progress)
        case .trialStopped(let ticket, let worker, let epoch, let values, let reason):
            try trialStopped(ticket, worker: worker.rawValue, epoch: epoch, values: values, reason: reason)
        }
    }

    /// An adaptive search's suggestion joins the transaction's ``sweep`` as a pending trial at the
    /// end of its order, with its suggestion number. A trial the store already has (another sweep
    /// ran the same configuration) joins as it is. Needs ``sweep``.
    public func trialSuggested(_ record: TrialRecord, index: Int) throws {
        guard let sweep else { throw SweepStoreError.unknownTrial(record.id) }
        let config = record.config
        try execute(
            """
            INSERT INTO trials (id, sweep_id, model, config_json, configuration_key, seed, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
            """,
            [
                record.id.rawValue, sweep.rawValue, config.model, coding.configJSON(config), config.configurationKey,
                Int64(bitPattern: config.seed), now,
            ])
        let seq = try trialSeq(record.id)
        try execute(
            """
            INSERT INTO sweep_trials (sweep_id, trial_seq, position)
            SELECT ?, ?, coalesce(max(position), -1) + 1 FROM sweep_trials WHERE sweep_id = ?
            ON CONFLICT DO NOTHING
            """,
            [sweep.rawValue, seq, sweep.rawValue])
        try execute(
            "INSERT INTO suggestions (trial_seq, sweep_id, idx) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [seq, sweep.rawValue, index])
    }

    /// A per-epoch progress report of the trial's current lease.
    public func trialProgress(_ ticket: LeaseTicket, _ progress: TrialProgress) throws {
        let seq = try trialSeq(ticket.trial)
        try execute(
            """
            INSERT INTO progress (trial_seq, attempt, lease_epoch, epoch, values_json, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [seq, ticket.attempt, Int64(ticket.epoch.rawValue), progress.epoch, coding.metricsJSON(progress.values), now])
    }

    /// The stopping rule stopped the trial: final (`state` finished, a `stops` row, no result).
    /// A trial already final is left as it is.
    public func trialStopped(
        _ ticket: LeaseTicket, worker: String, epoch: Int, values: [String: Double], reason: String
    ) throws {
        let seq = try trialSeq(ticket.trial)
        try execute(
            """
            UPDATE trials SET state = 'finished', worker = ?, finished_at = ?, error = NULL, failure_kind = NULL,
                              attempts = max(attempts, ?)
            WHERE seq = ? AND state IN ('pending', 'running')
            """,
            [worker, now, ticket.attempt, seq])
        guard db.changesCount > 0 else { return }
        try execute(
            """
            INSERT INTO stops (trial_seq, trial_id, attempt, lease_epoch, worker, epoch, values_json, reason, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                seq, ticket.trial.rawValue, ticket.attempt, Int64(ticket.epoch.rawValue), worker, epoch,
                coding.metricsJSON(values), reason, now,
            ])
        try execute(
            """
            UPDATE attempts SET ended_at = coalesce(ended_at, ?), outcome = coalesce(outcome, 'cancelled'),
                                error = coalesce(error, ?)
            WHERE trial_seq = ? AND lease_epoch = ?
            """,
            [now, "stopped early: \(reason)", seq, Int64(ticket.epoch.rawValue)])
    }

    /// The trial was leased to `worker` as attempt `attempt` under `leaseEpoch`.
    ///
    /// Records the lease in `attempts`, closes any still-open earlier lease of the trial as
    /// `cancelled` (a resumed coordinator re-leasing a trial that was running), marks the trial
    /// `running` with `attempts = max(attempts, attempt)`, and raises the epoch high-water mark.
    /// A finished trial stays finished (the lease is still recorded).
    public func trialLeased(_ trial: TrialID, attempt: Int, leaseEpoch: UInt64, worker: String, host: String? = nil)
        throws
    {
        let epoch = Int64(leaseEpoch)
        let seq = try trialSeq(trial)
        let leaseHost = try host ?? workerRow(worker)?.host
        try execute(
            """
            UPDATE trials SET state = 'running', attempts = max(attempts, ?), last_lease_epoch = ?, worker = ?
            WHERE seq = ? AND state != 'finished'
            """,
            [attempt, epoch, worker, seq])
        if attempt > 1 {  // attempt numbers only grow: a first attempt has no earlier lease to close
            try execute(
                "UPDATE attempts SET ended_at = ?, outcome = 'cancelled' WHERE trial_seq = ? AND ended_at IS NULL",
                [now, seq])
        }
        try execute(
            """
            INSERT INTO attempts (trial_seq, trial_id, attempt, lease_epoch, worker, host, started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [seq, trial.rawValue, attempt, epoch, worker, leaseHost, now])
        try raiseLeaseEpochHighWater(to: epoch)
    }

    /// Attempt `attempt` of the trial produced `metrics`.
    ///
    /// If the trial has no result yet, this becomes its result (`results`), the trial turns
    /// `finished` and the attempt `finished`; returns `true`. If it already has one, nothing of
    /// the trial or its result changes: the metrics go to `duplicates`, the attempt (if still
    /// open) ends as `duplicate`; returns `false`.
    /// - Parameter codeVersion: the worker's code version; defaults to the sweep's.
    @discardableResult
    public func trialFinished(
        _ trial: TrialID, attempt: Int, metrics: TrialMetrics, worker: String, host: String? = nil,
        codeVersion: String? = nil
    ) throws -> Bool {
        let seq = try trialSeq(trial)
        let lease = try fetchRow(
            """
            SELECT lease_epoch, host FROM attempts WHERE trial_seq = ? AND attempt = ?
            ORDER BY lease_epoch DESC LIMIT 1
            """,
            [seq, attempt])
        let epoch: Int64? = lease?[0]
        let resolvedHost = host ?? lease?[1]
        let resultCodeVersion = try codeVersion ?? workerRow(worker)?.version
        let metricsJSON = coding.metricsJSON(metrics.values)
        let timingsJSON = coding.metricsJSON(metrics.timings)
        try execute(
            """
            INSERT INTO results (trial_seq, trial_id, attempt, lease_epoch, worker, host, seed, code_version,
                                 metrics_json, timings_json, recorded_at)
            SELECT t.seq, t.id, ?, ?, ?, ?, t.seed, coalesce(?, s.code_version), ?, ?, ?
            FROM trials t JOIN sweeps s ON s.id = t.sweep_id
            WHERE t.seq = ?
            ON CONFLICT (trial_seq) DO NOTHING
            """,
            [attempt, epoch, worker, resolvedHost, resultCodeVersion, metricsJSON, timingsJSON, now, seq])
        guard db.changesCount > 0 else {
            try insertDuplicate(
                seq, trial, attempt: attempt, leaseEpoch: epoch, worker: worker, host: resolvedHost,
                metricsJSON: metricsJSON, timingsJSON: timingsJSON)
            return false
        }
        try execute(
            """
            UPDATE trials SET state = 'finished', worker = ?, finished_at = ?, error = NULL, failure_kind = NULL,
                              attempts = max(attempts, ?)
            WHERE seq = ?
            """,
            [worker, now, attempt, seq])
        if let epoch {
            try execute(
                """
                UPDATE attempts SET ended_at = coalesce(ended_at, ?), outcome = 'finished'
                WHERE trial_seq = ? AND lease_epoch = ?
                """,
                [now, seq, epoch])
        }
        return true
    }

    /// Attempt `attempt` of the trial failed.
    ///
    /// The trial goes back to `pending` if `willRetry`, else to `failed` (with `finished_at`);
    /// either way it keeps `failure` as its last error. A finished trial is left unchanged.
    /// The attempt ends as `failed` unless it already ended otherwise (for example `lost`).
    public func trialFailed(_ trial: TrialID, attempt: Int, failure: TrialFailure, willRetry: Bool) throws {
        let seq = try trialSeq(trial)
        try execute(
            """
            UPDATE trials SET state = ?, error = ?, failure_kind = ?, finished_at = ?,
                              infrastructure_failures = infrastructure_failures + ?
            WHERE seq = ? AND state != 'finished'
            """,
            [
                willRetry ? "pending" : "failed", failure.message, failure.kind.rawValue, willRetry ? nil : now,
                failure.kind == .infrastructure ? 1 : 0, seq,
            ])
        try execute(
            """
            UPDATE attempts SET ended_at = coalesce(ended_at, ?), outcome = coalesce(outcome, 'failed'),
                                error = coalesce(error, ?)
            WHERE trial_seq = ? AND lease_epoch =
                (SELECT max(lease_epoch) FROM attempts WHERE trial_seq = ? AND attempt = ?)
            """,
            [now, failure.message, seq, seq, attempt])
    }

    /// The coordinator took the trial back without a failure (a worker handed it back on
    /// shutdown, a coordinator restart, a drain cut-off): the trial is pending again and the
    /// attempt ends as `cancelled`. It does not use up the retry budget.
    public func trialReturned(_ trial: TrialID, attempt: Int, reason: String) throws {
        let seq = try trialSeq(trial)
        try execute(
            "UPDATE trials SET state = 'pending' WHERE seq = ? AND state = 'running'", [seq])
        try execute(
            """
            UPDATE attempts SET ended_at = coalesce(ended_at, ?), outcome = coalesce(outcome, 'cancelled'),
                                error = coalesce(error, ?)
            WHERE trial_seq = ? AND lease_epoch =
                (SELECT max(lease_epoch) FROM attempts WHERE trial_seq = ? AND attempt = ?)
            """,
            [now, reason, seq, seq, attempt])
    }

    /// A trial that failed for good through infrastructure is pending again with a fresh retry
    /// budget (`infrastructure_failures` 0); its last error stays for the record. A trial that is
    /// not failed, or failed deterministically, is left unchanged.
    public func trialReopened(_ trial: TrialID, reason: String) throws {
        let seq = try trialSeq(trial)
        try execute(
            """
            UPDATE trials SET state = 'pending', infrastructure_failures = 0, finished_at = NULL
            WHERE seq = ? AND state = 'failed' AND failure_kind = 'infrastructure'
            """,
            [seq])
        if db.changesCount > 0 { try event("trial \(trial.rawValue) reopened: \(reason)", kind: "trial.reopened") }
    }

    /// A result for the trial arrived that the coordinator already knows not to count (the trial
    /// is finished, or the lease is stale). Kept in `duplicates`; the attempt, if still open,
    /// ends as `duplicate`. Nothing else changes.
    public func duplicateResult(
        _ trial: TrialID, attempt: Int, leaseEpoch: UInt64, worker: String, host: String? = nil,
        metrics: TrialMetrics? = nil
    ) throws {
        let seq = try trialSeq(trial)
        try insertDuplicate(
            seq, trial, attempt: attempt, leaseEpoch: Int64(leaseEpoch), worker: worker, host: host,
            metricsJSON: metrics.map { coding.metricsJSON($0.values) },
            timingsJSON: metrics.map { coding.metricsJSON($0.timings) })
    }

    /// A worker registered: its row in `workers` (id, principal, host, version, slots) is
    /// written or replaced, and a `worker.joined` event logged. A restarted coordinator gives
    /// back a worker's running trials only to the same principal.
    public func workerJoined(_ hello: WorkerHello, principal: String) throws {
        try execute(
            """
            INSERT INTO workers (name, principal, host, version, slots, pid, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET principal = excluded.principal, host = excluded.host,
                version = excluded.version, slots = excluded.slots, pid = excluded.pid, joined_at = excluded.joined_at
            """,
            [hello.workerID.rawValue, principal, hello.host, hello.version, hello.slots, hello.pid, now])
        workerRows[hello.workerID.rawValue] = .some((hello.host, hello.version))
        let slots = hello.slots
        try event(
            "worker \(hello.workerID) joined from \(hello.host) (pid \(hello.pid)) with \(slots) slot\(slots == 1 ? "" : "s")",
            kind: "worker.joined")
    }

    /// The host and code version `worker` registered with, if it did (cached for the transaction:
    /// a batch names a handful of workers many times).
    private func workerRow(_ worker: String) throws -> (host: String, version: String)? {
        if let cached = workerRows[worker] { return cached }
        let row = try fetchRow("SELECT host, version FROM workers WHERE name = ?", [worker])
        let value = row.map { (host: $0[0] as String, version: $0[1] as String) }
        workerRows[worker] = .some(value)
        return value
    }

    /// A worker was declared lost: its open leases end as `lost`, and a `worker.lost` event is
    /// logged. Trial states are left to the commands that follow (`trialFailed` or a re-lease).
    public func workerLost(_ worker: String, reason: String) throws {
        try execute(
            "UPDATE attempts SET ended_at = ?, outcome = 'lost', error = ? WHERE worker = ? AND ended_at IS NULL",
            [now, reason, worker])
        let leases = db.changesCount
        try event(
            "worker \(worker) lost (\(reason)); \(leases) open lease\(leases == 1 ? "" : "s")", kind: "worker.lost")
    }

    /// Appends `text` to the event log.
    public func event(_ text: String, kind: String = "note") throws {
        try execute("INSERT INTO events (at, kind, text) VALUES (?, ?, ?)", [now, kind, text])
    }

    /// Allocates the next lease epoch: one more than every epoch issued or recorded so far.
    /// Persisted with the transaction.
    public func nextLeaseEpoch() throws -> UInt64 {
        let next = try currentLeaseEpochHighWater() + 1
        leaseEpochHighWater = next
        return UInt64(next)
    }

    /// Writes the lease-epoch high-water mark back if it moved. Called by `SweepStore.write`.
    func finish() throws {
        if let leaseEpochHighWater, leaseEpochHighWater > storedLeaseEpochHighWater {
            try execute("UPDATE meta SET value = ? WHERE key = 'lease_epoch'", [leaseEpochHighWater])
        }
    }

    private func currentLeaseEpochHighWater() throws -> Int64 {
        if let leaseEpochHighWater { return leaseEpochHighWater }
        let stored = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lease_epoch'") ?? 0
        storedLeaseEpochHighWater = stored
        leaseEpochHighWater = stored
        return stored
    }

    private func raiseLeaseEpochHighWater(to epoch: Int64) throws {
        leaseEpochHighWater = max(try currentLeaseEpochHighWater(), epoch)
    }

    private func insertDuplicate(
        _ seq: Int64, _ trial: TrialID, attempt: Int, leaseEpoch: Int64?, worker: String, host: String?,
        metricsJSON: String?, timingsJSON: String?
    ) throws {
        try execute(
            """
            INSERT INTO duplicates (trial_seq, trial_id, attempt, lease_epoch, worker, host, metrics_json,
                                    timings_json, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [seq, trial.rawValue, attempt, leaseEpoch, worker, host, metricsJSON, timingsJSON, now])
        if let leaseEpoch {
            try execute(
                """
                UPDATE attempts SET ended_at = coalesce(ended_at, ?), outcome = coalesce(outcome, 'duplicate')
                WHERE trial_seq = ? AND lease_epoch = ?
                """,
                [now, seq, leaseEpoch])
        }
    }

    /// The trial's `seq`, or `unknownTrial`. One lookup in the trial-id index.
    private func trialSeq(_ trial: TrialID) throws -> Int64 {
        guard
            let seq = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT seq FROM trials WHERE id = ?"), arguments: [trial.rawValue])
        else {
            throw SweepStoreError.unknownTrial(trial)
        }
        return seq
    }

    /// Runs a cached (prepared once per connection) statement.
    private func execute(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private func fetchRow(_ sql: String, _ arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
