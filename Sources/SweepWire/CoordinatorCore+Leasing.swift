import Sweep

// Granting leases and ending attempts.

extension CoordinatorCore {
    /// Fills free capacity with pending trials, in snapshot order: proven workers first (in id
    /// order), then workers on probation (in arrival order) while the probation limit allows.
    mutating func leaseFreeSlots(now: ProtocolInstant) {
        needsLeasing = false
        guard phase == .running, !pending.isEmpty else { return }
        let depth = leaseDepthPerSlot
        if depth != lastDepth {
            // Every proven worker's capacity changed: let the pass look at all of them once.
            lastDepth = depth
            for (name, worker) in workers where worker.proven { hungry.insert(name) }
        }
        for name in hungry.sorted() {
            guard let worker = workers[name], worker.proven else {
                hungry.remove(name)
                continue
            }
            var free = capacity(of: worker, depth: depth) - worker.leases.count
            while free > 0, let index = pending.takeFirst(among: worker.models) {
                grant(index, to: name, now: now)
                free -= 1
            }
            if free <= 0 { hungry.remove(name) }
            if pending.isEmpty { return }
        }
        while probationLeases < configuration.probationLeaseLimit, !pending.isEmpty,
            probationHead < probationQueue.count
        {
            let (name, generation) = probationQueue[probationHead]
            probationHead += 1
            guard let worker = workers[name], worker.generation == generation, worker.queuedForProbation else {
                continue
            }
            workers[name]!.queuedForProbation = false
            guard !worker.proven, worker.leases.isEmpty, worker.slots > 0 else { continue }
            if let index = pending.takeFirst(among: worker.models) { grant(index, to: name, now: now) }
        }
        if probationHead > 1024, probationHead * 2 > probationQueue.count {
            probationQueue.removeFirst(probationHead)
            probationHead = 0
        }
    }

    /// How many leases `worker` may hold at once.
    func capacity(of worker: Worker, depth: Int) -> Int {
        min(worker.allowance, worker.slots * depth, configuration.maxLeasesPerWorker)
    }

    /// Notes that worker `name` may have capacity: proven workers go to the leasing pass,
    /// unproven ones without a lease to the back of the probation queue.
    mutating func markHungry(_ name: WorkerID) {
        guard let worker = workers[name] else { return }
        if worker.proven {
            hungry.insert(name)
        } else if worker.leases.isEmpty, !worker.queuedForProbation {
            workers[name]!.queuedForProbation = true
            probationQueue.append((name, worker.generation))
        }
    }

    /// How many leases a worker may hold per slot: 1; 1 + `prefetchPerSlot` while recent
    /// attempts are shorter than `prefetchBelow`; 1 + 8 × `prefetchPerSlot` while they are
    /// shorter than a hundredth of it. At the end of a sweep, once the pending trials would fit
    /// (and, for a random search, the configurations it has yet to suggest) in the proven workers'
    /// reserves, 1: reserving them would queue the last trials behind
    /// running ones while other slots run dry.
    var leaseDepthPerSlot: Int {
        guard configuration.prefetchPerSlot > 0, let recent = recentAttemptSeconds else { return 1 }
        let (seconds, attoseconds) = configuration.prefetchBelow.components
        let below = Double(seconds) + Double(attoseconds) * 1e-18
        let depth: Int
        if recent < below / 100 {
            depth = 1 + 8 * configuration.prefetchPerSlot
        } else {
            depth = recent < below ? 1 + configuration.prefetchPerSlot : 1
        }
        // A random search's configurations yet to suggest wait like pending trials (they are
        // suggested as capacity frees up, see `suggestForFreeSlots`).
        let waiting = pending.count + (search?.settings.method == .random ? search!.remaining : 0)
        if depth > 1, waiting <= provenSlots * (depth - 1) { return 1 }
        return depth
    }

    /// Folds one attempt's time (lease to result) into `recentAttemptSeconds` (weight 1/8).
    mutating func observeAttempt(_ index: Int, finishedAt now: ProtocolInstant) {
        guard let deadline = leaseDeadlines[index] else { return }
        let timeout = records[index].timeout ?? configuration.defaultTrialTimeout
        let (seconds, attoseconds) = (now.duration(to: deadline) - timeout).components
        let elapsed = max(0, -(Double(seconds) + Double(attoseconds) * 1e-18))
        recentAttemptSeconds = recentAttemptSeconds.map { $0 + (elapsed - $0) / 8 } ?? elapsed
    }

    /// Leases trial `index` to `name` under the next epoch: persist first, then send.
    mutating func grant(_ index: Int, to name: WorkerID, now: ProtocolInstant) {
        lastLeaseEpoch = lastLeaseEpoch.next
        let record = records[index]
        let ticket = LeaseTicket(trial: record.id, attempt: record.attemptsUsed + 1, epoch: lastLeaseEpoch)
        let timeout = record.timeout ?? configuration.defaultTrialTimeout
        records[index].attemptsUsed = ticket.attempt
        records[index].state = .running(ticket, worker: name)
        leaseDeadlines[index] = now + timeout
        deadlines.push(.lease(index, ticket.epoch), at: now + timeout)
        workers[name]!.leases.insert(index)
        workers[name]!.lastEpochSent = ticket.epoch
        if !workers[name]!.proven { probationLeases += 1 }
        persist(.trialLeased(ticket, worker: name))
        send(
            workers[name]!.connection,
            .lease(TrialLease(ticket: ticket, config: record.config, dataset: dataset, timeout: timeout)))
        if logs(.debug) { log(.debug, "leased \(ticket) to worker \(name)", metadata(ticket, name)) }
    }

    /// Ends the running lease of `index` held by a registered worker (bookkeeping only) and
    /// returns it. An orphan (reserved, not adopted) only leaves the reservation.
    @discardableResult
    mutating func endLease(_ index: Int) -> LeaseTicket? {
        guard case .running(let ticket, let holder) = records[index].state else { return nil }
        leaseDeadlines[index] = nil
        if workers[holder]?.leases.remove(index) != nil {
            workers[holder]!.acknowledged.remove(index)
            if !workers[holder]!.proven { probationLeases -= 1 }
            markHungry(holder)
        } else {
            removeOrphan(index, of: holder)
        }
        return ticket
    }

    /// Worker `name` no longer has attempt `index`: an attempt it acknowledged failed through
    /// infrastructure; one it never acknowledged never started there and returns for free.
    mutating func giveUp(_ index: Int, of name: WorkerID, because reason: String) {
        if workers[name]?.acknowledged.contains(index) == true || workers[name]?.leases.contains(index) != true {
            failInfrastructure(index, reason: reason)
        } else {
            returnAttempt(index, reason: "\(reason); it never acknowledged the lease")
        }
    }

    /// The running attempt of `index` failed through infrastructure: retry while the budget lasts.
    mutating func failInfrastructure(_ index: Int, reason: String) {
        guard case .running(_, let worker) = records[index].state, let ticket = endLease(index) else { return }
        records[index].infrastructureFailures += 1
        let failures = records[index].infrastructureFailures
        let willRetry = failures <= configuration.retryLimit
        let message =
            willRetry ? reason : "\(reason); retry budget exhausted after \(failures) infrastructure failure(s)"
        let failure = TrialFailure(kind: .infrastructure, message: message)
        persist(.trialFailed(trial: ticket.trial, attempt: ticket.attempt, failure: failure, willRetry: willRetry))
        if willRetry {
            makePending(index)
            log(
                .warning, "attempt \(ticket.attempt) of trial \(ticket.trial) failed, will retry: \(reason)",
                metadata(ticket, worker))
        } else {
            records[index].state = .failed(attempt: ticket.attempt, failure: failure)
            openTrials -= 1
            search?.fail(ticket.trial, model: records[index].config.model)
            log(.error, "trial \(ticket.trial) failed for good: \(message)", metadata(ticket, worker))
        }
        needsLeasing = true
    }

    /// The running attempt of `index` ended through no fault of the trial: pending, budget untouched.
    mutating func returnAttempt(_ index: Int, reason: String) {
        guard case .running(_, let worker) = records[index].state, let ticket = endLease(index) else { return }
        persist(.trialReturned(trial: ticket.trial, attempt: ticket.attempt, reason: reason))
        makePending(index)
        log(.info, "attempt \(ticket.attempt) of trial \(ticket.trial) returned: \(reason)", metadata(ticket, worker))
        needsLeasing = true
    }

    /// Marks `index` pending and puts it back into the leasing order.
    mutating func makePending(_ index: Int) {
        records[index].state = .pending
        pending.insert(index, model: records[index].config.model)
    }
}
