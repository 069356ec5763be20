import Sweep

// Who a connection is: hello, reattach, goodbye, refusals, and the worker table.

extension CoordinatorCore {
    /// Dispatches one worker message.
    mutating func receive(_ message: WorkerMessage, from peer: Peer, now: ProtocolInstant) {
        switch phase {
        case .loading:
            // The shell loads the store before it reads the socket; anything earlier is dropped.
            log(.debug, "dropped \(message.kind) from \(peer): the store is not loaded yet")
            return
        case .finished:
            if case .goodbye = message {
                // Forgotten without a record: the sweep's store is closed for business.
                if let name = workerByConnection.removeValue(forKey: peer.connection) {
                    workers[name] = nil
                    log(.debug, "worker \(name) said goodbye after the sweep ended", ["worker.id": name.rawValue])
                } else {
                    log(.debug, "goodbye from \(peer) after the sweep ended, from no registered worker")
                }
                return
            }
            refusedFrames[.sweepEnded, default: 0] += 1
            if tally.note(RefusalReason.sweepEnded.phrase, source: peer.connection.rawValue, now: now) {
                send(peer.connection, .shutdown)
            }
            return
        case .running, .draining:
            break
        }
        switch message {
        case .hello(let hello):
            register(peer, hello, reattach: nil, now: now)
        case .reattach(let hello, let running, let through):
            register(peer, hello, reattach: (running, through), now: now)
        case .heartbeat, .progress, .result, .failure, .goodbye:
            guard let name = workerByConnection[peer.connection] else {
                return refuse(
                    peer, because: .unregistered,
                    detail: "\(message.kind) before hello or reattach (a restarted coordinator, or a worker declared lost)",
                    level: .debug, reply: .unknownWorker, now: now)
            }
            workers[name]!.lastHeard = now
            workers[name]!.peer = peer
            switch message {
            case .heartbeat(let running, let slots):
                heartbeat(from: name, running: running, slots: slots)
            case .progress(let ticket, let progress):
                self.progress(ticket, progress, from: name)
            case .result(let ticket, let metrics):
                result(ticket, metrics, from: name, now: now)
            case .failure(let ticket, let failure):
                self.failure(ticket, failure, from: name, now: now)
            case .goodbye(let returning):
                goodbye(from: name, returning: returning, now: now)
            case .hello, .reattach:
                break
            }
        }
    }

    /// The identity `hello` proves on `peer`, or nil when it proves none (no key under CURVE).
    func principal(of peer: Peer, _ hello: WorkerHello) -> String? {
        switch configuration.authentication {
        case .curveKeys:
            guard let key = peer.publicKey, !key.isEmpty else { return nil }
            return "key:\(key)"
        case .sessionTokens:
            return "session:\(Fingerprint.sha256Hex(hello.session))"
        }
    }

    /// `hello` (`reattach == nil`) or `reattach`.
    mutating func register(
        _ peer: Peer, _ hello: WorkerHello, reattach: (running: [LeaseTicket], through: LeaseEpoch)?,
        now: ProtocolInstant
    ) {
        let name = hello.workerID
        let kind = reattach == nil ? "hello" : "reattach"
        guard hello.protocolVersion == configuration.protocolVersion else {
            let message =
                "worker \(name) speaks protocol version \(hello.protocolVersion) but this coordinator speaks "
                + "version \(configuration.protocolVersion); run the same crossrec release on both sides"
            return refuse(
                peer, because: .versionMismatch, detail: message, level: .warning,
                reply: .versionMismatch, message: message, now: now)
        }
        guard let principal = principal(of: peer, hello) else {
            return refuse(
                peer, because: .noCurveKey,
                detail: "\(kind) naming \(name) on a connection without a CURVE key", level: .warning,
                reply: .malformedMessage, now: now)
        }
        if let bound = workerByConnection[peer.connection], bound != name {
            return refuse(
                peer, because: .secondWorkerID,
                detail: "\(kind) naming \(name) on the connection of worker \(bound)", level: .warning,
                reply: .malformedMessage,
                message: "this connection is already worker \(bound); a connection carries one worker", now: now)
        }
        if workers[name] == nil, case .draining = phase {
            refusedFrames[.shuttingDown, default: 0] += 1
            send(peer.connection, .reject(Rejection(code: .shuttingDown, message: "the coordinator is shutting down")))
            log(.info, "turned away worker \(name): shutting down", ["worker.id": name.rawValue])
            return
        }
        let meta = ["worker.id": name.rawValue]
        if let known = workers[name] {
            guard known.principal == principal else {
                return refuseIdentity(
                    peer, name, kind: kind,
                    why: "worker \(name) is registered under another \(identityNoun) (\(known.hello.host) pid \(known.hello.pid))",
                    now: now)
            }
            let sameConnection = known.connection == peer.connection
            if !sameConnection {
                workerByConnection[known.connection] = nil
                workers[name]!.connection = peer.connection
                workerByConnection[peer.connection] = name
                log(.info, "worker \(name) moved to \(peer) (\(kind))", meta)
            }
            if known.hello.pid != hello.pid || known.hello.host != hello.host {
                let was = "was \(known.hello.host) pid \(known.hello.pid)"
                log(.notice, "worker \(name) re-registered as \(hello.host) pid \(hello.pid) (\(was))", meta)
            }
            setSlots(name, hello.slots)
            workers[name]!.hello = hello
            workers[name]!.models = Set(hello.models)
            workers[name]!.lastHeard = now
            workers[name]!.peer = peer
            if let reattach {
                reconcile(name, listing: reattach.running, through: reattach.through, sameConnection: sameConnection)
            } else {
                // A new process under the same identity: whatever the old one held is gone.
                for index in workers[name]!.leases.sorted() {
                    giveUp(index, of: name, because: "worker \(name) restarted (new hello)")
                }
                if workers[name]!.proven { unprove(name) }
                workers[name]!.allowance = configuration.initialAllowance
            }
            log(.info, "worker \(name) registered again (\(kind))", meta)
        } else {
            if let reserved = orphanPrincipals[name], orphans[name] != nil, reserved != principal {
                return refuseIdentity(
                    peer, name, kind: kind,
                    why:
                        "worker \(name) held attempts before the coordinator restarted, under another \(identityNoun); "
                        + "they are reserved for it until the re-attach grace ends",
                    now: now)
            }
            guard workers.count < configuration.maxWorkers else {
                return refuse(
                    peer, because: .coordinatorFull,
                    detail: "\(kind) naming \(name): \(workers.count) workers registered (the limit)",
                    level: .warning, reply: .coordinatorFull,
                    message: "the coordinator has \(workers.count) workers, its limit; try again later", now: now)
            }
            nextGeneration += 1
            workers[name] = Worker(
                name: name, connection: peer.connection, principal: principal, peer: peer, hello: hello,
                models: Set(hello.models), slots: hello.slots, lastHeard: now,
                allowance: configuration.initialAllowance, generation: nextGeneration)
            workerByConnection[peer.connection] = name
            persist(.workerJoined(hello, principal: principal))
            deadlines.push(.liveness(name, generation: nextGeneration), at: now + configuration.liveness)
            log(.info, "worker \(name) joined: \(hello.host) pid \(hello.pid), \(hello.slots) slot(s), \(peer)", meta)
            if nextHeartbeatAt == nil { nextHeartbeatAt = now + configuration.heartbeatInterval }
            if let reattach {
                reconcile(name, listing: reattach.running, through: reattach.through, sameConnection: false)
            } else if let reserved = orphans[name] {
                for index in reserved.sorted() {
                    giveUp(index, of: name, because: "worker \(name) restarted (new hello) after the coordinator restarted")
                }
            }
        }
        send(peer.connection, .welcome(heartbeatInterval: configuration.heartbeatInterval, liveness: configuration.livenessMisses))
        for ticket in reattach?.running ?? [] where !isCurrent(ticket, heldBy: name) {
            send(peer.connection, .cancel(ticket, reason: staleness(of: ticket, from: name)))
        }
        if case .draining = phase { send(peer.connection, .shutdown) }
        markHungry(name)
        needsLeasing = true
    }

    var identityNoun: String {
        switch configuration.authentication {
        case .curveKeys: return "CURVE key"
        case .sessionTokens: return "process (session)"
        }
    }

    /// Brings worker `name`'s leases in line with what its `reattach` lists.
    mutating func reconcile(_ name: WorkerID, listing listed: [LeaseTicket], through: LeaseEpoch, sameConnection: Bool) {
        let listedTickets = Set(listed)
        for index in workers[name]!.leases.sorted() {
            guard let ticket = currentTicket(index) else { continue }
            if listedTickets.contains(ticket) {
                acknowledge(index, by: name)
            } else if !sameConnection || ticket.epoch <= through {
                giveUp(index, of: name, because: "worker \(name) re-attached without attempt \(ticket.attempt)")
            }
            // Else: leased after the worker sent this reattach, on this connection: in flight.
        }
        for ticket in listed { adoptIfOrphan(ticket, by: name) }
        for index in (orphans[name] ?? []).sorted() {
            guard let ticket = currentTicket(index), ticket.epoch <= through || !sameConnection else { continue }
            returnOrphan(
                index,
                reason: "the coordinator restarted and worker \(name) re-attached without attempt \(ticket.attempt)")
        }
    }

    /// Takes `ticket` back into worker `name`'s leases if it is one of `name`'s reserved attempts
    /// from before the restart. Returns whether it did.
    @discardableResult
    mutating func adoptIfOrphan(_ ticket: LeaseTicket, by name: WorkerID) -> Bool {
        guard let index = indexByTrial[ticket.trial], orphans[name]?.contains(index) == true,
            currentTicket(index) == ticket, workers[name] != nil
        else { return false }
        removeOrphan(index, of: name)
        let timeout = records[index].timeout ?? configuration.defaultTrialTimeout
        leaseDeadlines[index] = latestNow + timeout
        deadlines.push(.lease(index, ticket.epoch), at: latestNow + timeout)
        workers[name]!.leases.insert(index)
        if !workers[name]!.proven { probationLeases += 1 }
        acknowledge(index, by: name)
        log(.info, "worker \(name) took back \(ticket) after the coordinator restarted", metadata(ticket, name))
        return true
    }

    mutating func removeOrphan(_ index: Int, of name: WorkerID) {
        guard orphans[name]?.remove(index) != nil else { return }
        orphanCount -= 1
        if orphans[name]!.isEmpty {
            orphans[name] = nil
            orphanPrincipals[name] = nil
        }
    }

    /// A reserved attempt of the previous coordinator life goes back to pending, budget untouched.
    mutating func returnOrphan(_ index: Int, reason: String) {
        guard case .running(let ticket, let holder) = records[index].state else { return }
        removeOrphan(index, of: holder)
        persist(.trialReturned(trial: ticket.trial, attempt: ticket.attempt, reason: reason))
        makePending(index)
        log(.info, "attempt \(ticket.attempt) of trial \(ticket.trial) returned: \(reason)", metadata(ticket, holder))
        needsLeasing = true
    }

    mutating func goodbye(from name: WorkerID, returning: [LeaseTicket], now: ProtocolInstant) {
        let returned = Set(returning)
        for ticket in returning { adoptIfOrphan(ticket, by: name) }
        for index in workers[name]!.leases.sorted() {
            guard let ticket = currentTicket(index) else { continue }
            if returned.contains(ticket) {
                returnAttempt(index, reason: "worker \(name) handed attempt \(ticket.attempt) back on shutdown")
            } else {
                giveUp(index, of: name, because: "worker \(name) left without reporting or returning attempt \(ticket.attempt)")
            }
        }
        removeWorker(name, reason: "said goodbye")
    }

    /// Refuses `peer`'s claim on worker id `name`: another identity holds it.
    mutating func refuseIdentity(_ peer: Peer, _ name: WorkerID, kind: String, why: String, now: ProtocolInstant) {
        refuse(
            peer, because: .workerIDInUse, detail: "\(kind): \(why)", level: .warning,
            reply: .workerIDInUse,
            message: "\(why); give this worker another --id, or wait until the other is declared lost", now: now)
    }

    /// Counts a refusal of `peer` (every one, in ``refusedFrames``); logs and answers only the
    /// first of its kind from that peer in the reporting window (the rest go into the window's
    /// summary line).
    mutating func refuse(
        _ peer: Peer, because reason: RefusalReason, detail: String, level: LogLevel, reply code: Rejection.Code,
        message: String? = nil, now: ProtocolInstant
    ) {
        refusedFrames[reason, default: 0] += 1
        guard tally.note(reason.phrase, source: peer.connection.rawValue, now: now) else { return }
        let text = message ?? detail
        send(peer.connection, .reject(Rejection(code: code, message: text)))
        log(level, "refused \(peer): \(detail)", ["peer": peer.connection.rawValue])
    }

    /// Forgets `name` (whose leases must already be ended) and records why.
    mutating func removeWorker(_ name: WorkerID, reason: String) {
        guard let worker = workers[name] else { return }
        if worker.proven { provenSlots -= worker.slots }
        workers[name] = nil
        workerByConnection[worker.connection] = nil
        hungry.remove(name)
        persist(.workerLost(name, reason: reason))
        if workers.isEmpty { nextHeartbeatAt = nil }
        needsLeasing = true
    }

    /// Changes worker `name`'s offered slots, keeping `provenSlots` in step.
    mutating func setSlots(_ name: WorkerID, _ slots: Int) {
        guard let worker = workers[name], worker.slots != slots else { return }
        if worker.proven { provenSlots += slots - worker.slots }
        workers[name]!.slots = slots
        markHungry(name)
        needsLeasing = true
    }
}
