import Sweep

// Worker messages: registration, heartbeats, progress, results, failures, goodbyes.

extension CoordinatorCore {
    mutating func receive(_ message: WorkerMessage, from id: WorkerID, now: ProtocolInstant) {
        if phase == .finished {
            if case .goodbye = message {
                log(.debug, "worker \(id) said goodbye", ["worker.id": id.rawValue])
            } else {
                send(id, .shutdown)
            }
            return
        }
        switch message {
        case .hello(let hello):
            register(id, hello, running: nil, now: now)
        case .reattach(let hello, let running):
            register(id, hello, running: running, now: now)
        case .heartbeat(let running, let slots):
            heartbeat(from: id, running: running, slots: slots, now: now)
        case .progress(let ticket, let progress):
            self.progress(ticket, progress, from: id, now: now)
        case .result(let ticket, let metrics):
            result(ticket, metrics, from: id, now: now)
        case .failure(let ticket, let failure):
            self.failure(ticket, failure, from: id, now: now)
        case .goodbye(let returning):
            goodbye(from: id, returning: returning)
        }
    }

    /// `hello` (`running == nil`) or `reattach`.
    mutating func register(_ id: WorkerID, _ hello: WorkerHello, running: [LeaseTicket]?, now: ProtocolInstant) {
        let kind = running == nil ? "hello" : "reattach"
        let meta = ["worker.id": id.rawValue]
        guard hello.workerID == id else {
            let message =
                "\(kind) names worker '\(hello.workerID)' but arrived from '\(id)'; "
                + "a worker's routing id must equal its worker id"
            send(id, .reject(Rejection(code: .malformedMessage, message: message)))
            log(.warning, "rejected \(kind) from \(id) naming \(hello.workerID)", meta)
            return
        }
        guard hello.protocolVersion == configuration.protocolVersion else {
            let message =
                "worker \(id) speaks protocol version \(hello.protocolVersion) but this coordinator speaks "
                + "version \(configuration.protocolVersion); run the same crossrec release on both sides"
            send(id, .reject(Rejection(code: .versionMismatch, message: message)))
            log(.warning, "rejected worker \(id): protocol version \(hello.protocolVersion)", meta)
            return
        }
        if workers[id] == nil, case .draining = phase {
            send(id, .reject(Rejection(code: .shuttingDown, message: "the coordinator is shutting down")))
            log(.info, "turned away worker \(id): shutting down", meta)
            return
        }
        let listed = Set(running ?? [])
        if let known = workers[id] {
            if known.hello.pid != hello.pid || known.hello.host != hello.host {
                let was = "was \(known.hello.host) pid \(known.hello.pid)"
                log(.notice, "worker \(id) re-registered as \(hello.host) pid \(hello.pid) (\(was))", meta)
            }
            workers[id]!.hello = hello
            workers[id]!.models = Set(hello.models)
            workers[id]!.slots = hello.slots
            workers[id]!.lastHeard = now
            for index in known.leases.sorted() {
                guard let ticket = currentTicket(index), !listed.contains(ticket) else { continue }
                let reason =
                    running == nil
                    ? "worker \(id) restarted (new hello) while running attempt \(ticket.attempt)"
                    : "worker \(id) reconnected without attempt \(ticket.attempt)"
                failInfrastructure(index, reason: reason)
            }
            log(.info, "worker \(id) reconnected (\(kind))", meta)
        } else {
            workers[id] = Worker(hello: hello, models: Set(hello.models), slots: hello.slots, lastHeard: now)
            persist(.workerJoined(hello))
            log(.info, "worker \(id) joined: \(hello.host) pid \(hello.pid), \(hello.slots) slot(s)", meta)
            if nextHeartbeatAt == nil { nextHeartbeatAt = now + configuration.heartbeatInterval }
        }
        send(id, .welcome(heartbeatInterval: configuration.heartbeatInterval, liveness: configuration.livenessMisses))
        for ticket in running ?? [] where !isCurrent(ticket, heldBy: id) {
            send(id, .cancel(ticket, reason: staleness(of: ticket, from: id)))
        }
        if case .draining = phase { send(id, .shutdown) }
        needsLeasing = true
    }

    mutating func heartbeat(from id: WorkerID, running: [LeaseTicket], slots: Int, now: ProtocolInstant) {
        guard workers[id] != nil else { return rejectUnknown(id, "heartbeat") }
        workers[id]!.lastHeard = now
        if workers[id]!.slots != slots {
            log(.debug, "worker \(id) now offers \(slots) slot(s)", ["worker.id": id.rawValue])
            workers[id]!.slots = slots
            needsLeasing = true
        }
        for ticket in running where !isCurrent(ticket, heldBy: id) {
            send(id, .cancel(ticket, reason: staleness(of: ticket, from: id)))
        }
    }

    mutating func progress(_ ticket: LeaseTicket, _ progress: TrialProgress, from id: WorkerID, now: ProtocolInstant) {
        guard workers[id] != nil else { return rejectUnknown(id, "progress") }
        workers[id]!.lastHeard = now
        if isCurrent(ticket, heldBy: id) {
            let total = progress.totalEpochs.map { "/\($0)" } ?? ""
            log(.debug, "trial \(ticket.trial) epoch \(progress.epoch)\(total)", metadata(ticket, id))
        } else {
            send(id, .cancel(ticket, reason: staleness(of: ticket, from: id)))
        }
    }

    mutating func result(_ ticket: LeaseTicket, _ metrics: TrialMetrics, from id: WorkerID, now: ProtocolInstant) {
        let known = workers[id] != nil
        if known { workers[id]!.lastHeard = now }
        defer { if !known { rejectUnknown(id, "result") } }
        guard let index = indexByTrial[ticket.trial] else {
            log(.warning, "result for trial \(ticket.trial), which is not in this sweep", metadata(ticket, id))
            return
        }
        guard isCurrent(ticket, heldBy: id) else {
            duplicateResults += 1
            persist(.duplicateResult(ticket, worker: id))
            log(.notice, "result not counted: \(staleness(of: ticket, from: id))", metadata(ticket, id))
            return
        }
        observeAttempt(index, finishedAt: now)
        endLease(index)
        records[index].state = .finished(attempt: ticket.attempt, worker: id)
        openTrials -= 1
        persist(.trialFinished(trial: ticket.trial, attempt: ticket.attempt, metrics: metrics, worker: id))
        if logs(.info) { log(.info, "trial \(ticket.trial) finished (attempt \(ticket.attempt))", metadata(ticket, id)) }
        needsLeasing = true
    }

    mutating func failure(_ ticket: LeaseTicket, _ failure: TrialFailure, from id: WorkerID, now: ProtocolInstant) {
        let known = workers[id] != nil
        if known { workers[id]!.lastHeard = now }
        defer { if !known { rejectUnknown(id, "failure") } }
        guard let index = indexByTrial[ticket.trial], isCurrent(ticket, heldBy: id) else {
            log(.debug, "failure report not counted: \(staleness(of: ticket, from: id))", metadata(ticket, id))
            return
        }
        switch failure.kind {
        case .deterministic:
            endLease(index)
            records[index].state = .failed(attempt: ticket.attempt, failure: failure)
            openTrials -= 1
            persist(.trialFailed(trial: ticket.trial, attempt: ticket.attempt, failure: failure, willRetry: false))
            log(.warning, "trial \(ticket.trial) failed (not retried): \(failure.message)", metadata(ticket, id))
            needsLeasing = true
        case .infrastructure:
            failInfrastructure(index, reason: failure.message)
        }
    }

    mutating func goodbye(from id: WorkerID, returning: [LeaseTicket]) {
        guard let worker = workers[id] else {
            log(.debug, "goodbye from unregistered worker \(id)", ["worker.id": id.rawValue])
            return
        }
        let returned = Set(returning)
        for index in worker.leases.sorted() {
            guard let ticket = currentTicket(index) else { continue }
            if returned.contains(ticket) {
                returnAttempt(index, reason: "worker \(id) handed attempt \(ticket.attempt) back on shutdown")
            } else {
                failInfrastructure(
                    index, reason: "worker \(id) left without reporting or returning attempt \(ticket.attempt)")
            }
        }
        removeWorker(id, reason: "said goodbye")
    }

    mutating func rejectUnknown(_ id: WorkerID, _ kind: String) {
        send(
            id,
            .reject(
                Rejection(
                    code: .unknownWorker,
                    message:
                        "worker \(id) is not registered with this coordinator; send reattach with your running leases"
                )))
        log(.debug, "\(kind) from unregistered worker \(id); asked it to reattach", ["worker.id": id.rawValue])
    }

    /// Forgets `id` (whose leases must already be ended) and records why.
    mutating func removeWorker(_ id: WorkerID, reason: String) {
        workers[id] = nil
        persist(.workerLost(id, reason: reason))
        if workers.isEmpty { nextHeartbeatAt = nil }
        needsLeasing = true
    }
}
