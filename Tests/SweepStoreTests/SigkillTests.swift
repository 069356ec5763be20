import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// The real thing: a child process acting as coordinator commits batches as fast as it can and is
/// killed with SIGKILL at an arbitrary instant (usually mid-transaction); the store it leaves
/// must hold whole batches only, and a restart must continue from them. The child is this same
/// test binary running `childCoordinator()`, so it runs only where the tests run as an
/// executable (`swift test` on Linux).
@Suite struct SigkillTests {
    static let childEnvironment = "CROSSREC_STORE_SIGKILL_CHILD"
    static let batchSize = 64
    static let executable = CommandLine.arguments.first ?? ""
    static let canSpawnSelf =
        executable.hasSuffix(".xctest") && FileManager.default.isExecutableFile(atPath: executable)

    @Test(.enabled(if: canSpawnSelf, "needs the test binary as an executable"))
    func killedCoordinatorLeavesWholeBatchesAndResumes() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        let trials = StoreFixture.trials(factors: Array(1...(80 * Self.batchSize)))
        let (setup, sweep) = try StoreFixture.registered(path, trials: trials)
        try setup.close()
        let reader = try SweepStore.openReadOnly(path)

        var finishedBefore = 0
        for round in 1...3 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: Self.executable)
            child.arguments = ["--testing-library", "swift-testing", "--filter", "SigkillTests/childCoordinator"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.childEnvironment: path]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
            // Let it commit a few batches past the previous round, then kill it wherever it is.
            // (If a slow machine let it finish everything, the kill lands while it idles: still valid.)
            let target = min(trials.count, finishedBefore + 4 * Self.batchSize)
            let deadline = Date().addingTimeInterval(120)
            while try reader.counts(sweep: sweep).finished < target {
                try #require(child.isRunning, "round \(round): child exited early")
                try #require(Date() < deadline, "round \(round): child made no progress")
                usleep(2_000)
            }
            usleep(UInt32.random(in: 0..<20_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)

            // What the killed coordinator left: whole batches, each trial counted once.
            let restarted = try SweepStore.open(path)
            let snapshot = try restarted.snapshot(sweep: sweep)
            let counts = snapshot.counts
            #expect(counts.running == 0 && counts.failed == 0 && counts.total == trials.count)
            #expect(counts.finished % Self.batchSize == 0, "round \(round): partial batch \(counts)")
            #expect(counts.finished >= target)
            #expect(snapshot.trials.filter { $0.stateName == "finished" }.count == counts.finished)
            #expect(try restarted.results(sweep: sweep).count == counts.finished)
            #expect(snapshot.leaseEpochHighWater == UInt64(counts.finished))
            #expect(try restarted.duplicates(sweep: sweep).isEmpty)
            let batchEvents = try restarted.events(limit: 100_000).filter { $0.kind == "test.batch" }
            #expect(batchEvents.count == counts.finished / Self.batchSize)
            finishedBefore = counts.finished
            try restarted.close()
        }

        // Finish in-process from the last state: every trial counted exactly once.
        let store = try SweepStore.open(path)
        try Self.commitPendingTrials(store, sweep: sweep)
        #expect(try store.counts(sweep: sweep) == TrialCounts(finished: trials.count))
        #expect(try store.results(sweep: sweep).count == trials.count)
        #expect(try store.leaseEpochHighWater() == UInt64(trials.count))
    }

    /// The child side: a coordinator committing batches until killed (it idles when done; 120 s at most).
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childEnvironment] != nil))
    func childCoordinator() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childEnvironment])
        let store = try SweepStore.open(path)
        let sweep = try #require(try store.sweep(named: "mf-grid")).id
        try Self.commitPendingTrials(store, sweep: sweep)
        sleep(120)
    }

    /// Resumes like a coordinator: reads the snapshot once, then leases and finishes the pending
    /// trials `batchSize` at a time, one transaction per batch, with fresh epochs from the store.
    static func commitPendingTrials(_ store: SweepStore, sweep: SweepID) throws {
        let pending = try store.snapshot(sweep: sweep).trials.filter { $0.stateName == "pending" }.map(\.id)
        for start in stride(from: 0, to: pending.count, by: batchSize) {
            let batch = pending[start..<min(start + batchSize, pending.count)]
            try store.write { transaction in
                for trial in batch {
                    let epoch = try transaction.nextLeaseEpoch()
                    try transaction.trialLeased(trial, attempt: 1, leaseEpoch: epoch, worker: "child")
                    try transaction.trialFinished(
                        trial, attempt: 1, metrics: StoreFixture.metrics(0.5), worker: "child")
                }
                try transaction.event("batch of \(batch.count)", kind: "test.batch")
            }
        }
    }
}
