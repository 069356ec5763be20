import Sweep

// Time-driven behaviour: liveness, lease timeouts, heartbeats, shutdown and the end of the sweep.

extension CoordinatorCore {
    mutating func tick(now: ProtocolInstant) {
        if phase == .finished { return }
        let liveness = configuration.liveness
        for id in workers.keys.sorted() {
            let lastHeard = workers[id]!.lastHeard
            guard lastHeard + liveness <= now else { continue }
            loseWorker(
                id,
                reason:
                    "silent for \(lastHeard.duration(to: now)) (\(configuration.livenessMisses) heartbeats missed)")
        }
        for index in deadlines.keys.sorted() where deadlines[index]! <= now {
            guard case .running(let ticket, let worker) = records[index].state else { continue }
            let timeout = records[index].timeout ?? configuration.defaultTrialTimeout
            send(worker, .cancel(ticket, reason: "timed out after \(timeout)"))
            let reason =
                "attempt \(ticket.attempt) timed out after \(timeout) without a result "
                + "(worker \(worker) still heartbeating)"
            failInfrastructure(index, reason: reason)
        }
        if let next = nextHeartbeatAt, next <= now {
            for id in workers.keys.sorted() { send(id, .heartbeat) }
            nextHeartbeatAt = workers.isEmpty ? nil : now + configuration.heartbeatInterval
        }
        if case .draining(let until) = phase, until <= now {
            for index in deadlines.keys.sorted() {
                guard case .running(let ticket, let worker) = records[index].state else { continue }
                send(worker, .cancel(ticket, reason: "the coordinator is shutting down"))
                returnAttempt(
                    index, reason: "the coordinator shut down before attempt \(ticket.attempt) reported")
            }
            finish(openTrials == 0 ? .completed : .interrupted)
        }
    }

    mutating func loseWorker(_ id: WorkerID, reason: String) {
        guard let worker = workers[id] else { return }
        log(.warning, "worker \(id) lost: \(reason)", ["worker.id": id.rawValue])
        for index in worker.leases.sorted() {
            guard let ticket = currentTicket(index) else { continue }
            failInfrastructure(
                index, reason: "worker \(id) was lost (\(reason)) while running attempt \(ticket.attempt)")
        }
        removeWorker(id, reason: reason)
    }

    mutating func requestShutdown(now: ProtocolInstant) {
        switch phase {
        case .loading:
            finish(.interrupted)
        case .running:
            phase = .draining(until: now + configuration.drainTimeout)
            let running = deadlines.count
            persist(
                .event(
                    "shutdown requested: no new leases; waiting up to \(configuration.drainTimeout) "
                        + "for \(running) running attempt(s)"))
            log(.notice, "shutting down: draining \(deadlines.count) running attempt(s)")
            for id in workers.keys.sorted() { send(id, .shutdown) }
        case .draining, .finished:
            log(.debug, "shutdown already in progress")
        }
    }

    /// Ends the sweep when nothing is left to run, or when draining and nothing is running.
    mutating func finishIfDone() {
        switch phase {
        case .loading, .finished:
            return
        case .running:
            if openTrials == 0 { finish(.completed) }
        case .draining:
            if deadlines.isEmpty { finish(openTrials == 0 ? .completed : .interrupted) }
        }
    }

    mutating func finish(_ outcome: SweepSummary.Outcome) {
        let wasDraining: Bool
        if case .draining = phase { wasDraining = true } else { wasDraining = false }
        phase = .finished
        nextHeartbeatAt = nil
        if !wasDraining {
            for id in workers.keys.sorted() { send(id, .shutdown) }
        }
        let summary = makeSummary(outcome)
        persist(.event("sweep \(summary)"))
        log(.notice, "sweep \(summary)")
        outbox.append(.sweepFinished(summary))
    }

    /// Asks for a tick at the earliest deadline, when that changed since the last request.
    mutating func requestWakeUp() {
        var earliest: ProtocolInstant?
        func consider(_ instant: ProtocolInstant) { earliest = min(earliest ?? instant, instant) }
        switch phase {
        case .finished: return
        case .draining(let until): consider(until)
        case .loading, .running: break
        }
        if let next = nextHeartbeatAt { consider(next) }
        for worker in workers.values { consider(worker.lastHeard + configuration.liveness) }
        for deadline in deadlines.values { consider(deadline) }
        if let earliest, earliest != scheduledWakeUp {
            scheduledWakeUp = earliest
            outbox.append(.scheduleWakeUp(at: earliest))
        }
    }
}
