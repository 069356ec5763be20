import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// The queries a coordinator of a large sweep uses instead of a full snapshot.
@Suite struct StreamingQueryTests {
    /// Five trials: finished, failed for good, retried (pending again), running, never leased.
    func populated(_ fixture: StoreFixture) throws -> (SweepStore, SweepID, [TrialID]) {
        let trials = StoreFixture.trials(factors: [1, 2, 3, 4, 5])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let ids = trials.map(\.id)
        try store.apply([
            .leased(ids[0], attempt: 1, epoch: 1, worker: "w1"),
            .finished(ids[0], attempt: 1, metrics: StoreFixture.metrics(0.9), worker: "w1"),
            .leased(ids[1], attempt: 1, epoch: 2, worker: "w1"),
            .failed(ids[1], attempt: 1, failure: TrialFailure(kind: .deterministic, message: "diverged"), willRetry: false),
            .leased(ids[2], attempt: 1, epoch: 3, worker: "w2"),
            .failed(ids[2], attempt: 1, failure: TrialFailure(kind: .infrastructure, message: "lost"), willRetry: true),
            .leased(ids[3], attempt: 1, epoch: 4, worker: "w2"),
        ])
        return (store, sweep, ids)
    }

    @Test func startedOnlySnapshotLeavesOutExactlyTheNeverLeasedTrials() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (store, sweep, ids) = try populated(fixture)
        let full = try store.snapshot(sweep: sweep)
        let started = try store.snapshot(sweep: sweep, startedOnly: true)
        #expect(full.trials.map(\.id) == ids)
        #expect(started.trials.map(\.id) == Array(ids[0...3]), "the retried trial is pending but has a history")
        #expect(started.trials == Array(full.trials[0...3]))
        #expect(started.leaseEpochHighWater == full.leaseEpochHighWater)
    }

    @Test func outcomesStreamFinishedAndFailedTrialsInSweepOrder() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let (store, sweep, ids) = try populated(fixture)
        var seen: [(TrialID, Result<TrialMetrics, TrialFailure>)] = []
        try store.forEachOutcome(sweep: sweep) { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == [ids[0], ids[1]])
        #expect(try seen[0].1.get().values == StoreFixture.metrics(0.9).values)
        guard case .failure(let failure) = seen[1].1 else {
            Issue.record("expected the failed trial's failure")
            return
        }
        #expect(failure == TrialFailure(kind: .deterministic, message: "diverged"))
    }

    @Test func streamedLeaderboardEqualsTheOneBuiltFromTheSnapshot() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [8, 16], seeds: [1, 2, 3])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        var commands: [StoreCommand] = []
        for (index, trial) in trials.enumerated() {
            commands.append(.leased(trial.id, attempt: 1, epoch: UInt64(index + 1), worker: "w"))
            if index == 4 {
                commands.append(.failed(trial.id, attempt: 1, failure: TrialFailure(kind: .deterministic, message: "nan"), willRetry: false))
            } else {
                commands.append(.finished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.8 + Double(index) / 100), worker: "w"))
            }
        }
        try store.apply(commands)
        let metric = MetricSpec(primary: "rmse", direction: .minimize)
        let snapshot = try store.snapshot(sweep: sweep)
        let expected = Leaderboard(
            metric: metric,
            results: try store.results(sweep: sweep).map { ($0.config, TrialMetrics(values: $0.metrics.values)) },
            failures: snapshot.trials.compactMap { trial in trial.stateName == "failed" ? trial.failure.map { (trial.config, $0) } : nil })
        let configs = Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.config) })
        var board = Leaderboard.Accumulator(metric: metric)
        try store.forEachOutcome(sweep: sweep) { id, outcome in
            switch outcome {
            case .success(let metrics): board.add(configs[id]!, metrics)
            case .failure(let failure): board.add(configs[id]!, failure: failure)
            }
        }
        #expect(board.leaderboard == expected)
        #expect(expected.rows.count == 2 && expected.failedCount == 1 && expected.trialCount == 6)
    }
}
