import Sweep

// Adaptive search (suggesting trials while the sweep runs) and early stopping (stopping running
// trials on their validation progress). Both persist before they act: a suggestion is a
// `trialSuggested` ahead of its lease, a stop a `trialStopped` ahead of the worker's `cancel`.

extension CoordinatorCore {
    /// Rebuilds the search and the stopper from the loaded snapshot: every suggested trial with its
    /// number and outcome, and the persisted progress reports replayed in their stored order. The
    /// stopper is deterministic given that order, and a stop is persisted in the same batch (one
    /// transaction) as the report that caused it, so the replay reproduces exactly the stops the
    /// store holds; a replayed stop of a trial that is not stopped would be a bug and is logged.
    mutating func restoreSearch(_ history: SearchHistory) {
        let objective = searchHistory.objective
        searchHistory = history
        searchHistory.objective = objective
        guard objective != nil else { return }
        if search != nil {
            for (id, number) in history.suggestionIndex {
                guard let index = indexByTrial[id] else { continue }
                search!.restore(records[index], index: number, objectiveValue: history.objectiveValues[id])
            }
        }
        guard stopper != nil else { return }
        for point in history.progress {
            guard case .stop = stopper!.report(trial: point.trial, epoch: point.epoch, value: point.value),
                let index = indexByTrial[point.trial]
            else { continue }
            if case .stopped = records[index].state { continue }
            log(.error, "replaying the stored progress stops trial \(point.trial), which the store has as \(records[index].state)")
        }
        for index in records.indices {
            if case .stopped = records[index].state { stopper!.markStopped(records[index].id) }
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

    /// Stops the running trial `index` for good: persisted, then the worker is told to cancel the
    /// attempt (its later reports are stale and never count).
    mutating func stop(
        _ index: Int, ticket: LeaseTicket, worker name: WorkerID, epoch: Int, values: [String: Double], reason: String
    ) {
        endLease(index)
        records[index].state = .stopped(attempt: ticket.attempt, worker: name, epoch: epoch)
        openTrials -= 1
        persist(.trialStopped(ticket, worker: name, epoch: epoch, values: values, reason: reason))
        let value = searchHistory.objective.flatMap { values[$0] }
        if let value { searchHistory.objectiveValues[ticket.trial] = value }
        search?.observe(ticket.trial, model: records[index].config.model, value: value)
        send(worker: name, .cancel(ticket, reason: "stopped early: \(reason)"))
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

    /// Suggests configurations while registered workers have free capacity that the pending
    /// trials do not fill (each suggestion is persisted, then leased by the pass that follows).
    /// TPE suggests only for free slots, not ahead, so every suggestion uses every result that has
    /// arrived; random search, which reads no results, fills the prefetch depth too (as a grid's
    /// pending trials do), so short trials keep the grid's throughput.
    mutating func suggestForFreeSlots() {
        guard search != nil, phase == .running, search!.remaining > 0 else { return }
        let ahead = search!.settings.method == .random
        let depth = ahead ? leaseDepthPerSlot : 1
        var free = 0
        var models: Set<String> = []
        for name in workers.keys.sorted() {
            let worker = workers[name]!
            let room = ahead && worker.proven ? capacity(of: worker, depth: depth) : worker.slots
            let slots = max(0, room - worker.leases.count)
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
