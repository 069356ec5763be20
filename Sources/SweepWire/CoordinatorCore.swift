public import Sweep

/// The sweep coordinator's protocol — identity, leases, acknowledgements, heartbeats, retries,
/// duplicates, restarts, floods and shutdown — as a value. It performs no I/O and reads no clock:
/// the shell feeds it `CoordinatorEvent`s (one at a time, or a batch received together) with the
/// current `ProtocolInstant` and carries out the `CoordinatorAction`s it returns, in order, never
/// sending anything before the `persist`s ahead of it are durable.
///
/// Contracts:
/// - **Identity.** A connection (`Peer.connection`, the transport's routing id) becomes worker
///   `N` by a `hello` or `reattach` naming `N`. A worker's principal is its CURVE key under
///   `.curveKeys`, else its session token. A second connection claiming a live worker's id is
///   refused (`workerIDInUse`) unless it proves the same principal, in which case it supersedes
///   the old connection. Every other message counts only from the connection its worker is bound
///   to; from any other connection it is answered with `reject(unknownWorker)` (which makes a
///   real worker re-attach) and never touches a lease.
/// - **Leasing.** Workers pull: each announces slots and models; after every batch of events the
///   core fills free capacity with pending trials in snapshot order (indexed by model, so the
///   cost does not grow with pending trials). A worker's capacity is
///   `min(allowance, slots × depth, maxLeasesPerWorker)`, where depth is 1, or 1 + prefetch while
///   recent attempts are short. **Slow start:** a new worker's allowance is `initialAllowance`
///   and grows by two for each lease it acknowledges (lists in a heartbeat, or reports on);
///   workers that have not yet acknowledged any lease share `probationLeaseLimit` leases. A lease
///   is (trial, attempt, epoch); epochs come from one counter that only grows, across restarts.
/// - **Counting.** A result counts only if its ticket is the trial's current lease, it comes from
///   the connection of the worker holding it, and its metric names are all declared for the
///   trial's model (`metricsByModel`); a result with other names fails the attempt (retried
///   elsewhere). A stale ticket or finished trial is persisted as `duplicateResult` and never
///   counted; each trial is finished at most once. Every result and failure report from a
///   registered worker is answered with `confirm` once persisted: until then the worker keeps it
///   and resends it after a reconnect.
/// - **Liveness.** Heartbeats go both ways every `heartbeatInterval`. A worker silent for
///   `liveness` is lost: its acknowledged attempts fail as infrastructure failures, attempts it
///   never acknowledged return to pending without using the retry budget (the trial never
///   started there), so workers that vanish after `hello` cannot burn a trial's budget.
/// - **Timeouts.** An attempt without a result by its lease's timeout is cancelled and fails as
///   infrastructure. Progress does not extend the timeout.
/// - **Retries.** Infrastructure failures return a trial to pending (attempt + 1 at the next
///   lease) while `infrastructureFailures ≤ retryLimit`, else it fails for good ("exhausted").
///   Deterministic failures fail it for good at once. Attempts handed back by a goodbye,
///   abandoned by a restart or shutdown, or never acknowledged cost nothing (`trialReturned`).
///   On load, trials that failed for good through infrastructure are reopened
///   (`reopensInfrastructureFailures`).
/// - **Re-attach.** A `reattach` lists what the worker holds and the highest lease epoch it has
///   received. On the same connection, the worker's leases it does not list and must have seen
///   (epoch ≤ `leasesThrough`) are given up, later ones are in flight and kept; on a new
///   connection every unlisted lease is given up. Listed tickets that are not current are
///   cancelled. A known worker's `hello` is a new process: its leases are given up.
/// - **Restarts.** Trials `running` in the loaded snapshot belong to a previous coordinator life.
///   They stay reserved for their worker id for `effectiveReattachGrace`: the same principal can
///   take them back by listing them (reattach, heartbeat, or a report), so a result that was
///   being computed, or sent but not yet persisted, still counts. Unclaimed ones return to
///   pending (`trialReturned`) when the grace ends.
/// - **Floods.** The worker table holds at most `maxWorkers`; refused input (malformed frames,
///   unregistered connections, refused identities, a full table) is logged once per peer and
///   reason and summarised every `rejectionReportInterval`, and answered at most once per peer
///   and reason per interval; `refusedFrames` counts every refusal by its ``RefusalReason``.
/// - **Shutdown.** `shutdownRequested` stops leasing, sends `shutdown` to every worker and waits
///   up to `drainTimeout` for running attempts; at the deadline it cancels and returns the rest.
///   Then `sweepFinished`. The sweep also finishes, with `shutdown` to every worker, as soon as
///   every trial is finished or failed for good. Afterwards every message is answered with
///   `shutdown` (once per connection and reporting window), nothing is persisted, and a goodbye
///   removes its worker from `workerStatuses` (so a shell can tell when all have left).
/// - **Timers** (liveness, lease timeouts, the re-attach grace, heartbeats, the drain deadline,
///   rejection summaries) are acted on only on `.tick`; the core asks for ticks with
///   `scheduleWakeUp`.
/// - **Determinism.** The same events in the same batches at the same instants give the same
///   actions: no randomness, and workers and trials are always visited in sorted order.
/// - Complexity: O(log n) per message for deadlines, O(models with pending trials) per lease,
///   O(hungry workers × log) per batch; memory O(trials + workers + live leases).
public struct CoordinatorCore: Sendable {
    public let configuration: Configuration
    public internal(set) var phase: CoordinatorPhase = .loading

    struct Worker: Sendable {
        var name: WorkerID
        var connection: ConnectionID
        var principal: String
        var peer: Peer
        var hello: WorkerHello
        var models: Set<String>
        var slots: Int
        var lastHeard: ProtocolInstant
        /// Indices into `records` of the trials this worker holds leases for.
        var leases: Set<Int> = []
        /// The subset of `leases` the worker has listed in a heartbeat or reported on.
        var acknowledged: Set<Int> = []
        var allowance: Int
        /// It has acknowledged a lease: out of probation, its allowance grows.
        var proven = false
        /// Waiting in `probationQueue` for its first lease.
        var queuedForProbation = false
        /// Distinguishes registrations of the same id, for deadline and queue entries.
        var generation: UInt64
        /// The highest lease epoch sent to it (for `reattach` on the same connection).
        var lastEpochSent: LeaseEpoch = 0
    }

    enum Deadline: Sendable, Hashable {
        case liveness(WorkerID, generation: UInt64)
        case lease(Int, LeaseEpoch)
        case reattachGrace
    }

    var sweepID = ""
    var dataset = ""
    /// The trials in snapshot order; their `state` is the truth.
    var records: [TrialRecord] = []
    var indexByTrial: [TrialID: Int] = [:]
    var pending = PendingTrials()
    var deadlines = DeadlineQueue<Deadline>()
    /// Deadline of every running lease held by a registered worker, by trial index.
    var leaseDeadlines: [Int: ProtocolInstant] = [:]
    /// Trials neither finished nor failed for good.
    var openTrials = 0
    var lastLeaseEpoch: LeaseEpoch = 0
    var workers: [WorkerID: Worker] = [:]
    var workerByConnection: [ConnectionID: WorkerID] = [:]
    /// Proven workers that may have free capacity: the leasing pass visits only these.
    var hungry: Set<WorkerID> = []
    /// Unproven workers waiting for their first lease, in arrival order (entries go stale when a
    /// worker leaves or re-registers; `probationHead` skips the consumed prefix).
    var probationQueue: [(name: WorkerID, generation: UInt64)] = []
    var probationHead = 0
    /// Leases held by workers that have not acknowledged any.
    var probationLeases = 0
    /// Slots of proven workers (for the prefetch endgame).
    var provenSlots = 0
    var lastDepth = 1
    /// Running trials of a previous coordinator life, by the worker id that held them, awaiting
    /// that worker's `reattach` until `orphanGraceEndsAt`.
    var orphans: [WorkerID: Set<Int>] = [:]
    var orphanCount = 0
    var orphanPrincipals: [WorkerID: String] = [:]
    var nextGeneration: UInt64 = 0
    var nextHeartbeatAt: ProtocolInstant?
    var scheduledWakeUp: ProtocolInstant?
    var latestNow: ProtocolInstant = .zero
    var duplicateResults = 0
    /// Exponentially weighted mean of recent attempt times in seconds (lease to result, queueing
    /// at the worker included), or nil before the first result; decides prefetch.
    var recentAttemptSeconds: Double?
    var needsLeasing = false
    /// Reports persisted in this batch, to confirm per connection at its end.
    var confirmations: [ConnectionID: [LeaseTicket]] = [:]
    var confirmationOrder: [ConnectionID] = []
    var tally: RejectionTally
    /// Frames refused since this core started, by reason: every one, also those the reporting
    /// window keeps out of the log and unanswered. Only grows; reasons never seen are absent. A
    /// shell mirrors it into a metric; the set of keys is ``RefusalReason``'s, whatever peers send.
    public internal(set) var refusedFrames: [RefusalReason: Int] = [:]
    var outbox: [CoordinatorAction] = []
    /// The adaptive search, with `search: random|tpe`.
    var search: SearchDriver?
    /// The early-stopping rule's state, with `stopping:`.
    var stopper: EarlyStopper?
    /// What the store keeps for both (mirrors ``SweepSnapshot/search``).
    var searchHistory = SearchHistory()

    public init(configuration: Configuration = Configuration()) {
        if let problem = configuration.problem {
            preconditionFailure("invalid coordinator configuration: \(problem): \(configuration)")
        }
        self.configuration = configuration
        tally = RejectionTally(window: configuration.rejectionReportInterval)
        if let sweep = configuration.sweep {
            let minimize = sweep.metric.direction == .minimize
            if sweep.search.isAdaptive { search = SearchDriver(spec: sweep, minimize: minimize) }
            if let rule = sweep.search.stopping { stopper = EarlyStopper(rule: rule, minimize: minimize) }
            if search != nil || stopper != nil { searchHistory.objective = sweep.objective }
        }
    }

    /// Handles one event at `now` and returns what to do, in order.
    public mutating func handle(_ event: CoordinatorEvent, now: ProtocolInstant) -> [CoordinatorAction] {
        handle(CollectionOfOne(event), now: now)
    }

    /// Handles events that arrived together (a shell's poll round) at `now`: each is processed in
    /// order, then leasing, confirmations and the end-of-sweep check run once for the batch.
    public mutating func handle(_ events: some Sequence<CoordinatorEvent>, now: ProtocolInstant) -> [CoordinatorAction] {
        let now = max(now, latestNow)
        latestNow = now
        for event in events {
            switch event {
            case .storeLoaded(let snapshot):
                load(snapshot, now: now)
            case .workerMessage(let peer, let message):
                receive(message, from: peer, now: now)
            case .malformedMessage(let peer, let reason):
                refuse(
                    peer, because: .malformed, detail: reason, level: .warning,
                    reply: .malformedMessage, now: now)
            case .tick:
                tick(now: now)
            case .shutdownRequested:
                requestShutdown(now: now)
            }
        }
        sendConfirmations()
        if needsLeasing {
            suggestForFreeSlots()
            leaseFreeSlots(now: now)
        }
        finishIfDone()
        requestWakeUp()
        let actions = outbox
        outbox = []
        return actions
    }

    // MARK: Inspection

    /// The coordinator's view in store form. For a coordinator that loaded snapshot `s` and
    /// persisted commands `c`, this equals `s.applying(c)` (principals aside).
    public var snapshot: SweepSnapshot {
        SweepSnapshot(
            sweepID: sweepID, dataset: dataset, trials: records, lastLeaseEpoch: lastLeaseEpoch, search: searchHistory)
    }

    /// The configuration of trial `id`, if the sweep has it. O(1).
    public func config(of id: TrialID) -> TrialConfig? { indexByTrial[id].map { records[$0].config } }

    /// Registered workers, by id.
    public var workerStatuses: [WorkerStatus] {
        workers.keys.sorted().map { id in
            let worker = workers[id]!
            let leases = worker.leases.sorted().compactMap { currentTicket($0) }
            return WorkerStatus(
                id: id, connection: worker.connection, hello: worker.hello, slots: worker.slots, leases: leases,
                allowance: worker.allowance, proven: worker.proven, lastHeard: worker.lastHeard)
        }
    }

    /// Trials reserved for a worker of the previous coordinator life that has not re-attached.
    public var unclaimedAttempts: Int { orphanCount }

    /// Counts so far; `outcome` is `completed` only once every trial is final.
    public var summary: SweepSummary { makeSummary(isComplete ? .completed : .interrupted) }

    /// Every trial is final and an adaptive search has nothing left to suggest.
    var isComplete: Bool { openTrials == 0 && (search?.remaining ?? 0) == 0 }

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
        var pendingByModel: [String: [Int]] = [:]
        var reopened = 0
        for index in records.indices {
            switch records[index].state {
            case .running(let ticket, let worker):
                lastLeaseEpoch = max(lastLeaseEpoch, ticket.epoch)
                records[index].attemptsUsed = max(records[index].attemptsUsed, ticket.attempt)
                if let principal = snapshot.workerPrincipals[worker] {
                    orphans[worker, default: []].insert(index)
                    orphanPrincipals[worker] = principal
                    orphanCount += 1
                } else {
                    records[index].state = .pending
                    persist(
                        .trialReturned(
                            trial: ticket.trial, attempt: ticket.attempt,
                            reason:
                                "the coordinator restarted while attempt \(ticket.attempt) ran on worker \(worker), "
                                + "whose identity the store does not know"))
                }
            case .failed(_, let failure) where failure.kind == .infrastructure
                && configuration.reopensInfrastructureFailures:
                records[index].state = .pending
                records[index].infrastructureFailures = 0
                reopened += 1
                persist(
                    .trialReopened(
                        trial: records[index].id,
                        reason: "failed for good through infrastructure (\(failure.message)); retried with a fresh budget"
                    ))
            case .pending, .finished, .failed, .stopped:
                break
            }
            if !records[index].state.isFinal { openTrials += 1 }
            if records[index].state == .pending { pendingByModel[records[index].config.model, default: []].append(index) }
        }
        for (model, indices) in pendingByModel { pending.load(indices, model: model) }
        restoreSearch(snapshot.search)
        if orphanCount > 0 { deadlines.push(.reattachGrace, at: now + configuration.effectiveReattachGrace) }
        phase = .running
        let summary = makeSummary(.interrupted)
        var text =
            "coordinator loaded sweep \(sweepID): \(summary.total) trials, \(summary.unfinished) to run, "
            + "\(summary.finished) finished, \(summary.failed) failed"
        if orphanCount > 0 {
            text += "; \(orphanCount) attempt(s) of the previous run reserved for \(orphans.count) worker(s) to re-attach"
        }
        if reopened > 0 { text += "; \(reopened) infrastructure failure(s) reopened" }
        persist(.event(text))
        log(.info, text)
        needsLeasing = true
    }

    // MARK: Helpers shared by the extensions

    /// The ticket of the running lease of `index`, if any.
    func currentTicket(_ index: Int) -> LeaseTicket? {
        if case .running(let ticket, _) = records[index].state { return ticket }
        return nil
    }

    /// `ticket` is the current lease of its trial and `worker` holds it (adopted, not an orphan).
    func isCurrent(_ ticket: LeaseTicket, heldBy worker: WorkerID) -> Bool {
        guard let index = indexByTrial[ticket.trial], case .running(let current, let holder) = records[index].state,
            current == ticket, holder == worker
        else { return false }
        return workers[worker]?.leases.contains(index) ?? false
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
        case .stopped(let attempt, _, let epoch):
            return "trial \(ticket.trial) was stopped early after epoch \(epoch) (attempt \(attempt))"
        }
    }

    func makeSummary(_ outcome: SweepSummary.Outcome) -> SweepSummary {
        var finished = 0
        var failed = 0
        var stopped = 0
        for record in records {
            switch record.state {
            case .finished: finished += 1
            case .failed: failed += 1
            case .stopped: stopped += 1
            case .pending, .running: break
            }
        }
        return SweepSummary(
            outcome: outcome, total: records.count, finished: finished, failed: failed, unfinished: openTrials,
            duplicateResults: duplicateResults, stopped: stopped, toSuggest: search?.remaining ?? 0)
    }

    mutating func send(_ connection: ConnectionID, _ message: CoordinatorMessage) {
        outbox.append(.send(connection, message))
    }

    /// Sends to worker `name`'s current connection, if it is registered.
    mutating func send(worker name: WorkerID, _ message: CoordinatorMessage) {
        if let connection = workers[name]?.connection { send(connection, message) }
    }

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
