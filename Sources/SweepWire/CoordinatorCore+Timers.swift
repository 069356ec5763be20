import Sweep

// Time-driven behaviour: liveness, lease timeouts, the re-attach grace, heartbeats, rejection
// summaries, shutdown and the end of the sweep.

extension CoordinatorCore {
    mutating func tick(now: ProtocolInstant) {
        if phase == .finished { return }
        while let (deadline, _) = deadlines.popDue(now) {
            switch deadline {
            case .liveness(let name, let generation):
                guard let worker = workers[name], worker.generation == generation else { continue }
                let silentUntil = worker.lastHeard + configuration.liveness
                if silentUntil > now {
                    deadlines.push(deadline, at: silentUntil)
                } else {
                    loseWorker(
                        name,
                        reason:
                            "silent for \(worker.lastHeard.duration(to: now)) (\(configuration.livenessMisses) heartbeats missed)"
                    )
                }
            case .lease(let index, let epoch):
                guard case .running(let ticket, let worker) = records[index].state, ticket.epoch == epoch,
                    let due = leaseDeadlines[index], due <= now
                else { continue }
                let timeout = records[index].timeout ?? configuration.defaultTrialTimeout
                send(worker: worker, .cancel(ticket, reason: "timed out after \(timeout)"))
                failInfrastructure(
                    index,
                    reason:
                        "attempt \(ticket.attempt) timed out after \(timeout) without a result "
                        + "(worker \(worker) still heartbeating)")
            case .reattachGrace:
                for name in orphans.keys.sorted() {
                    for index in orphans[name]!.sorted() {
                        returnOrphan(
                            index,
                            reason:
                                "the coordinator restarted and worker \(name) did not take attempt back within "
                                + "\(configuration.effectiveReattachGrace)")
                    }
                }
            }
        }
        // Stale entries (moved liveness checks, ended leases) outnumbering live ones: rebuild.
        let live = leaseDeadlines.count + workers.count + 1
        if deadlines.count > 2 * live + 1024 { compactDeadlines() }
        if let next = nextHeartbeatAt, next <= now {
            for name in workers.keys.sorted() { send(worker: name, .heartbeat) }
            nextHeartbeatAt = workers.isEmpty ? nil : now + configuration.heartbeatInterval
        }
        for (key, count) in tally.close(now: now) {
            log(
                .warning, "rejected \(count) \(key.reason) from \(key.source) in the last \(configuration.rejectionReportInterval)",
                ["peer": key.source])
        }
        if case .draining(let until) = phase, until <= now {
            for index in leaseDeadlines.keys.sorted() {
                guard case .running(let ticket, let worker) = records[index].state else { continue }
                send(worker: worker, .cancel(ticket, reason: "the coordinator is shutting down"))
                returnAttempt(index, reason: "the coordinator shut down before attempt \(ticket.attempt) reported")
            }
            for name in orphans.keys.sorted() {
                for index in orphans[name]!.sorted() {
                    returnOrphan(index, reason: "the coordinator shut down before worker \(name) re-attached")
                }
            }
            finish(isComplete ? .completed : .interrupted)
        }
    }

    mutating func compactDeadlines() {
        let workers = self.workers
        let leaseDeadlines = self.leaseDeadlines
        let records = self.records
        let orphansLeft = orphanCount > 0
        deadlines.compact { deadline in
            switch deadline {
            case .liveness(let name, let generation): return workers[name]?.generation == generation
            case .lease(let index, let epoch):
                guard leaseDeadlines[index] != nil, case .running(let ticket, _) = records[index].state else { return false }
                return ticket.epoch == epoch
            case .reattachGrace: return orphansLeft
            }
        }
    }

    mutating func loseWorker(_ name: WorkerID, reason: String) {
        guard let worker = workers[name] else { return }
        if worker.proven {
            log(.warning, "worker \(name) lost: \(reason)", ["worker.id": name.rawValue])
        } else if tally.note(
            "workers lost before acknowledging a lease", source: worker.peer.address ?? "unknown addresses",
            now: latestNow)
        {
            log(.warning, "worker \(name) lost before acknowledging any lease: \(reason)", ["worker.id": name.rawValue])
        }
        for index in worker.leases.sorted() {
            guard let ticket = currentTicket(index) else { continue }
            giveUp(index, of: name, because: "worker \(name) was lost (\(reason)) while holding attempt \(ticket.attempt)")
        }
        removeWorker(name, reason: reason)
    }

    mutating func requestShutdown(now: ProtocolInstant) {
        switch phase {
        case .loading:
            finish(.interrupted)
        case .running:
            phase = .draining(until: now + configuration.drainTimeout)
            let running = leaseDeadlines.count + orphanCount
            persist(
                .event(
                    "shutdown requested: no new leases; waiting up to \(configuration.drainTimeout) "
                        + "for \(running) running attempt(s)"))
            log(.notice, "shutting down: draining \(running) running attempt(s)")
            for name in workers.keys.sorted() { send(worker: name, .shutdown) }
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
            if isComplete { finish(.completed) }
        case .draining:
            if leaseDeadlines.isEmpty && orphanCount == 0 { finish(isComplete ? .completed : .interrupted) }
        }
    }

    mutating func finish(_ outcome: SweepSummary.Outcome) {
        let wasDraining: Bool
        if case .draining = phase { wasDraining = true } else { wasDraining = false }
        phase = .finished
        nextHeartbeatAt = nil
        if !wasDraining {
            for name in workers.keys.sorted() { send(worker: name, .shutdown) }
        }
        let summary = makeSummary(outcome)
        persist(.event("sweep \(summary)"))
        log(.notice, "sweep \(summary)")
        outbox.append(.sweepFinished(summary))
    }

    /// Asks for a tick at the earliest deadline, when that changed since the last request.
    mutating func requestWakeUp() {
        var earliest: ProtocolInstant?
        func consider(_ instant: ProtocolInstant?) {
            guard let instant else { return }
            earliest = min(earliest ?? instant, instant)
        }
        switch phase {
        case .finished: return
        case .draining(let until): consider(until)
        case .loading, .running: break
        }
        consider(nextHeartbeatAt)
        consider(deadlines.earliest)
        consider(tally.windowEndsAt)
        if let earliest, earliest != scheduledWakeUp {
            scheduledWakeUp = earliest
            outbox.append(.scheduleWakeUp(at: earliest))
        }
    }
}
