import Sweep

/// A worker's side of the protocol as a value. It performs no I/O and reads no clock: the shell
/// feeds it `WorkerEvent`s (one, or a batch received together) with the current
/// `ProtocolInstant` and carries out the `WorkerAction`s it returns, in order.
///
/// Contracts:
/// - **Registering.** On `.connected` it sends `hello` until some coordinator has welcomed it,
///   and `reattach` after that, each attempt it runs, queues or holds an unconfirmed report
///   for, and the highest lease epoch it has received. One registration per connection:
///   `reject(unknownWorker)` while a registration is unanswered is ignored (it answers a message
///   sent before the registration); after a welcome it means the coordinator forgot this worker
///   (a restart, or it was declared lost), and the worker re-attaches once. `workerIDInUse` and
///   `coordinatorFull` are retried every liveness period.
/// - **Reports.** A result or failure is sent when welcomed (held until then) and kept until the
///   coordinator `confirm`s it: after losing the coordinator or being forgotten, every
///   unconfirmed report is listed in the `reattach` and sent again after the welcome. The
///   coordinator counts a result once; a repeat is recorded as a duplicate. What the worker
///   lists never exceeds the wire's list limit: the coordinator lets no worker hold more, and if
///   one ever did the worker keeps the reports and running attempts first and drops the rest
///   (with an error) rather than fail to encode.
/// - **Acknowledging.** After a batch of events that started or queued new leases, it sends a
///   heartbeat listing them at once: the coordinator counts only acknowledged attempts against a
///   trial's retry budget when a worker is lost, and grows a new worker's allowance per lease
///   acknowledged.
/// - **Heartbeats.** Once welcomed it heartbeats every interval (the coordinator's, from
///   `welcome`) with its running and queued tickets and offered slots (`0` while draining). The
///   coordinator is lost after `liveness` intervals without any message from it: `reconnect`,
///   then reattach. A worker that has never been welcomed says so distinctly ("no answer from …")
///   and gives up with `exit(.unreachable)` after `giveUpAfter`.
/// - **Leases.** A lease starts a trial (`startTrial`); a duplicate lease is ignored; a lease
///   beyond the slots (the coordinator's prefetch, or a slot still held by an attempt it is
///   cancelling) is queued and started when a slot frees. `cancel` stops the attempt
///   (`cancelTrial`) and its completion is then ignored — a cancelled attempt never reports.
/// - **Shutdown.** `shutdownRequested` or the coordinator's `shutdown` starts a drain: slots drop
///   to 0, running attempts may finish and report until `drainTimeout`; leases arriving meanwhile
///   are not started. When nothing is left (or at the deadline, after cancelling what still runs)
///   it sends `goodbye(returning:)` with every attempt it did not report, then `exit(.completed)`.
///   Reports it cannot deliver because the coordinator is lost do not hold the exit back: the
///   coordinator never recorded them, so it runs those trials again.
/// - **Rejection.** `versionMismatch` or `shuttingDown` cancels everything and exits
///   `.rejected`; `malformedMessage` is logged and work goes on.
/// - After `exit` every event is ignored.
public struct WorkerCore: Sendable {
    public let configuration: Configuration
    public internal(set) var connection: WorkerConnection = .notConnected
    public internal(set) var hasExited = false

    /// Attempts started and not yet completed or cancelled, in start order.
    public internal(set) var running: [TrialLease] = []
    /// Leases received while draining: never started, handed back in `goodbye`.
    var unstarted: [TrialLease] = []
    /// Leases that arrived while every slot was busy (the coordinator prefetches for short
    /// trials, or an attempt it declared stale still holds a slot): started in order as slots
    /// free up, reported as running, handed back unstarted on drain.
    var queued: [TrialLease] = []
    /// Results and failures not yet sent (completed while not welcomed, or taken back from
    /// `unconfirmed` when the coordinator was lost), sent after the next `welcome`.
    var heldReports: [WorkerMessage] = []
    /// Reports sent and not yet confirmed, oldest first.
    var unconfirmed: [WorkerMessage] = []
    var everWelcomed = false
    var firstConnectAt: ProtocolInstant?
    /// The highest lease epoch received from a coordinator.
    var leasesThrough: LeaseEpoch = 0
    /// When to send the registration again after `workerIDInUse` or `coordinatorFull`.
    var registrationRetryAt: ProtocolInstant?
    /// New leases arrived in this batch: acknowledge them with a heartbeat at its end.
    var acknowledgementDue = false
    var heartbeatInterval: Duration
    var livenessMisses: Int
    var lastHeard: ProtocolInstant = .zero
    var nextHeartbeatAt: ProtocolInstant?
    var drainDeadline: ProtocolInstant?
    var scheduledWakeUp: ProtocolInstant?
    var latestNow: ProtocolInstant = .zero
    var outbox: [WorkerAction] = []

    public init(configuration: Configuration) {
        precondition(
            configuration.heartbeatInterval > .zero && configuration.livenessMisses >= 1
                && configuration.drainTimeout >= .zero && configuration.maxFailureMessageBytes >= 0
                && (configuration.giveUpAfter ?? .seconds(1)) > .zero && configuration.maxHeldTickets >= 1,
            "invalid worker configuration: \(configuration)")
        self.configuration = configuration
        heartbeatInterval = configuration.heartbeatInterval
        livenessMisses = configuration.livenessMisses
    }

    public var id: WorkerID { configuration.hello.workerID }

    /// Draining before exit.
    public var isDraining: Bool { drainDeadline != nil }

    /// Reports sent and awaiting the coordinator's `confirm`.
    public var unconfirmedReports: Int { unconfirmed.count }

    /// Handles one event at `now` and returns what to do, in order.
    public mutating func handle(_ event: WorkerEvent, now: ProtocolInstant) -> [WorkerAction] {
        handle(CollectionOfOne(event), now: now)
    }

    /// Handles events that arrived together (the frames of one multipart message, say) at `now`.
    public mutating func handle(_ events: some Sequence<WorkerEvent>, now: ProtocolInstant) -> [WorkerAction] {
        guard !hasExited else { return [] }
        let now = max(now, latestNow)
        latestNow = now
        for event in events where !hasExited {
            process(event, now: now)
        }
        if !hasExited, acknowledgementDue, connection == .connected {
            sendHeartbeat()
        }
        acknowledgementDue = false
        if !hasExited, isDraining, running.isEmpty {
            if heldReports.isEmpty {
                leave(returning: unstarted.map(\.ticket))
            } else if connection != .connected {
                log(
                    .warning,
                    "leaving with \(heldReports.count) report(s) the lost coordinator never received; it will run "
                        + "those trials again")
                leave(returning: unstarted.map(\.ticket))
            }
        }
        if !hasExited { requestWakeUp() }
        let actions = outbox
        outbox = []
        return actions
    }

    mutating func process(_ event: WorkerEvent, now: ProtocolInstant) {
        switch event {
        case .connected:
            connect(now: now)
        case .coordinatorMessage(let message):
            lastHeard = now
            receive(message, now: now)
        case .malformedMessage(let reason):
            log(.warning, "ignored a malformed message from the coordinator: \(reason)")
        case .trialProgress(let ticket, let progress):
            if connection == .connected, running.contains(where: { $0.ticket == ticket }) {
                send(.progress(ticket, progress))
            }
        case .trialCompleted(let ticket, let completion):
            complete(ticket, completion, now: now)
        case .tick:
            tick(now: now)
        case .shutdownRequested:
            beginDrain(now: now, reason: "shutdown requested")
        }
    }

    // MARK: Connection

    mutating func connect(now: ProtocolInstant) {
        connection = .awaitingWelcome
        lastHeard = now
        nextHeartbeatAt = nil
        registrationRetryAt = nil
        if firstConnectAt == nil { firstConnectAt = now }
        sendRegistration()
    }

    /// `hello` until a coordinator has welcomed this worker, `reattach` after that.
    mutating func sendRegistration() {
        if everWelcomed {
            holdUnconfirmedReports()
            send(.reattach(configuration.hello, running: registrationTickets(), leasesThrough: leasesThrough))
        } else {
            send(.hello(configuration.hello))
        }
    }

    /// What a `reattach` lists: held reports first (finished work), then running, then queued
    /// attempts; never more than `maxHeldTickets`. Anything beyond is dropped here, with an error:
    /// a coordinator never lets a worker hold that many, so this only guards against a broken one.
    mutating func registrationTickets() -> [LeaseTicket] {
        let limit = configuration.maxHeldTickets
        var tickets = heldReports.compactMap(\.reportTicket)
        if tickets.count > limit {
            log(.error, "holding \(tickets.count) unconfirmed reports, over the limit of \(limit); dropping the oldest")
            heldReports.removeFirst(tickets.count - limit)
            tickets = heldReports.compactMap(\.reportTicket)
        }
        var room = limit - tickets.count
        if running.count > room {
            log(.error, "running \(running.count) attempts with room to list \(room); cancelling the rest")
            for lease in running[room...] { outbox.append(.cancelTrial(lease.ticket)) }
            running.removeLast(running.count - room)
        }
        tickets += running.map(\.ticket)
        room -= running.count
        if queued.count > room {
            log(.error, "\(queued.count) queued leases with room to list \(room); dropping the rest")
            queued.removeLast(queued.count - room)
        }
        tickets += queued.map(\.ticket)
        return tickets
    }

    /// Starts queued leases while slots are free (not while draining).
    mutating func startQueued() {
        while !isDraining, running.count < configuration.hello.slots, !queued.isEmpty {
            let lease = queued.removeFirst()
            running.append(lease)
            outbox.append(.startTrial(lease))
            if logs(.debug) { log(.debug, "starting queued \(lease.ticket) (\(lease.config.label))", metadata(lease.ticket)) }
        }
    }

    mutating func receive(_ message: CoordinatorMessage, now: ProtocolInstant) {
        switch message {
        case .welcome(let interval, let liveness):
            heartbeatInterval = interval > .zero ? interval : configuration.heartbeatInterval
            livenessMisses = max(1, liveness)
            connection = .connected
            everWelcomed = true
            registrationRetryAt = nil
            nextHeartbeatAt = now + heartbeatInterval
            log(.info, "welcomed by \(configuration.coordinatorName) (heartbeat every \(heartbeatInterval))")
            let held = heldReports
            heldReports = []
            for report in held { sendReport(report) }
            if isDraining { sendHeartbeat() }
        case .reject(let rejection):
            reject(rejection, now: now)
        case .lease(let lease):
            accept(lease)
        case .cancel(let ticket, let reason):
            if let position = running.firstIndex(where: { $0.ticket == ticket }) {
                running.remove(at: position)
                outbox.append(.cancelTrial(ticket))
                log(.info, "cancelled \(ticket): \(reason)", metadata(ticket))
                startQueued()
            } else if let position = queued.firstIndex(where: { $0.ticket == ticket }) {
                queued.remove(at: position)
            } else if let position = unstarted.firstIndex(where: { $0.ticket == ticket }) {
                unstarted.remove(at: position)
            } else if let position = heldReports.firstIndex(where: { $0.reportTicket == ticket }) {
                heldReports.remove(at: position)
            } else {
                log(.debug, "cancel for \(ticket), which is not running: \(reason)", metadata(ticket))
            }
        case .confirm(let tickets):
            let confirmed = Set(tickets)
            unconfirmed.removeAll { $0.reportTicket.map(confirmed.contains) ?? true }
            heldReports.removeAll { $0.reportTicket.map(confirmed.contains) ?? true }
        case .heartbeat:
            break
        case .shutdown:
            beginDrain(now: now, reason: "the coordinator asked to shut down")
        }
    }

    mutating func reject(_ rejection: Rejection, now: ProtocolInstant) {
        switch rejection.code {
        case .unknownWorker:
            guard connection == .connected else {
                log(.debug, "the coordinator does not know this worker yet; the registration is on its way")
                return
            }
            log(.info, "the coordinator does not know this worker (it restarted, or declared us lost); reattaching")
            connection = .awaitingWelcome
            nextHeartbeatAt = nil
            sendRegistration()
        case .malformedMessage:
            log(.error, "the coordinator rejected a message: \(rejection.message)")
        case .workerIDInUse, .coordinatorFull:
            log(.error, "the coordinator refused this worker for now: \(rejection.message); trying again in \(liveness)")
            connection = .awaitingWelcome
            nextHeartbeatAt = nil
            registrationRetryAt = now + liveness
        case .versionMismatch, .shuttingDown:
            log(.error, "the coordinator refused this worker: \(rejection.message)")
            for lease in running { outbox.append(.cancelTrial(lease.ticket)) }
            running = []
            queued = []
            hasExited = true
            outbox.append(.exit(.rejected(rejection)))
        }
    }

    mutating func accept(_ lease: TrialLease) {
        let ticket = lease.ticket
        leasesThrough = max(leasesThrough, ticket.epoch)
        if running.contains(where: { $0.ticket == ticket }) || unstarted.contains(where: { $0.ticket == ticket })
            || queued.contains(where: { $0.ticket == ticket })
        {
            log(.debug, "ignored a duplicate lease \(ticket)", metadata(ticket))
        } else if isDraining {
            unstarted.append(lease)
            log(.info, "draining: will hand back \(ticket) unstarted", metadata(ticket))
        } else if running.count >= configuration.hello.slots {
            queued.append(lease)
            acknowledgementDue = true
            if logs(.debug) { log(.debug, "queued \(ticket): every slot is busy; it starts when one frees", metadata(ticket)) }
        } else {
            running.append(lease)
            acknowledgementDue = true
            outbox.append(.startTrial(lease))
            if logs(.debug) { log(.debug, "starting \(ticket) (\(lease.config.label))", metadata(ticket)) }
        }
    }

    mutating func complete(_ ticket: LeaseTicket, _ completion: TrialCompletion, now: ProtocolInstant) {
        guard let position = running.firstIndex(where: { $0.ticket == ticket }) else {
            log(.debug, "ignored the completion of \(ticket), which is not running (cancelled)", metadata(ticket))
            return
        }
        running.remove(at: position)
        defer { startQueued() }
        let report: WorkerMessage
        switch completion {
        case .finished(let metrics):
            report = .result(ticket, metrics)
        case .failed(let failure):
            report = .failure(
                ticket,
                TrialFailure(
                    kind: failure.kind,
                    message: Self.truncate(failure.message, to: configuration.maxFailureMessageBytes))
            )
        }
        if connection == .connected {
            sendReport(report)
        } else {
            heldReports.append(report)
            log(.info, "holding the report of \(ticket) until the coordinator welcomes us", metadata(ticket))
        }
    }

    // MARK: Time and shutdown

    var liveness: Duration { heartbeatInterval * livenessMisses }

    mutating func tick(now: ProtocolInstant) {
        if let deadline = drainDeadline, deadline <= now {
            for lease in running { outbox.append(.cancelTrial(lease.ticket)) }
            let returning = running.map(\.ticket) + unstarted.map(\.ticket)
            if !heldReports.isEmpty || !unconfirmed.isEmpty {
                log(
                    .warning,
                    "drain timed out; \(heldReports.count + unconfirmed.count) report(s) were not confirmed by the coordinator")
            }
            running = []
            unstarted = []
            heldReports = []
            unconfirmed = []
            leave(returning: returning)
            return
        }
        guard connection != .notConnected else { return }
        if !everWelcomed, let giveUpAfter = configuration.giveUpAfter, let first = firstConnectAt,
            first + giveUpAfter <= now
        {
            let text =
                "no answer from \(configuration.coordinatorName) in \(giveUpAfter): check the address, that the "
                + "coordinator runs, and --server-key"
            log(.error, text)
            for lease in running { outbox.append(.cancelTrial(lease.ticket)) }
            running = []
            hasExited = true
            outbox.append(.exit(.unreachable(text)))
            return
        }
        if let retry = registrationRetryAt, retry <= now, connection == .awaitingWelcome {
            registrationRetryAt = nil
            lastHeard = now
            sendRegistration()
        } else if lastHeard + liveness <= now {
            if everWelcomed {
                log(.warning, "coordinator lost: nothing heard for \(lastHeard.duration(to: now)); reconnecting")
            } else {
                log(
                    .warning,
                    "no answer from \(configuration.coordinatorName) for \(lastHeard.duration(to: now)): check the "
                        + "address, that the coordinator runs, and --server-key; retrying")
            }
            holdUnconfirmedReports()
            connection = .reconnecting
            lastHeard = now
            nextHeartbeatAt = nil
            registrationRetryAt = nil
            outbox.append(.reconnect)
        } else if connection == .connected, let next = nextHeartbeatAt, next <= now {
            sendHeartbeat()
            nextHeartbeatAt = now + heartbeatInterval
        }
    }

    mutating func beginDrain(now: ProtocolInstant, reason: String) {
        guard drainDeadline == nil else { return }
        drainDeadline = now + configuration.drainTimeout
        unstarted += queued
        queued = []
        log(.info, "\(reason): draining \(running.count) running attempt(s) for up to \(configuration.drainTimeout)")
        if connection == .connected { sendHeartbeat() }
    }

    mutating func leave(returning: [LeaseTicket]) {
        send(.goodbye(returning: Array(returning.prefix(configuration.maxHeldTickets))))
        log(.info, "leaving; handing back \(returning.count) attempt(s)")
        hasExited = true
        outbox.append(.exit(.completed))
    }

    mutating func sendHeartbeat() {
        let tickets = running.map(\.ticket) + queued.map(\.ticket)
        send(.heartbeat(running: Array(tickets.prefix(configuration.maxHeldTickets)), slots: isDraining ? 0 : configuration.hello.slots))
    }

    mutating func requestWakeUp() {
        var earliest = drainDeadline
        func consider(_ instant: ProtocolInstant?) {
            guard let instant else { return }
            earliest = min(earliest ?? instant, instant)
        }
        if connection == .connected { consider(nextHeartbeatAt) }
        if connection != .notConnected { consider(lastHeard + liveness) }
        consider(registrationRetryAt)
        if !everWelcomed, let first = firstConnectAt, let giveUpAfter = configuration.giveUpAfter {
            consider(first + giveUpAfter)
        }
        if let earliest, earliest != scheduledWakeUp {
            scheduledWakeUp = earliest
            outbox.append(.scheduleWakeUp(at: earliest))
        }
    }

    // MARK: Helpers

    mutating func send(_ message: WorkerMessage) { outbox.append(.send(message)) }

    /// Sends a result or failure and keeps it until the coordinator confirms it.
    mutating func sendReport(_ report: WorkerMessage) {
        send(report)
        unconfirmed.append(report)
    }

    /// The connection is gone or the coordinator forgot us: unconfirmed reports are held again,
    /// so the reattach lists their tickets and the welcome sends them again.
    mutating func holdUnconfirmedReports() {
        guard !unconfirmed.isEmpty else { return }
        log(.info, "will resend \(unconfirmed.count) unconfirmed report(s) after reattaching")
        heldReports = unconfirmed + heldReports
        unconfirmed = []
    }

    /// Whether `log(level, …)` would produce anything: hot paths check it before building text.
    func logs(_ level: LogLevel) -> Bool { level >= configuration.logLevel }

    mutating func log(_ level: LogLevel, _ message: String, _ metadata: [String: String] = [:]) {
        guard logs(level) else { return }
        var metadata = metadata
        metadata["worker.id"] = id.rawValue
        outbox.append(.log(level, message, metadata: metadata))
    }

    func metadata(_ ticket: LeaseTicket) -> [String: String] {
        [
            "trial.id": ticket.trial.rawValue, "attempt": String(ticket.attempt),
            "lease.epoch": String(ticket.epoch.rawValue),
        ]
    }

    /// `text` cut to at most `limit` UTF-8 bytes on a character boundary, marked when cut.
    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let marker = " … (truncated)"
        let budget = max(0, limit - marker.utf8.count)
        var used = 0
        var cut = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if used + size > budget { break }
            used += size
            cut = text.index(after: index)
        }
        return String(text[..<cut]) + (limit >= marker.utf8.count ? marker : "")
    }
}
