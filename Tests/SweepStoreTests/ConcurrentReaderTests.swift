import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// A read-only store (another connection, as `crossrec leaderboard` would open) reading while the
/// coordinator writes: WAL gives it the last committed state, never a partial transaction.
@Suite struct ConcurrentReaderTests {
    @Test func readerSeesEachCommitAndNothingUncommitted() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: Array(1...20))
        let (writer, sweep) = try StoreFixture.registered(path, trials: trials)
        let reader = try SweepStore.openReadOnly(path)
        #expect(try reader.counts(sweep: sweep) == TrialCounts(pending: 20))

        try writer.apply(CrashSafetyTests.lifecycle(of: Array(trials.prefix(8)), epochs: 1...))
        // Committed, writer still open and never closed: visible to the other connection.
        let committed = try reader.counts(sweep: sweep)
        #expect(committed == TrialCounts(pending: 14, running: 2, finished: 2, failed: 2))
        #expect(try reader.snapshot(sweep: sweep) == writer.snapshot(sweep: sweep))

        try writer.write { transaction in
            for (offset, trial) in trials.dropFirst(8).enumerated() {
                try transaction.trialLeased(trial.id, attempt: 1, leaseEpoch: UInt64(100 + offset), worker: "w")
                try transaction.trialFinished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.2), worker: "w")
                // Mid-transaction, the reader still sees the last commit.
                #expect(try reader.counts(sweep: sweep) == committed)
            }
            #expect(try reader.results(sweep: sweep).count == 2)
        }
        #expect(try reader.counts(sweep: sweep) == TrialCounts(pending: 2, running: 2, finished: 14, failed: 2))
        #expect(try reader.leaseEpochHighWater() == 111)
        try writer.close()
        // The reader keeps working after the writer has gone.
        #expect(try reader.results(sweep: sweep).count == 14)
    }

    @Test func readerThreadOnlyEverSeesWholeBatches() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let batchSize = 256
        let batches = 40
        let trials = StoreFixture.trials(factors: Array(1...(batchSize * batches)))
        let (setup, sweep) = try StoreFixture.registered(path, trials: trials)
        try setup.close()
        let total = trials.count

        let reader = TestThread {
            let store = try SweepStore.openReadOnly(path)
            let deadline = Date().addingTimeInterval(300)
            var lastFinished = 0
            var reads = 0
            while lastFinished < total {
                try #require(Date() < deadline, "writer did not finish")
                let counts = try store.counts(sweep: sweep)
                #expect(counts.total == total && counts.running == 0 && counts.failed == 0)
                #expect(counts.finished % batchSize == 0, "saw part of a batch: \(counts)")
                #expect(counts.finished >= lastFinished)
                lastFinished = counts.finished
                reads += 1
                if reads % 8 == 0 {
                    let snapshot = try store.snapshot(sweep: sweep)
                    let withResult = snapshot.trials.filter { $0.stateName == "finished" }.count
                    #expect(withResult == snapshot.counts.finished && withResult % batchSize == 0)
                }
            }
        }
        let writer = TestThread {
            let store = try SweepStore.open(path)
            var epoch: UInt64 = 0
            for batch in 0..<batches {
                var commands: [StoreCommand] = []
                for trial in trials[(batch * batchSize)..<((batch + 1) * batchSize)] {
                    epoch += 1
                    commands.append(.leased(trial.id, attempt: 1, epoch: epoch, worker: "w"))
                    commands.append(
                        .finished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.5), worker: "w"))
                }
                try store.apply(commands)
            }
        }
        try writer.join()
        try reader.join()
    }
}
