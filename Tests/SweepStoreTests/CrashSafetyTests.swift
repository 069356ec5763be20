import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// A coordinator killed at any instant and restarted on the same file resumes from exactly what
/// was committed. "Killed" is simulated by copying the store's files while it is still open
/// (see `StoreFixture.crashImage`), and for real by `SIGKILL` in `SigkillTests`.
@Suite struct CrashSafetyTests {
    @Test func committedBatchesSurviveACrash() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: Array(1...50), seeds: [1, 2])
        let (store, sweep) = try StoreFixture.registered(path, trials: trials)
        try store.apply(Self.lifecycle(of: trials, epochs: 1...))
        let committed = try store.snapshot(sweep: sweep)
        let events = try store.events(limit: 1000)

        let image = try fixture.crashImage(of: path)
        let walSize = try FileManager.default.attributesOfItem(atPath: image + "-wal")[.size] as? Int ?? 0
        #expect(walSize > 0, "the committed data should still be in the WAL, not yet checkpointed")

        let restarted = try SweepStore.open(image)
        #expect(try restarted.snapshot(sweep: sweep) == committed)
        #expect(try restarted.events(limit: 1000) == events)
        #expect(try restarted.nextLeaseEpoch() == committed.leaseEpochHighWater + 1)
        #expect(committed.counts == TrialCounts(pending: 25, running: 25, finished: 25, failed: 25))
        try store.close()
    }

    @Test func crashInsideATransactionKeepsTheLastCommit() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: Array(1...2_000), seeds: [1, 2, 3])
        let (store, sweep) = try StoreFixture.registered(path, trials: trials)
        try store.apply(Self.lifecycle(of: Array(trials.prefix(100)), epochs: 1...))
        let committed = try store.snapshot(sweep: sweep)

        var image = ""
        try store.write { transaction in
            // Enough work that SQLite spills uncommitted pages into the WAL before the commit.
            for (offset, trial) in trials.dropFirst(100).enumerated() {
                try transaction.trialLeased(trial.id, attempt: 1, leaseEpoch: UInt64(1_000 + offset), worker: "w")
                try transaction.trialFinished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.1), worker: "w")
            }
            try transaction.event("almost committed")
            image = try fixture.crashImage(of: path)
        }
        #expect(try store.counts(sweep: sweep).finished == trials.count - 75)

        let restarted = try SweepStore.open(image)
        #expect(try restarted.snapshot(sweep: sweep) == committed)
        #expect(try restarted.events(limit: 5).last?.text != "almost committed")
        try store.close()
    }

    @Test func thrownErrorLeavesNoPartialState() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let trials = StoreFixture.trials(factors: [1, 2, 3])
        let (store, sweep) = try StoreFixture.registered(fixture.path(), trials: trials)
        try store.apply([.leased(trials[0].id, attempt: 1, epoch: 1, worker: "w")])
        let before = try store.snapshot(sweep: sweep)
        let events = try store.events(limit: 100)
        struct NetworkDown: Error {}
        #expect(throws: NetworkDown.self) {
            try store.write { transaction in
                try transaction.trialFinished(trials[0].id, attempt: 1, metrics: StoreFixture.metrics(1), worker: "w")
                try transaction.trialLeased(trials[1].id, attempt: 1, leaseEpoch: 2, worker: "w")
                _ = try transaction.nextLeaseEpoch()
                try transaction.workerLost("w", reason: "gone")
                throw NetworkDown()
            }
        }
        #expect(try store.snapshot(sweep: sweep) == before)
        #expect(try store.events(limit: 100) == events)
        #expect(try store.duplicates(sweep: sweep).isEmpty)
        #expect(try store.attempts(trial: trials[0].id).map(\.outcome) == [nil])
    }

    /// The resume scenario end to end: leases outstanding at the crash are re-leased with higher
    /// epochs, the superseded leases end `cancelled`, every trial is counted once, and a late
    /// answer from before the crash for a trial finished since is a duplicate.
    @Test func restartedCoordinatorResumesWithoutLossOrDoubleCounting() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: Array(1...10))
        let (store, sweep) = try StoreFixture.registered(path, trials: trials)
        var commands: [StoreCommand] = []
        for (index, trial) in trials.enumerated() {
            commands.append(.leased(trial.id, attempt: 1, epoch: UInt64(index + 1), worker: "w\(index % 2)"))
        }
        for trial in trials.prefix(5) {
            commands.append(.finished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.5), worker: "w"))
        }
        try store.apply(commands)
        let image = try fixture.crashImage(of: path)
        try store.close()

        let restarted = try SweepStore.open(image)
        let snapshot = try restarted.snapshot(sweep: sweep)
        #expect(snapshot.counts == TrialCounts(running: 5, finished: 5))
        #expect(snapshot.leaseEpochHighWater == 10)
        var epoch = snapshot.leaseEpochHighWater
        var resume: [StoreCommand] = []
        for trial in snapshot.trials where trial.stateName == "running" {
            epoch += 1
            resume.append(.leased(trial.id, attempt: trial.attempts + 1, epoch: epoch, worker: "new"))
            resume.append(
                .finished(trial.id, attempt: trial.attempts + 1, metrics: StoreFixture.metrics(0.6), worker: "new")
            )
        }
        try restarted.apply(resume)
        // A worker from before the crash finally answers for trial 9's first attempt.
        let late = try restarted.write { transaction in
            try transaction.trialFinished(trials[9].id, attempt: 1, metrics: StoreFixture.metrics(0.9), worker: "w1")
        }
        #expect(!late)

        let final = try restarted.snapshot(sweep: sweep)
        #expect(final.counts == TrialCounts(finished: 10))
        #expect(try restarted.results(sweep: sweep).count == 10)
        #expect(try restarted.results(sweep: sweep).first { $0.trial == trials[9].id }?.metrics == StoreFixture.metrics(0.6))
        #expect(Array(final.trials.prefix(5)) == Array(snapshot.trials.prefix(5)))
        #expect(try restarted.attempts(trial: trials[9].id).map(\.outcome) == [.cancelled, .finished])
        #expect(try restarted.duplicates(sweep: sweep).map(\.trial) == [trials[9].id])
        #expect(final.leaseEpochHighWater == 15)
    }

    /// One quarter of `trials` each: untouched, running, finished, failed for good.
    static func lifecycle(
        of trials: [(id: TrialID, config: TrialConfig)], epochs: PartialRangeFrom<UInt64>
    ) -> [StoreCommand] {
        var epoch = epochs.lowerBound
        var commands: [StoreCommand] = [.joined("w1", host: "node-a", slots: 2)]
        for (index, trial) in trials.enumerated() where index % 4 != 0 {
            commands.append(.leased(trial.id, attempt: 1, epoch: epoch, worker: "w1"))
            epoch += 1
            switch index % 4 {
            case 2:
                commands.append(
                    .finished(
                        trial.id, attempt: 1, metrics: StoreFixture.metrics(Double(index) / 100), worker: "w1"))
            case 3:
                commands.append(
                    .failed(
                        trial.id, attempt: 1, failure: TrialFailure(kind: .deterministic, message: "bad \(index)"),
                        willRetry: false))
            default:
                break
            }
        }
        commands.append(.event("checkpoint"))
        return commands
    }
}
