import Sweep

// Adaptive search (suggesting trials while the sweep runs) and early stopping (stopping running
// trials on their validation progress). Both persist before they act: a suggestion is a
// `trialSuggested` ahead of its lease, a stop a `trialStopped` ahead of the worker's `cancel`.

extension CoordinatorCore {
    /// Rebuilds the search and the stopper from the loaded snapshot: every suggested trial with its
    /// number and outcome, and the persisted progress reports replayed in their stored order (the
    /// stopper is deterministic given that order, so it is in the state it had). A running trial
    /// the replay stops (its stop was decided but not persisted before a crash) is stopped now.
    mutating func restoreSearch(_ history: SearchHistory) {
        let objective = searchHistory.objective
        searchHistory = history
        searchHistory.objective = objective
        guard objective != nil else { return }
        if search != nil {
            for (id, number) in history.suggestionIndex.sorted(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                guard let index = indexByTrial[id] else { continue }
                search!.restore(records[index], index: number, objectiveValue: history.objectiveValues[id])
            }
        }
        guard stopper != nil else { return }
        for index in records.indices {
            if case .stopped = records[index].state { stopper!.markStopped(records[index].id) }
        }
        var lateStops: [(index: Int, epoch: Int, value: Double, reason: String)] = []
        for point in history.progress {
            let decision = stopper!.report(trial: point.trial, epoch: point.epoch, value: point.value)
            guard case .stop(let epoch, let reason) = decision, let index = indexByTrial[point.trial],
                !records[index].state.isFinal
            else { continue }
            lateStops.append((index, epoch, point.value, reason))
        }
        for late in lateStops {
            guard case .running(let ticket, let worker) = records[late.index].state else {
                // Pending (its attempt was returned): it stays stopped with the value it had.
                guard records[late.index].state == .pending else { continue }
                let ticket = LeaseTicket(trial: records[late.index].id, attempt: records[late.index].attemptsUsed, epoch: lastLeaseEpoch)
                stop(late.index, ticket: ticket, worker: WorkerID("coordinator"), epoch: late.epoch,
                     values: [objective!: late.value], reason: late.reason)
                continue
            }
            stop(late.index, ticket: ticket, worker: worker, epoch: late.epoch, values: [objective!: late.value], reason: late.reason)
        }
    }

    /// Asks the stopping rule about a progress report from the current lease holder.
    mutating func judgeProgress(_ index: Int, _ ticket: LeaseTicket, _ progress: TrialProgress, from name: WorkerID) {
        guard let objective = searchHistory.objective, let value = progress.values[objective] else { return }
        searchHistory.progress.append(.init(trial: ticket.trial, epoch: progress.epoch, value: value))
        guard stopper != nil else { return }
        let decision = stopper!.report(trial: ticket.trial, epoch: progress.epoch, value: value)
        guard case .stop(let epoch, let reason) = decision else { return }
        stop(index, ticket: ticket, worker: name, epoch: epoch, values: progress.values, reason: reason)
    }

    /// Stops trial `index` for good: persisted, then the worker is told to cancel the attempt.
    mutating func stop(
        _ index: Int, ticket: LeaseTicket, worker name: WorkerID, epoch: Int, values: [String: Double], reason: String
    ) {
        let wasRunning = endLease(index) != nil
        records[index].state = .stopped(attempt: ticket.attempt, worker: name, epoch: epoch)
        if !wasRunning { pending.remove(index, model: records[index].config.model) }
        openTrials -= 1
        persist(.trialStopped(ticket, worker: name, epoch: epoch, values: values, reason: reason))
        let value = searchHistory.objective.flatMap { values[$0] }
        if let value { searchHistory.objectiveValues[ticket.trial] = value }
        search?.observe(ticket.trial, model: records[index].config.model, value: value)
        if wasRunning { send(worker: name, .cancel(ticket, reason: "stopped early: \(reason)")) }
        if logs(.info) { log(.info, "trial \(ticket.trial) stopped after epoch \(epoch): \(reason)", metadata(ticket, name)) }
        needsLeasing = true
    }

    /// Tells the search a trial finished, with its objective value.
    mutating func observeResult(_ index: Int, _ metrics: TrialMetrics) {
        guard let objective = searchHistory.objective else { return }
        let value = metrics.values[objective]
        if let value { searchHistory.objectiveValues[records[index].id] = value }
        search?.observe(records[index].id, model: records[index].config.model, value: value)
    }

    /// Suggests configurations while registered workers have free slots that the pending trials
    /// do not fill: one suggestion per free slot (each is persisted, then leased by the pass that
    /// follows). Suggesting only for free slots, not ahead, lets every suggestion use every
    /// result that has arrived.
    mutating func suggestForFreeSlots() {
        guard search != nil, phase == .running, search!.remaining > 0 else { return }
        var free = 0
        var models: Set<String> = []
        for name in workers.keys.sorted() {
            let worker = workers[name]!
            let slots = max(0, worker.slots - worker.leases.count)
            guard slots > 0 else { continue }
            free += slots
            models.formUnion(worker.models)
        }
        var wanted = free - pending.count
        let timeout = configuration.sweep?.timeout
        while wanted > 0 {
            guard let suggestion = search!.suggest(models: models, known: { indexByTrial[$0] != nil }) else { break }
            for trial in suggestion.trials {
                let record = TrialRecord(id: trial.id, config: trial.config, timeout: timeout)
                let index = records.count
                records.append(record)
                indexByTrial[trial.id] = index
                openTrials += 1
                pending.insert(index, model: trial.config.model)
                searchHistory.suggestionIndex[trial.id] = suggestion.index
                persist(.trialSuggested(record, index: suggestion.index))
                wanted -= 1
            }
            if logs(.debug) {
                log(.debug, "suggestion \(suggestion.index) of \(suggestion.trials[0].config.model): \(suggestion.trials[0].config.label)")
            }
        }
    }
}
