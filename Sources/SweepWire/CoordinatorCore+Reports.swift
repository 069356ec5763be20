import Sweep

// What registered workers say about their leases: heartbeats, progress, results, failures.

extension CoordinatorCore {
    mutating func heartbeat(from name: WorkerID, running: [LeaseTicket], slots: Int) {
        setSlots(name, slots)
        for ticket in running {
            if let index = indexByTrial[ticket.trial], isCurrent(ticket, heldBy: name) {
                acknowledge(index, by: name)
            } else if !adoptIfOrphan(ticket, by: name) {
                send(worker: name, .cancel(ticket, reason: staleness(of: ticket, from: name)))
            }
        }
        markHungry(name)
    }

    mutating func progress(_ ticket: LeaseTicket, _ progress: TrialProgress, from name: WorkerID) {
        adoptIfOrphan(ticket, by: name)
        guard let index = indexByTrial[ticket.trial], isCurrent(ticket, heldBy: name) else {
            send(worker: name, .cancel(ticket, reason: staleness(of: ticket, from: name)))
            return
        }
        acknowledge(index, by: name)
        if logs(.debug) {
            let total = progress.totalEpochs.map { "/\($0)" } ?? ""
            log(.debug, "trial \(ticket.trial) epoch \(progress.epoch)\(total)", metadata(ticket, name))
        }
        persist(.trialProgress(ticket, progress))
        judgeProgress(index, ticket, progress, from: name)
    }

    mutating func result(_ ticket: LeaseTicket, _ metrics: TrialMetrics, from name: WorkerID, now: ProtocolInstant) {
        adoptIfOrphan(ticket, by: name)
        defer { confirm(ticket, to: name) }
        guard let index = indexByTrial[ticket.trial] else {
            log(.warning, "result for trial \(ticket.trial), which is not in this sweep", metadata(ticket, name))
            return
        }
        guard isCurrent(ticket, heldBy: name) else {
            duplicateResults += 1
            persist(.duplicateResult(ticket, worker: name, metrics: metrics))
            log(.notice, "result not counted: \(staleness(of: ticket, from: name))", metadata(ticket, name))
            return
        }
        acknowledge(index, by: name)
        if let problem = undeclaredMetrics(metrics, model: records[index].config.model) {
            failInfrastructure(
                index,
                reason: "worker \(name) (\(workers[name]!.hello.host)) sent a result that was refused: \(problem)")
            return
        }
        observeAttempt(index, finishedAt: now)
        endLease(index)
        records[index].state = .finished(attempt: ticket.attempt, worker: name)
        openTrials -= 1
        persist(.trialFinished(trial: ticket.trial, attempt: ticket.attempt, metrics: metrics, worker: name))
        observeResult(index, metrics)
        if logs(.info) { log(.info, "trial \(ticket.trial) finished (attempt \(ticket.attempt))", metadata(ticket, name)) }
        needsLeasing = true
    }

    mutating func failure(_ ticket: LeaseTicket, _ failure: TrialFailure, from name: WorkerID, now: ProtocolInstant) {
        adoptIfOrphan(ticket, by: name)
        defer { confirm(ticket, to: name) }
        guard let index = indexByTrial[ticket.trial], isCurrent(ticket, heldBy: name) else {
            log(.debug, "failure report not counted: \(staleness(of: ticket, from: name))", metadata(ticket, name))
            return
        }
        acknowledge(index, by: name)
        switch failure.kind {
        case .deterministic:
            endLease(index)
            records[index].state = .failed(attempt: ticket.attempt, failure: failure)
            openTrials -= 1
            search?.fail(ticket.trial, model: records[index].config.model)
            persist(.trialFailed(trial: ticket.trial, attempt: ticket.attempt, failure: failure, willRetry: false))
            log(.warning, "trial \(ticket.trial) failed (not retried): \(failure.message)", metadata(ticket, name))
            needsLeasing = true
        case .infrastructure:
            failInfrastructure(index, reason: failure.message)
        }
    }

    /// Why `metrics` cannot be a result of `model`, or nil when every name is declared for it.
    func undeclaredMetrics(_ metrics: TrialMetrics, model: String) -> String? {
        guard let catalog = configuration.metricsByModel else { return nil }
        guard let declared = catalog[model] else { return "model '\(model)' declares no metrics" }
        let unknown = metrics.values.keys.filter { !declared.contains($0) }.sorted()
        guard !unknown.isEmpty else { return nil }
        let shown = unknown.prefix(5).map { "'\($0.prefix(64))'" }.joined(separator: ", ")
        return "model '\(model)' does not report \(shown)\(unknown.count > 5 ? " and \(unknown.count - 5) more" : "")"
    }

    /// Worker `name` listed or reported on lease `index`: the lease is known to have reached it.
    /// Its first acknowledgement ends the worker's probation; each raises its allowance by two, so
    /// a worker acknowledging everything it holds doubles its holding every round trip.
    mutating func acknowledge(_ index: Int, by name: WorkerID) {
        guard workers[name]?.leases.contains(index) == true, workers[name]!.acknowledged.insert(index).inserted
        else { return }
        workers[name]!.allowance = min(workers[name]!.allowance + 2, configuration.maxLeasesPerWorker)
        if !workers[name]!.proven {
            workers[name]!.proven = true
            probationLeases -= workers[name]!.leases.count
            provenSlots += workers[name]!.slots
        }
        markHungry(name)
        needsLeasing = true
    }

    /// Puts worker `name` back on probation (a new process under the same identity).
    mutating func unprove(_ name: WorkerID) {
        guard workers[name]?.proven == true else { return }
        workers[name]!.proven = false
        provenSlots -= workers[name]!.slots
        probationLeases += workers[name]!.leases.count
        workers[name]!.acknowledged = []
        hungry.remove(name)
    }

    /// Queues a `confirm` of `ticket` for worker `name`'s connection at the end of the batch.
    mutating func confirm(_ ticket: LeaseTicket, to name: WorkerID) {
        guard let connection = workers[name]?.connection else { return }
        if confirmations[connection] == nil { confirmationOrder.append(connection) }
        confirmations[connection, default: []].append(ticket)
    }

    /// Sends the batch's confirmations, one `confirm` per connection (split at the wire's list
    /// limit). They follow the batch's `persist`s, so the shell sends them only once durable.
    mutating func sendConfirmations() {
        guard !confirmationOrder.isEmpty else { return }
        let chunk = WireLimits().maxCollectionCount
        for connection in confirmationOrder {
            let tickets = confirmations[connection]!
            for start in stride(from: 0, to: tickets.count, by: chunk) {
                send(connection, .confirm(Array(tickets[start..<min(start + chunk, tickets.count)])))
            }
        }
        confirmations.removeAll(keepingCapacity: true)
        confirmationOrder.removeAll(keepingCapacity: true)
    }
}
