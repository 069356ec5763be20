import Sweep

extension SweepSnapshot {
    /// Applies one store command: the reference semantics a durable store implements.
    ///
    /// - `trialLeased`: running under the ticket; `attemptsUsed` and `lastLeaseEpoch` rise to it.
    /// - `trialFinished`: finished with the metrics, unless already final (first outcome wins).
    /// - `trialFailed`: infrastructure failures add one to `infrastructureFailures`; then pending
    ///   if `willRetry`, else failed for good.
    /// - `trialReturned`: pending; `attemptsUsed` rises to the attempt; budget untouched.
    /// - `trialReopened`: a trial failed for good through infrastructure is pending again with
    ///   `infrastructureFailures` 0.
    /// - `workerJoined`: records the worker's principal.
    /// - `trialSuggested`: the trial is appended (pending) unless the sweep has it; its suggestion
    ///   number is recorded.
    /// - `trialProgress`: the objective's value (``SearchHistory/objective``), if reported, is
    ///   appended to the progress history (trial not final).
    /// - `trialStopped`: stopped (final) at the epoch; its objective value recorded.
    /// - `trialFinished` also records the result's objective value, when the sweep has one.
    /// - `duplicateResult`, `workerLost`, `event`: no state change.
    ///
    /// Commands for unknown trials, and any command for a trial already final, change nothing.
    /// - Complexity: O(trials) per command (a linear lookup; stores index by trial id).
    public mutating func apply(_ command: StoreCommand) {
        switch command {
        case .trialLeased(let ticket, let worker):
            lastLeaseEpoch = max(lastLeaseEpoch, ticket.epoch)
            update(ticket.trial) { record in
                record.state = .running(ticket, worker: worker)
                record.attemptsUsed = max(record.attemptsUsed, ticket.attempt)
            }
        case .trialFinished(let trial, let attempt, let metrics, let worker):
            if let objective = search.objective, let value = metrics.values[objective],
                let record = trials.first(where: { $0.id == trial }), !record.state.isFinal
            {
                search.objectiveValues[trial] = value
            }
            update(trial) { record in
                record.state = .finished(attempt: attempt, worker: worker)
                record.attemptsUsed = max(record.attemptsUsed, attempt)
            }
        case .trialFailed(let trial, let attempt, let failure, let willRetry):
            update(trial) { record in
                if failure.kind == .infrastructure { record.infrastructureFailures += 1 }
                record.state = willRetry ? .pending : .failed(attempt: attempt, failure: failure)
                record.attemptsUsed = max(record.attemptsUsed, attempt)
            }
        case .trialReturned(let trial, let attempt, _):
            update(trial) { record in
                record.state = .pending
                record.attemptsUsed = max(record.attemptsUsed, attempt)
            }
        case .trialReopened(let trial, _):
            guard let index = trials.firstIndex(where: { $0.id == trial }),
                case .failed(_, let failure) = trials[index].state, failure.kind == .infrastructure
            else { return }
            trials[index].state = .pending
            trials[index].infrastructureFailures = 0
        case .workerJoined(let hello, let principal):
            workerPrincipals[hello.workerID] = principal
        case .trialSuggested(let record, let index):
            guard !trials.contains(where: { $0.id == record.id }) else { return }
            trials.append(record)
            search.suggestionIndex[record.id] = index
        case .trialProgress(let ticket, let progress):
            guard let objective = search.objective, let value = progress.values[objective],
                let record = trials.first(where: { $0.id == ticket.trial }), !record.state.isFinal
            else { return }
            search.progress.append(.init(trial: ticket.trial, epoch: progress.epoch, value: value))
        case .trialStopped(let ticket, let worker, let epoch, let values, _):
            guard let index = trials.firstIndex(where: { $0.id == ticket.trial }), !trials[index].state.isFinal else { return }
            if let objective = search.objective, let value = values[objective] { search.objectiveValues[ticket.trial] = value }
            trials[index].state = .stopped(attempt: ticket.attempt, worker: worker, epoch: epoch)
            trials[index].attemptsUsed = max(trials[index].attemptsUsed, ticket.attempt)
        case .duplicateResult, .workerLost, .event:
            break
        }
    }

    /// This snapshot with `command` applied.
    public func applying(_ command: StoreCommand) -> SweepSnapshot {
        var copy = self
        copy.apply(command)
        return copy
    }

    /// This snapshot with `commands` applied in order.
    public func applying(_ commands: some Sequence<StoreCommand>) -> SweepSnapshot {
        var copy = self
        for command in commands { copy.apply(command) }
        return copy
    }

    private mutating func update(_ trial: TrialID, _ change: (inout TrialRecord) -> Void) {
        guard let index = trials.firstIndex(where: { $0.id == trial }), !trials[index].state.isFinal else { return }
        change(&trials[index])
    }
}
