import Sweep

// Granting leases and ending attempts.

extension CoordinatorCore {
    /// Fills every worker's free slots with pending trials it can run, in snapshot order.
    mutating func leaseFreeSlots(now: ProtocolInstant) {
        needsLeasing = false
        guard phase == .running, !pending.isEmpty else { return }
        var depth = leaseDepthPerSlot
        if depth > 1 {
            // Endgame: once the pending trials would fit in the workers' reserves, reserving them
            // would queue the last trials behind running ones while other slots run dry; the
            // rest go to free slots only, to whichever worker frees one first.
            let slots = workers.values.reduce(0) { $0 + $1.slots }
            if pending.count <= slots * (depth - 1) { depth = 1 }
        }
        for id in workers.keys.sorted() {
            var free = workers[id]!.slots * depth - workers[id]!.leases.count
            var position = pending.count - 1  // smallest index first (`pending` is descending)
            while free > 0, position >= 0 {
                let index = pending[position]
                guard workers[id]!.models.contains(records[index].config.model) else {
                    position -= 1
                    continue
                }
                pending.remove(at: position)
                position -= 1
                grant(index, to: id, now: now)
                free -= 1
            }
            if pending.isEmpty { break }
        }
    }

    /// How many leases a worker may hold per slot: 1; 1 + `prefetchPerSlot` while recent
    /// attempts are shorter than `prefetchBelow`; 1 + 8 × `prefetchPerSlot` while they are
    /// shorter than a hundredth of it.
    var leaseDepthPerSlot: Int {
        guard configuration.prefetchPerSlot > 0, let recent = recentAttemptSeconds else { return 1 }
        let (seconds, attoseconds) = configuration.prefetchBelow.components
        let below = Double(seconds) + Double(attoseconds) * 1e-18
        if recent < below / 100 { return 1 + 8 * configuration.prefetchPerSlot }
        return recent < below ? 1 + configuration.prefetchPerSlot : 1
    }

    /// Folds one attempt's time (lease to result) into `recentAttemptSeconds` (weight 1/8).
    mutating func observeAttempt(_ index: Int, finishedAt now: ProtocolInstant) {
        guard let deadline = deadlines[index] else { return }
        let timeout = records[index].timeout ?? configuration.defaultTrialTimeout
        let (seconds, attoseconds) = (now.duration(to: deadline) - timeout).components
        let elapsed = max(0, -(Double(seconds) + Double(attoseconds) * 1e-18))
        recentAttemptSeconds = recentAttemptSeconds.map { $0 + (elapsed - $0) / 8 } ?? elapsed
    }

    /// Leases trial `index` to `id` under the next epoch: persist first, then send.
    mutating func grant(_ index: Int, to id: WorkerID, now: ProtocolInstant) {
        lastLeaseEpoch = lastLeaseEpoch.next
        let record = records[index]
        let ticket = LeaseTicket(trial: record.id, attempt: record.attemptsUsed + 1, epoch: lastLeaseEpoch)
        let timeout = record.timeout ?? configuration.defaultTrialTimeout
        records[index].attemptsUsed = ticket.attempt
        records[index].state = .running(ticket, worker: id)
        deadlines[index] = now + timeout
        workers[id]!.leases.insert(index)
        persist(.trialLeased(ticket, worker: id))
        send(id, .lease(TrialLease(ticket: ticket, config: record.config, dataset: dataset, timeout: timeout)))
        if logs(.debug) { log(.debug, "leased \(ticket) to worker \(id)", metadata(ticket, id)) }
    }

    /// Ends the running lease of `index` (bookkeeping only) and returns it.
    @discardableResult
    mutating func endLease(_ index: Int) -> LeaseTicket? {
        guard case .running(let ticket, let worker) = records[index].state else { return nil }
        workers[worker]?.leases.remove(index)
        deadlines[index] = nil
        return ticket
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
        var low = 0
        var high = pending.count
        while low < high {  // first position whose index is smaller (descending order)
            let middle = (low + high) / 2
            if pending[middle] > index { low = middle + 1 } else { high = middle }
        }
        pending.insert(index, at: low)
    }
}
