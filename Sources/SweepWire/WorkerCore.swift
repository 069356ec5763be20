public import Sweep

/// A worker's side of the protocol as a value. It performs no I/O and reads no clock: the shell
/// feeds it `WorkerEvent`s with the current `ProtocolInstant` and carries out the `WorkerAction`s
/// it returns, in order.
///
/// Contracts:
/// - **Connecting.** On the first `.connected` it sends `hello`; on every later one `reattach`
///   listing each attempt it still runs or holds an unsent result for. Reports sent within the
///   last liveness window before the coordinator was lost count as unsent (they may have died
///   with the connection) and are sent again after the welcome; the coordinator never counts a
///   result twice. Nothing but hello/reattach
///   is sent until `welcome`; results completed meanwhile are held and sent right after it.
/// - **Heartbeats.** Once welcomed it heartbeats every interval (the coordinator's, from
///   `welcome`) with its running tickets and offered slots (`0` while draining). The coordinator is
///   lost after `liveness` intervals without any message from it: `reconnect`, then reattach.
///   `reject(unknownWorker)` (a restarted coordinator) also leads to `reattach`.
/// - **Leases.** A lease starts a trial (`startTrial`); a duplicate lease is ignored; a lease
///   beyond the slots (the coordinator's prefetch, or a slot still held by an attempt it is
///   cancelling) is queued and started when a slot frees. `cancel` stops the attempt
///   (`cancelTrial`) and its completion is then ignored — a cancelled attempt never reports.
/// - **Shutdown.** `shutdownRequested` or the coordinator's `shutdown` starts a drain: slots drop
///   to 0, running attempts may finish and report until `drainTimeout`; leases arriving meanwhile
///   are not started. When nothing is left (or at the deadline, after cancelling what still runs)
///   it sends `goodbye(returning:)` with every attempt it did not report, then `exit(.completed)`.
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
    /// Results and failures completed while not welcomed, sent after the next `welcome`.
    var heldReports: [WorkerMessage] = []
    /// Reports sent within the last liveness window, oldest first: if the coordinator is then
    /// lost, one of them may have died with the connection, so they are held again and resent
    /// after the reattach (which lists their tickets, keeping the leases current). The
    /// coordinator counts a result once; a repeat is recorded as a duplicate. The newest
    /// `maxUnconfirmedReports` are kept (trimmed in bulk at twice that, so a fast worker does
    /// not shift the whole list on every result).
    var unconfirmedReports: [(report: WorkerMessage, sentAt: ProtocolInstant)] = []
    static let maxUnconfirmedReports = 1024
    var hasConnected = false
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
                && configuration.drainTimeout >= .zero && configuration.maxFailureMessageBytes >= 0,
            "invalid worker configuration: \(configuration)")
        self.configuration = configuration
        heartbeatInterval = configuration.heartbeatInterval
        livenessMisses = configuration.livenessMisses
    }

    public var id: WorkerID { configuration.hello.workerID }

    /// Draining before exit.
    public var isDraining: Bool { drainDeadline != nil }

    /// Handles one event at `now` and returns what to do, in order.
    public mutating func handle(_ event: WorkerEvent, now: ProtocolInstant) -> [WorkerAction] {
        guard !hasExited else { return [] }
        let now = max(now, latestNow)
        latestNow = now
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
        if !hasExited, isDraining, running.isEmpty, heldReports.isEmpty {
            leave(returning: unstarted.map(\.ticket))
        }
        if !hasExited { requestWakeUp() }
        let actions = outbox
        outbox = []
        return actions
    }

    // MARK: Connection

    mutating func connect(now: ProtocolInstant) {
        connection = .awaitingWelcome
        lastHeard = now
        nextHeartbeatAt = nil
        if hasConnected {
            send(.reattach(configuration.hello, running: reportableTickets))
        } else {
            send(.hello(configuration.hello))
            hasConnected = true
        }
    }

    /// Attempts the coordinator should keep for us: running ones and ones with a held report.
    var reportableTickets: [LeaseTicket] {
        running.map(\.ticket) + queued.map(\.ticket) + heldReports.compactMap(\.reportTicket)
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
            nextHeartbeatAt = now + heartbeatInterval
            log(.info, "welcomed by the coordinator (heartbeat every \(heartbeatInterval))")
            let held = heldReports
            heldReports = []
            for report in held { sendReport(report, now: now) }
            if isDraining { sendHeartbeat() }
        case .reject(let rejection):
            switch rejection.code {
            case .unknownWorker:
                log(.info, "the coordinator does not know this worker; reattaching")
                holdUnconfirmedReports()  // a restarted coordinator may never have stored them
                connection = .awaitingWelcome
                send(.reattach(configuration.hello, running: reportableTickets))
            case .malformedMessage:
                log(.error, "the coordinator rejected a message: \(rejection.message)")
            case .versionMismatch, .shuttingDown:
                log(.error, "the coordinator refused this worker: \(rejection.message)")
                for lease in running { outbox.append(.cancelTrial(lease.ticket)) }
                running = []
                queued = []
                hasExited = true
                outbox.append(.exit(.rejected(rejection)))
            }
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
        case .heartbeat:
            break
        case .shutdown:
            beginDrain(now: now, reason: "the coordinator asked to shut down")
        }
    }

    mutating func accept(_ lease: TrialLease) {
        let ticket = lease.ticket
        if running.contains(where: { $0.ticket == ticket }) || unstarted.contains(where: { $0.ticket == ticket })
            || queued.contains(where: { $0.ticket == ticket })
        {
            log(.debug, "ignored a duplicate lease \(ticket)", metadata(ticket))
        } else if isDraining {
            unstarted.append(lease)
            log(.info, "draining: will hand back \(ticket) unstarted", metadata(ticket))
        } else if running.count >= configuration.hello.slots {
            queued.append(lease)
            if logs(.debug) { log(.debug, "queued \(ticket): every slot is busy; it starts when one frees", metadata(ticket)) }
        } else {
            running.append(lease)
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
            sendReport(report, now: now)
        } else {
            heldReports.append(report)
            log(.info, "holding the report of \(ticket) until the coordinator welcomes us", metadata(ticket))
        }
    }

    // MARK: Time and shutdown

    mutating func tick(now: ProtocolInstant) {
        if let deadline = drainDeadline, deadline <= now {
            for lease in running { outbox.append(.cancelTrial(lease.ticket)) }
            let returning = running.map(\.ticket) + unstarted.map(\.ticket)
            if !heldReports.isEmpty {
                log(.warning, "drain timed out; \(heldReports.count) report(s) could not be delivered")
            }
            running = []
            unstarted = []
            heldReports = []
            leave(returning: returning)
            return
        }
        guard connection != .notConnected else { return }
        let liveness = heartbeatInterval * livenessMisses
        if lastHeard + liveness <= now {
            log(.warning, "coordinator lost: nothing heard for \(lastHeard.duration(to: now)); reconnecting")
            holdUnconfirmedReports()
            connection = .reconnecting
            lastHeard = now
            nextHeartbeatAt = nil
            outbox.append(.reconnect)
        } else if connection == .connected, let next = nextHeartbeatAt, next <= now {
            sendHeartbeat()
            nextHeartbeatAt = now + heartbeatInterval
        }
        // A report sent a whole liveness window ago while the coordinator kept talking to us
        // went through the same ordered connection: stop tracking it.
        if let keep = unconfirmedReports.firstIndex(where: { $0.sentAt + liveness > now }) {
            if keep > 0 { unconfirmedReports.removeFirst(keep) }
        } else {
            unconfirmedReports = []
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
        send(.goodbye(returning: returning))
        log(.info, "leaving; handing back \(returning.count) attempt(s)")
        hasExited = true
        outbox.append(.exit(.completed))
    }

    mutating func sendHeartbeat() {
        send(.heartbeat(running: running.map(\.ticket) + queued.map(\.ticket), slots: isDraining ? 0 : configuration.hello.slots))
    }

    mutating func requestWakeUp() {
        var earliest = drainDeadline
        func consider(_ instant: ProtocolInstant) { earliest = min(earliest ?? instant, instant) }
        if connection == .connected, let next = nextHeartbeatAt { consider(next) }
        if connection != .notConnected { consider(lastHeard + heartbeatInterval * livenessMisses) }
        if let earliest, earliest != scheduledWakeUp {
            scheduledWakeUp = earliest
            outbox.append(.scheduleWakeUp(at: earliest))
        }
    }

    // MARK: Helpers

    mutating func send(_ message: WorkerMessage) { outbox.append(.send(message)) }

    /// Sends a result or failure and tracks it until a liveness window has passed.
    mutating func sendReport(_ report: WorkerMessage, now: ProtocolInstant) {
        send(report)
        unconfirmedReports.append((report, now))
        if unconfirmedReports.count >= 2 * Self.maxUnconfirmedReports {
            unconfirmedReports.removeFirst(unconfirmedReports.count - Self.maxUnconfirmedReports)
        }
    }

    /// The connection is gone or the coordinator forgot us: recent reports are held again, so
    /// the reattach lists their tickets and the welcome sends them again.
    mutating func holdUnconfirmedReports() {
        guard !unconfirmedReports.isEmpty else { return }
        log(.info, "will resend \(unconfirmedReports.count) recent report(s) after reattaching")
        heldReports = unconfirmedReports.map(\.report) + heldReports
        unconfirmedReports = []
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
