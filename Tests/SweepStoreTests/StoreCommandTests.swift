import Foundation
import Sweep
import SweepStore
import Testing

/// The coordinator's commands, one at a time and in batches.
@Suite struct StoreCommandTests {
    @Test func leaseThenFinishRecordsOneResult() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let trial = trials[0].id
        try store.apply([.trialLeased(trial, attempt: 1, leaseEpoch: 7, worker: "w1", host: "node-a")])
        var snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].state == .running)
        #expect(snapshot.trials[0].attempts == 1 && snapshot.trials[0].lastLeaseEpoch == 7)
        #expect(snapshot.trials[0].worker == "w1")
        #expect(snapshot.leaseEpochHighWater == 7)

        let counted = try store.write { transaction in
            try transaction.trialFinished(trial, attempt: 1, metrics: StoreFixture.metrics(0.85), worker: "w1")
        }
        #expect(counted)
        snapshot = try store.snapshot(sweep: sweep)
        let result = try #require(snapshot.trials[0].result)
        #expect(snapshot.trials[0].state == .finished && snapshot.trials[0].finishedAt != nil)
        #expect(result.metrics == StoreFixture.metrics(0.85))
        #expect(result.attempt == 1 && result.leaseEpoch == 7 && result.worker == "w1" && result.host == "node-a")
        #expect(result.codeVersion == "test-1" && result.seed == 1)
        #expect(try store.results(sweep: sweep) == [result])
        #expect(try store.counts(sweep: sweep) == TrialCounts(pending: 1, finished: 1))
        let attempts = try store.attempts(trial: trial)
        #expect(attempts.map(\.outcome) == [.finished] && attempts[0].endedAt != nil)
    }

    @Test func secondResultGoesToDuplicatesAndLeavesTheFirst() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let trial = trials[0].id
        try store.apply([
            .trialLeased(trial, attempt: 1, leaseEpoch: 1, worker: "slow"),
            .workerLost("slow", reason: "no heartbeat for 30 s"),
            .trialFailed(
                trial, attempt: 1, failure: TrialFailure(kind: .infrastructure, message: "worker lost"),
                willRetry: true),
            .trialLeased(trial, attempt: 2, leaseEpoch: 2, worker: "fast"),
            .trialFinished(trial, attempt: 2, metrics: StoreFixture.metrics(0.5), worker: "fast"),
        ])
        let first = try store.results(sweep: sweep)
        // The slow worker comes back with its answer, and the coordinator also reports a stale one.
        let counted = try store.write { transaction in
            try transaction.trialFinished(trial, attempt: 1, metrics: StoreFixture.metrics(0.4), worker: "slow")
        }
        #expect(!counted)
        try store.apply([
            .duplicateResult(trial, attempt: 2, leaseEpoch: 2, worker: "fast", metrics: StoreFixture.metrics(0.5))
        ])

        #expect(try store.results(sweep: sweep) == first)
        #expect(try store.counts(sweep: sweep) == TrialCounts(finished: 1))
        let duplicates = try store.duplicates(sweep: sweep)
        #expect(duplicates.map(\.worker) == ["slow", "fast"])
        #expect(duplicates.map(\.metrics) == [StoreFixture.metrics(0.4), StoreFixture.metrics(0.5)])
        #expect(duplicates.map(\.leaseEpoch) == [1, 2])
        // Attempt 1 stays `lost` (its late answer is in duplicates); attempt 2 is the counted one.
        #expect(try store.attempts(trial: trial).map(\.outcome) == [.lost, .finished])
    }

    @Test func failuresRetryOrEndTheTrialButNeverUndoAFinish() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let (retried, doomed) = (trials[0].id, trials[1].id)
        let timeout = TrialFailure(kind: .infrastructure, message: "timed out after 600 s")
        let diverged = TrialFailure(kind: .deterministic, message: "loss is NaN at epoch 3")
        try store.apply([
            .trialLeased(retried, attempt: 1, leaseEpoch: 1, worker: "w1"),
            .trialFailed(retried, attempt: 1, failure: timeout, willRetry: true),
            .trialLeased(doomed, attempt: 1, leaseEpoch: 2, worker: "w1"),
            .trialFailed(doomed, attempt: 1, failure: diverged, willRetry: false),
        ])
        var snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].state == .pending && snapshot.trials[0].failure == timeout)
        #expect(snapshot.trials[0].finishedAt == nil)
        #expect(snapshot.trials[1].state == .failed && snapshot.trials[1].failure == diverged)
        #expect(snapshot.trials[1].finishedAt != nil)
        #expect(try store.attempts(trial: doomed).map(\.error) == ["loss is NaN at epoch 3"])

        try store.apply([
            .trialLeased(retried, attempt: 2, leaseEpoch: 3, worker: "w2"),
            .trialFinished(retried, attempt: 2, metrics: StoreFixture.metrics(0.3), worker: "w2"),
            // Late and out of order: must not touch the finished trial.
            .trialFailed(retried, attempt: 2, failure: timeout, willRetry: true),
            .trialLeased(retried, attempt: 3, leaseEpoch: 4, worker: "w3"),
        ])
        snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].state == .finished && snapshot.trials[0].failure == nil)
        #expect(snapshot.trials[0].result?.metrics == StoreFixture.metrics(0.3))
        #expect(try store.counts(sweep: sweep) == TrialCounts(finished: 1, failed: 1))
    }

    @Test func nonFiniteMetricsAreRecorded() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let metrics = TrialMetrics(values: ["rmse": .infinity, "mae": -.infinity, "auc": 0.5], timings: ["fit": 1])
        try store.apply([
            .trialLeased(trials[0].id, attempt: 1, leaseEpoch: 1, worker: "w1"),
            .trialFinished(trials[0].id, attempt: 1, metrics: metrics, worker: "w1"),
        ])
        #expect(try store.results(sweep: sweep).first?.metrics == metrics)
        let nan = TrialMetrics(values: ["rmse": .nan])
        try store.apply([.duplicateResult(trials[0].id, attempt: 1, leaseEpoch: 1, worker: "w1", metrics: nan)])
        #expect(try store.duplicates(sweep: sweep).first?.metrics?.values["rmse"]?.isNaN == true)
    }

    @Test func workersAndNotesGoToTheEventLog() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8])
        let (store, _) = try StoreFixture.registered(fixture.path(), trials: trials)
        try store.apply([
            .workerJoined("w1", host: "node-a", slots: 4),
            .trialLeased(trials[0].id, attempt: 1, leaseEpoch: 1, worker: "w1"),
            .trialLeased(trials[1].id, attempt: 1, leaseEpoch: 2, worker: "w1"),
            .workerLost("w1", reason: "no heartbeat"),
            .event("sweep paused", kind: "sweep.paused"),
        ])
        let events = try store.events(limit: 3)
        #expect(events.map(\.kind) == ["worker.joined", "worker.lost", "sweep.paused"])
        #expect(events[0].text == "worker w1 joined from node-a with 4 slots")
        #expect(events[1].text == "worker w1 lost (no heartbeat); 2 open leases")
        #expect(events.map(\.seq) == events.map(\.seq).sorted())
        #expect(try store.events(limit: 100).first?.kind == "sweep.registered")
        #expect(try store.events(limit: 10, after: events[0].seq).map(\.kind) == ["worker.lost", "sweep.paused"])
        #expect(try store.attempts(trial: trials[0].id).map(\.outcome) == [.lost])
    }

    @Test func unknownTrialRollsBackTheWholeBatch() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let before = try store.snapshot(sweep: sweep)
        let eventsBefore = try store.events(limit: 100)
        let stranger = TrialID(rawValue: "0123456789abcdef0123456789abcdef")
        for command: SweepStore.Command in [
            .trialLeased(stranger, attempt: 1, leaseEpoch: 99, worker: "w"),
            .trialFinished(stranger, attempt: 1, metrics: StoreFixture.metrics(1), worker: "w"),
            .trialFailed(
                stranger, attempt: 1, failure: TrialFailure(kind: .deterministic, message: "x"), willRetry: false),
            .duplicateResult(stranger, attempt: 1, leaseEpoch: 99, worker: "w"),
        ] {
            #expect(throws: SweepStoreError.unknownTrial(stranger)) {
                try store.apply([
                    .event("before"),
                    .trialLeased(trials[0].id, attempt: 1, leaseEpoch: 50, worker: "w"),
                    command,
                ])
            }
        }
        #expect(try store.snapshot(sweep: sweep) == before)
        #expect(try store.events(limit: 100) == eventsBefore)
        #expect(try store.attempts(trial: trials[0].id).isEmpty)
    }

    @Test func leaseEpochsIncreaseAcrossReopen() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: [4])
        var (store, sweep) = try StoreFixture.registered(path, trials: trials)
        #expect(try store.nextLeaseEpoch() == 1)
        #expect(try store.nextLeaseEpoch() == 2)
        // A lease recorded with an epoch the core chose itself raises the mark too.
        try store.apply([.trialLeased(trials[0].id, attempt: 1, leaseEpoch: 40, worker: "w1")])
        #expect(try store.nextLeaseEpoch() == 41)
        let inBatch = try store.write { transaction in
            [try transaction.nextLeaseEpoch(), try transaction.nextLeaseEpoch()]
        }
        #expect(inBatch == [42, 43])
        try store.close()

        store = try SweepStore.open(path)
        #expect(try store.snapshot(sweep: sweep).leaseEpochHighWater == 43)
        #expect(try store.nextLeaseEpoch() == 44)
        // An epoch allocated in a transaction that rolled back is reused; no epoch is ever recorded twice.
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { transaction in
                _ = try transaction.nextLeaseEpoch()
                throw Abort()
            }
        }
        // A new instance (the old one dropped, not closed) continues above every committed epoch.
        store = try SweepStore.open(path)
        #expect(try store.nextLeaseEpoch() == 45)
        _ = sweep
    }
}
