public import Sweep

/// The sweep coordinator's protocol — leases, heartbeats, retries, duplicates, shutdown — as a
/// value. It performs no I/O and reads no clock: the shell feeds it `CoordinatorEvent`s with the
/// current `ProtocolInstant` and carries out the `CoordinatorAction`s it returns, in order.
///
/// Contracts:
/// - **Leasing.** Workers pull: each announces slots (in `hello`, then in every heartbeat) and
///   the models it runs; after every event the core fills free slots with pending trials in
///   snapshot order, visiting workers in id order. While recent attempts took less than
///   `prefetchBelow`, a worker may hold `slots × (1 + prefetchPerSlot)` leases: the extra ones
///   wait in the worker's queue, so short trials do not each pay a round trip. A lease is (trial, attempt, epoch); epochs come
///   from one counter that only grows, across restarts too.
/// - **Counting.** A result counts only if its ticket is the trial's current lease and comes
///   from the lease holder. Anything else (stale epoch, trial already finished) is persisted as
///   `duplicateResult` and never counted; each trial is finished at most once. A worker that
///   lists a lease that is no longer current (heartbeat, progress, reattach) is sent `cancel`.
/// - **Liveness.** Heartbeats go both ways every `heartbeatInterval`. A worker silent for
///   `liveness` is lost; its attempts fail as infrastructure failures.
/// - **Timeouts.** An attempt without a result by its lease's timeout is cancelled and fails as
///   infrastructure, even though its worker still heartbeats (a hung trial). Progress does not
///   extend the timeout.
/// - **Retries.** Infrastructure failures return a trial to pending (attempt + 1 at the next
///   lease) while `infrastructureFailures ≤ retryLimit`, else it fails for good ("exhausted").
///   Deterministic failures fail it for good at once, message kept. Attempts handed back by a
///   worker's goodbye, or abandoned by a coordinator restart or shutdown, go back to pending
///   without using the budget (`trialReturned`).
/// - **Registration.** `hello`/`reattach` must come from the connection whose routing id they
///   name, and speak `protocolVersion`; otherwise only that worker is rejected. A known worker's
///   `reattach` keeps the leases it lists that are still current (their results count), cancels
///   the stale ones it lists, and fails the ones it omits; a known worker's `hello` is a new
///   process, so all its old leases fail. Messages other than hello/reattach/goodbye from an
///   unregistered worker get `reject(unknownWorker)`, which makes it reattach.
/// - **Restarts.** Trials `running` in the loaded snapshot were leased by a previous coordinator
///   life; they are returned to pending (`trialReturned`), since their workers' tickets are now
///   stale, and leased again as attempt + 1.
/// - **Shutdown.** `shutdownRequested` stops leasing, sends `shutdown` to every worker and waits
///   up to `drainTimeout` for running attempts; at the deadline it cancels and returns the rest.
///   Then `sweepFinished`. The sweep also finishes, with `shutdown` to every worker, as soon as
///   every trial is finished or failed for good.
/// - **Timers** (liveness, lease timeouts, heartbeats, drain deadline) are acted on only on
///   `.tick`; the core asks for ticks with `scheduleWakeUp`.
/// - **Determinism.** The same events at the same instants give the same actions: no randomness,
///   and workers and trials are always visited in sorted order.
/// - Complexity: O(workers + leases + pending) per event; O(workers × pending) when leasing.
public struct CoordinatorCore: Sendable {
    public let configuration: Configuration
    public internal(set) var phase: CoordinatorPhase = .loading

    struct Worker: Sendable {
        var hello: WorkerHello
        var models: Set<String>
        var slots: Int
        var lastHeard: ProtocolInstant
        /// Indices into `records` of the trials this worker holds leases for.
        var leases: Set<Int> = []
    }

    var sweepID = ""
    var dataset = ""
    /// The trials in snapshot order; their `state` is the truth.
    var records: [TrialRecord] = []
    var indexByTrial: [TrialID: Int] = [:]
    /// Indices of pending trials, *descending*: the next trial to lease (the smallest index) is
    /// the last element, so taking it is O(1) rather than a shift of every pending index.
    var pending: [Int] = []
    /// Deadline of every running lease, by trial index.
    var deadlines: [Int: ProtocolInstant] = [:]
    /// Trials neither finished nor failed for good.
    var openTrials = 0
    var lastLeaseEpoch: LeaseEpoch = 0
    var workers: [WorkerID: Worker] = [:]
    var nextHeartbeatAt: ProtocolInstant?
    var scheduledWakeUp: ProtocolInstant?
    var latestNow: ProtocolInstant = .zero
    var duplicateResults = 0
    /// Exponentially weighted mean of recent attempt times in seconds (lease to result, queueing
    /// at the worker included), or nil before the first result; decides prefetch.
    var recentAttemptSeconds: Double?
    var needsLeasing = false
    var outbox: [CoordinatorAction] = []

    public init(configuration: Configuration = Configuration()) {
        precondition(
            configuration.heartbeatInterval > .zero && configuration.livenessMisses >= 1
                && configuration.retryLimit >= 0 && configuration.drainTimeout >= .zero
                && configuration.defaultTrialTimeout > .zero && configuration.prefetchPerSlot >= 0,
            "invalid coordinator configuration: \(configuration)")
        self.configuration = configuration
    }

    /// Handles one event at `now` and returns what to do, in order.
    public mutating func handle(_ event: CoordinatorEvent, now: ProtocolInstant) -> [CoordinatorAction] {
        let now = max(now, latestNow)
        latestNow = now
        switch event {
        case .storeLoaded(let snapshot):
            load(snapshot, now: now)
        case .workerMessage(let worker, let message):
            receive(message, from: worker, now: now)
        case .malformedMessage(let worker, let reason):
            send(worker, .reject(Rejection(code: .malformedMessage, message: reason)))
            log(
                .warning, "rejected a malformed message from worker \(worker): \(reason)",
                ["worker.id": worker.rawValue])
        case .tick:
            tick(now: now)
        case .shutdownRequested:
            requestShutdown(now: now)
        }
        if needsLeasing { leaseFreeSlots(now: now) }
        finishIfDone()
        requestWakeUp()
        let actions = outbox
        outbox = []
        return actions
    }

    // MARK: Inspection

    /// The coordinator's view in store form. For a coordinator that loaded snapshot `s` and
    /// persisted commands `c`, this equals `s.applying(c)`.
    public var snapshot: SweepSnapshot {
        SweepSnapshot(sweepID: sweepID, dataset: dataset, trials: records, lastLeaseEpoch: lastLeaseEpoch)
    }

    /// The configuration of trial `id`, if the sweep has it. O(1).
    public func config(of id: TrialID) -> TrialConfig? { indexByTrial[id].map { records[$0].config } }

    /// Registered workers, by id.
    public var workerStatuses: [WorkerStatus] {
        workers.keys.sorted().map { id in
            let worker = workers[id]!
            let leases = worker.leases.sorted().compactMap { index -> LeaseTicket? in
                if case .running(let ticket, _) = records[index].state { return ticket }
                return nil
            }
            return WorkerStatus(
                id: id, hello: worker.hello, slots: worker.slots, leases: leases, lastHeard: worker.lastHeard)
        }
    }

    /// Counts so far; `outcome` is `completed` only once every trial is final.
    public var summary: SweepSummary { makeSummary(openTrials == 0 ? .completed : .interrupted) }

    // MARK: Loading

    mutating func load(_ snapshot: SweepSnapshot, now: ProtocolInstant) {
        guard phase == .loading else {
            log(.error, "the store was loaded twice; the second snapshot is ignored")
            return
        }
        sweepID = snapshot.sweepID
        dataset = snapshot.dataset
        lastLeaseEpoch = snapshot.lastLeaseEpoch
        // Adopt the snapshot's array rather than copying it record by record: for a large sweep
        // the trial table is most of the coordinator's memory, and a shell that hands over its
        // only reference (`consume`) then keeps a single copy.
        records = snapshot.trials
        indexByTrial.reserveCapacity(records.count)
        var duplicates: [Int] = []
        for index in records.indices {
            let id = records[index].id
            guard indexByTrial[id] == nil else {
                log(.error, "the snapshot lists trial \(id) twice; the later record is ignored")
                duplicates.append(index)
                continue
            }
            indexByTrial[id] = index
        }
        if !duplicates.isEmpty {
            for index in duplicates.reversed() { records.remove(at: index) }
            indexByTrial.removeAll(keepingCapacity: true)
            for index in records.indices { indexByTrial[records[index].id] = index }
        }
        pending.reserveCapacity(records.count)
        for index in records.indices {
            if case .running(let ticket, let worker) = records[index].state {
                lastLeaseEpoch = max(lastLeaseEpoch, ticket.epoch)
                records[index].attemptsUsed = max(records[index].attemptsUsed, ticket.attempt)
                records[index].state = .pending
                persist(
                    .trialReturned(
                        trial: records[index].id, attempt: ticket.attempt,
                        reason: "the coordinator restarted while attempt \(ticket.attempt) ran on worker \(worker)"))
            }
            if !records[index].state.isFinal {
                pending.append(index)
                openTrials += 1
            }
        }
        pending.reverse()
        phase = .running
        let summary = makeSummary(.interrupted)
        persist(
            .event(
                "coordinator loaded sweep \(sweepID): \(summary.total) trials, \(summary.unfinished) to run, "
                    + "\(summary.finished) finished, \(summary.failed) failed"))
        log(.info, "loaded \(summary.total) trials, \(summary.unfinished) to run")
        needsLeasing = true
    }

    // MARK: Helpers shared by the extensions

    /// The ticket of the running lease of `index`, if any.
    func currentTicket(_ index: Int) -> LeaseTicket? {
        if case .running(let ticket, _) = records[index].state { return ticket }
        return nil
    }

    /// `ticket` is the current lease of its trial and `worker` holds it.
    func isCurrent(_ ticket: LeaseTicket, heldBy worker: WorkerID) -> Bool {
        guard let index = indexByTrial[ticket.trial], case .running(let current, let holder) = records[index].state
        else { return false }
        return current == ticket && holder == worker
    }

    /// Why `ticket` from `worker` is not a current lease, in words.
    func staleness(of ticket: LeaseTicket, from worker: WorkerID) -> String {
        guard let index = indexByTrial[ticket.trial] else { return "trial \(ticket.trial) is not in this sweep" }
        switch records[index].state {
        case .pending:
            return "lease \(ticket) is stale: the trial is waiting for a new attempt"
        case .running(let current, let holder):
            if current == ticket { return "lease \(ticket) is held by worker \(holder), not \(worker)" }
            return "lease \(ticket) is stale: the current lease is \(current) on worker \(holder)"
        case .finished(let attempt, let holder):
            return "trial \(ticket.trial) already finished (attempt \(attempt) on worker \(holder))"
        case .failed(let attempt, _):
            return "trial \(ticket.trial) already failed for good (attempt \(attempt))"
        }
    }

    func makeSummary(_ outcome: SweepSummary.Outcome) -> SweepSummary {
        var finished = 0
        var failed = 0
        for record in records {
            switch record.state {
            case .finished: finished += 1
            case .failed: failed += 1
            case .pending, .running: break
            }
        }
        return SweepSummary(
            outcome: outcome, total: records.count, finished: finished, failed: failed, unfinished: openTrials,
            duplicateResults: duplicateResults)
    }

    mutating func send(_ worker: WorkerID, _ message: CoordinatorMessage) { outbox.append(.send(worker, message)) }

    mutating func persist(_ command: StoreCommand) { outbox.append(.persist(command)) }

    /// Whether `log(level, …)` would produce anything: hot paths check it before building text.
    func logs(_ level: LogLevel) -> Bool { level >= configuration.logLevel }

    mutating func log(_ level: LogLevel, _ message: String, _ metadata: [String: String] = [:]) {
        guard logs(level) else { return }
        var metadata = metadata
        if !sweepID.isEmpty { metadata["sweep.id"] = sweepID }
        outbox.append(.log(level, message, metadata: metadata))
    }

    func metadata(_ ticket: LeaseTicket, _ worker: WorkerID?) -> [String: String] {
        var metadata = [
            "trial.id": ticket.trial.rawValue, "attempt": String(ticket.attempt),
            "lease.epoch": String(ticket.epoch.rawValue),
        ]
        if let worker { metadata["worker.id"] = worker.rawValue }
        return metadata
    }
}
