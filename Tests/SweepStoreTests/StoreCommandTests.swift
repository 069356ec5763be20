import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// The coordinator's commands, one at a time and in batches.
@Suite struct StoreCommandTests {
    @Test func leaseThenFinishRecordsOneResult() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let trial = trials[0].id
        try store.apply([.joined("w1", host: "node-a"), .leased(trial, attempt: 1, epoch: 7, worker: "w1")])
        var snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].stateName == "running")
        #expect(snapshot.trials[0].attempts == 1 && snapshot.trials[0].runningEpoch == 7)
        #expect(snapshot.workerPrincipals == ["w1": "session:w1"], "the holder's identity comes with the snapshot")
        #expect(snapshot.trials[0].worker == "w1")
        #expect(snapshot.leaseEpochHighWater == 7)

        let counted = try store.write { transaction in
            try transaction.trialFinished(trial, attempt: 1, metrics: StoreFixture.metrics(0.85), worker: "w1")
        }
        #expect(counted)
        snapshot = try store.snapshot(sweep: sweep)
        let result = try #require(try store.results(sweep: sweep).first)
        #expect(snapshot.trials[0].state == .finished(attempt: 1, worker: "w1"))
        #expect(result.metrics == StoreFixture.metrics(0.85))
        #expect(result.attempt == 1 && result.leaseEpoch == 7 && result.worker == "w1" && result.host == "node-a")
        #expect(result.codeVersion == "test-worker" && result.seed == 1, "the worker's version from its registration")
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
            .leased(trial, attempt: 1, epoch: 1, worker: "slow"),
            .lost("slow", reason: "no heartbeat for 30 s"),
            .failed(
                trial, attempt: 1, failure: TrialFailure(kind: .infrastructure, message: "worker lost"),
                willRetry: true),
            .leased(trial, attempt: 2, epoch: 2, worker: "fast"),
            .finished(trial, attempt: 2, metrics: StoreFixture.metrics(0.5), worker: "fast"),
        ])
        let first = try store.results(sweep: sweep)
        // The slow worker comes back with its answer, and the coordinator also reports a stale one.
        let counted = try store.write { transaction in
            try transaction.trialFinished(trial, attempt: 1, metrics: StoreFixture.metrics(0.4), worker: "slow")
        }
        #expect(!counted)
        try store.apply([
            .duplicate(trial, attempt: 2, epoch: 2, worker: "fast", metrics: StoreFixture.metrics(0.5))
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
            .leased(retried, attempt: 1, epoch: 1, worker: "w1"),
            .failed(retried, attempt: 1, failure: timeout, willRetry: true),
            .leased(doomed, attempt: 1, epoch: 2, worker: "w1"),
            .failed(doomed, attempt: 1, failure: diverged, willRetry: false),
        ])
        var snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].stateName == "pending" && snapshot.trials[0].infrastructureFailures == 1)
        #expect(try store.attempts(trial: retried).map(\.error) == [timeout.message])
        #expect(snapshot.trials[1].stateName == "failed" && snapshot.trials[1].failure == diverged)
        #expect(snapshot.trials[1].infrastructureFailures == 0, "a deterministic failure spends no retry budget")
        #expect(try store.attempts(trial: doomed).map(\.error) == ["loss is NaN at epoch 3"])

        try store.apply([
            .leased(retried, attempt: 2, epoch: 3, worker: "w2"),
            .finished(retried, attempt: 2, metrics: StoreFixture.metrics(0.3), worker: "w2"),
            // Late and out of order: must not touch the finished trial.
            .failed(retried, attempt: 2, failure: timeout, willRetry: true),
            .leased(retried, attempt: 3, epoch: 4, worker: "w3"),
        ])
        snapshot = try store.snapshot(sweep: sweep)
        #expect(snapshot.trials[0].stateName == "finished" && snapshot.trials[0].failure == nil)
        #expect(try store.results(sweep: sweep).first { $0.trial == retried }?.metrics == StoreFixture.metrics(0.3))
        #expect(try store.counts(sweep: sweep) == TrialCounts(finished: 1, failed: 1))
    }

    @Test func nonFiniteMetricsAreRecorded() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        let metrics = TrialMetrics(values: ["rmse": .infinity, "mae": -.infinity, "auc": 0.5], timings: ["fit": 1])
        try store.apply([
            .leased(trials[0].id, attempt: 1, epoch: 1, worker: "w1"),
            .finished(trials[0].id, attempt: 1, metrics: metrics, worker: "w1"),
        ])
        #expect(try store.results(sweep: sweep).first?.metrics == metrics)
        let nan = TrialMetrics(values: ["rmse": .nan])
        try store.apply([.duplicate(trials[0].id, attempt: 1, epoch: 1, worker: "w1", metrics: nan)])
        #expect(try store.duplicates(sweep: sweep).first?.metrics?.values["rmse"]?.isNaN == true)
    }

    @Test func workersAndNotesGoToTheEventLog() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [4, 8])
        let (store, _) = try StoreFixture.registered(fixture.path(), trials: trials)
        try store.apply([
            .joined("w1", host: "node-a", slots: 4),
            .leased(trials[0].id, attempt: 1, epoch: 1, worker: "w1"),
            .leased(trials[1].id, attempt: 1, epoch: 2, worker: "w1"),
            .lost("w1", reason: "no heartbeat"),
        ])
        try store.write { try $0.event("sweep paused", kind: "sweep.paused") }
        let events = try store.events(limit: 3)
        #expect(events.map(\.kind) == ["worker.joined", "worker.lost", "sweep.paused"])
        #expect(events[0].text == "worker w1 joined from node-a (pid 42) with 4 slots")
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
        for command: StoreCommand in [
            .leased(stranger, attempt: 1, epoch: 99, worker: "w"),
            .finished(stranger, attempt: 1, metrics: StoreFixture.metrics(1), worker: "w"),
            .failed(
                stranger, attempt: 1, failure: TrialFailure(kind: .deterministic, message: "x"), willRetry: false),
            .duplicate(stranger, attempt: 1, epoch: 99, worker: "w"),
        ] {
            #expect(throws: SweepStoreError.unknownTrial(stranger)) {
                try store.apply([
                    .event("before"),
                    .leased(trials[0].id, attempt: 1, epoch: 50, worker: "w"),
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
        try store.apply([.leased(trials[0].id, attempt: 1, epoch: 40, worker: "w1")])
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
