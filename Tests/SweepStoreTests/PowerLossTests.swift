import CrashSimulatingVFS
import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

/// Writes whose call returned survive an OS crash or power loss (`Durability.osCrashSafe`,
/// `synchronous = FULL`), and the check can fail: with `synchronous = NORMAL` the same crashes
/// lose them. The crash is simulated by `SimulatedPowerLoss` (a SQLite VFS that keeps unsynced
/// writes in memory and drops them); after it the store is reopened through the normal path.
/// `SigkillTests` and `CrashSafetyTests` cover a killed process, which loses less.
@Suite struct PowerLossTests {
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_750_000_000) }
    static let trials = StoreFixture.trials(factors: Array(1...24))

    /// What a coordinator flushes, batch after batch: batch b leases three trials and reports the
    /// three leased by batch b − 1 (two finished, one failed for good).
    static let batches: [[StoreCommand]] = (0...6).map { batch in
        var commands: [StoreCommand] = batch == 0 ? [.joined("w1", host: "node-a", slots: 3)] : []
        for index in (3 * (batch - 1))..<(3 * batch) where index >= 0 {
            if index % 3 == 2 {
                let failure = TrialFailure(kind: .deterministic, message: "diverged \(index)")
                commands.append(.failed(trials[index].id, attempt: 1, failure: failure, willRetry: false))
            } else {
                let metrics = StoreFixture.metrics(Double(index) / 100)
                commands.append(.finished(trials[index].id, attempt: 1, metrics: metrics, worker: "w1"))
            }
        }
        for index in (3 * batch)..<(3 * batch + 3) where batch < 6 {
            commands.append(.leased(trials[index].id, attempt: 1, epoch: UInt64(index + 1), worker: "w1"))
        }
        commands.append(.event("batch \(batch) flushed"))
        return commands
    }

    /// The coordinator's life as steps, each one call that returns or throws: step 0 opens
    /// (creates) the store, step 1 registers the sweep, step 2 + b applies `batches[b]`.
    static var steps: [(name: String, run: (inout SweepStore?, String, SweepStore.Durability) throws -> Void)] {
        [
            ("open", { store, path, durability in store = try open(path, durability) }),
            (
                "registerSweep",
                { store, _, _ in
                    try store!.registerSweep(
                        name: "mf-grid", specJSON: #"{"name":"mf-grid"}"#, datasetFingerprint: StoreFixture.fingerprint,
                        codeVersion: "test-1", trials: trials)
                }
            ),
        ]
            + batches.enumerated().map { batch, commands in
                ("apply batch \(batch)", { store, _, _ in try store!.apply(commands) })
            }
    }

    static func open(_ path: String, _ durability: SweepStore.Durability) throws -> SweepStore {
        try SweepStore(path: path, durability: durability, clock: clock)
    }

    /// For each step k, in a fresh folder: runs steps 0…k, records what the store holds, loses
    /// power, then checks the file as a viewer (read-only: no repair, no migration) and as a
    /// restarted coordinator would open it. Returns, per step after which anything acknowledged
    /// was missing, what was found instead.
    static func lossesAfterReturnedSteps(_ durability: SweepStore.Durability, in fixture: StoreFixture) throws -> [Int:
        String]
    {
        var losses: [Int: String] = [:]
        for k in steps.indices {
            let power = try SimulatedPowerLoss(folder: fixture.folder.appendingPathComponent("after-step-\(k)"))
            defer { power.withdraw() }
            let path = power.folder.appendingPathComponent("store.sqlite").path
            var store: SweepStore?
            for step in steps.prefix(k + 1) { try step.run(&store, path, durability) }
            let acknowledged = try StoreContent(store!)
            power.crash()
            try? store?.close()
            store = nil

            func size(_ file: String) -> String {
                guard let bytes = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int else {
                    return "missing"
                }
                return "\(bytes) bytes"
            }
            let files = "store file \(size(path)), WAL \(size(path + "-wal"))"
            var found: [String] = []
            do {
                let viewer = try SweepStore.openReadOnly(path)
                let content = try StoreContent(viewer)
                try viewer.close()
                if content != acknowledged { found.append("a viewer read \(content)") }
            } catch {
                found.append("a viewer could not open it: \(error)")
            }
            let restarted = try open(path, durability)
            let content = try StoreContent(restarted)
            try restarted.close()
            if content != acknowledged { found.append("a restarted coordinator read \(content)") }
            #expect(power.stats.opens > 0, "the store's connections did not go through the crash-simulating VFS")
            if !found.isEmpty {
                losses[k] =
                    "power lost after \(steps[k].name) returned with \(acknowledged): "
                    + found.joined(separator: "; ") + " (\(files), \(power.stats.lostFiles) file(s) lost)"
            }
        }
        return losses
    }

    @Test func everyReturnedWriteSurvivesPowerLoss() throws {
        let fixture = try StoreFixture(in: SimulatedPowerLoss.scratchFolder)
        defer { fixture.remove() }
        let losses = try Self.lossesAfterReturnedSteps(.osCrashSafe, in: fixture)
        #expect(losses.isEmpty, "\(losses.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n"))")
    }

    /// The negative control: the same check finds losses after every step with `synchronous =
    /// NORMAL`, so `everyReturnedWriteSurvivesPowerLoss` can fail.
    @Test func normalSynchronousLosesReturnedWritesOnPowerLoss() throws {
        let fixture = try StoreFixture(in: SimulatedPowerLoss.scratchFolder)
        defer { fixture.remove() }
        let losses = try Self.lossesAfterReturnedSteps(.processCrashSafe, in: fixture)
        #expect(Set(losses.keys) == Set(Self.steps.indices), "\(losses)")
    }

    /// The reported incident: a sweep registered and 18 results applied, then the machine went
    /// down. With NORMAL the store comes back as an empty 4 KB file (page 1 only: the WAL holds
    /// its header and no frame); with FULL every result is there.
    @Test(arguments: SweepStore.Durability.allCases)
    func reportedIncident(durability: SweepStore.Durability) throws {
        let fixture = try StoreFixture(in: SimulatedPowerLoss.scratchFolder)
        defer { fixture.remove() }
        let power = try SimulatedPowerLoss(folder: fixture.folder.appendingPathComponent("store"))
        defer { power.withdraw() }
        let path = power.folder.appendingPathComponent("store.sqlite").path
        let (store, sweep) = try StoreFixture.registered(path, trials: Self.trials, durability: durability)
        for start in stride(from: 0, to: 18, by: 6) {
            var commands: [StoreCommand] = []
            for (offset, trial) in Self.trials[start..<(start + 6)].enumerated() {
                commands.append(.leased(trial.id, attempt: 1, epoch: UInt64(start + offset + 1), worker: "w1"))
                commands.append(.finished(trial.id, attempt: 1, metrics: StoreFixture.metrics(0.5), worker: "w1"))
            }
            try store.apply(commands)
        }
        power.crash()
        try? store.close()

        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        switch durability {
        case .processCrashSafe:
            #expect(size == 4096)
            // SQLite syncs a new WAL's 32-byte header even with NORMAL, never the frames after it.
            let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
            #expect(walSize == 32)
            #expect(throws: SweepStoreError.self) { try SweepStore.openReadOnly(path) }
            let restarted = try SweepStore.open(path, durability: durability)
            #expect(try restarted.sweeps().isEmpty)
            try restarted.close()
        case .osCrashSafe:
            let restarted = try SweepStore.open(path, durability: durability)
            #expect(try restarted.counts(sweep: sweep) == TrialCounts(pending: 6, finished: 18))
            #expect(try restarted.results(sweep: sweep).count == 18)
            try restarted.close()
        }
    }

    /// Found by `powerLossAtAnyWriteLeavesWholeSteps`: GRDB's migrator commits `grdb_migrations`
    /// before migration v1, so a crash between the two (power loss or SIGKILL) left a file that
    /// `open` refused for good as "an SQLite database with tables grdb_migrations".
    @Test(.enabled(if: SQLiteShell.isAvailable, "needs /usr/bin/sqlite3 to stop a store's creation half-way"))
    func creationInterruptedBeforeTheFirstMigrationIsAnEmptyStore() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let path = fixture.path()
        _ = try SQLiteShell.query(
            path, "PRAGMA journal_mode = WAL; CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);")
        let error = try #require(throws: SweepStoreError.self) { try SweepStore.openReadOnly(path) }
        #expect(error.description.contains("no coordinator has written it"), "\(error)")
        let (store, sweep) = try StoreFixture.registered(path, trials: Self.trials)
        #expect(try store.counts(sweep: sweep).pending == Self.trials.count)
        try store.close()
    }

    /// Power lost in the middle of any step, at each write, truncation or sync SQLite makes (the
    /// operation fails and every unsynced change is dropped): the reopened store holds exactly
    /// what it held after the last step that returned, or after the interrupted one, whole.
    @Test func powerLossAtAnyWriteLeavesWholeSteps() throws {
        let fixture = try StoreFixture(in: SimulatedPowerLoss.scratchFolder)
        defer { fixture.remove() }
        // The reference: the same steps without a crash, and how many operations they make.
        let reference = try SimulatedPowerLoss(folder: fixture.folder.appendingPathComponent("reference"))
        defer { reference.withdraw() }
        var store: SweepStore?
        var contentAfter: [StoreContent] = []
        for step in Self.steps {
            try step.run(&store, reference.folder.appendingPathComponent("store.sqlite").path, .osCrashSafe)
            contentAfter.append(try StoreContent(store!))
        }
        let operations = Int(reference.stats.operations)
        try store?.close()
        #expect(operations > Self.steps.count)

        var outcomes: [String: Int] = [:]
        for operation in 1...operations {
            let power = try SimulatedPowerLoss(folder: fixture.folder.appendingPathComponent("crash-\(operation)"))
            defer { power.withdraw() }
            let path = power.folder.appendingPathComponent("store.sqlite").path
            power.arm(atOperation: operation)
            var returned = 0
            var store: SweepStore?
            do {
                for step in Self.steps {
                    try step.run(&store, path, .osCrashSafe)
                    returned += 1
                }
            } catch {}
            try #require(power.stats.crashed != 0, "operation \(operation) of \(operations) never came")
            try? store?.close()
            store = nil

            let restarted = try Self.open(path, .osCrashSafe)
            let content = try StoreContent(restarted)
            try restarted.close()
            let interrupted = min(returned, Self.steps.count - 1)
            let last = max(0, returned - 1)
            if content == contentAfter[last] {
                outcomes["without the interrupted step", default: 0] += 1
            } else if content == contentAfter[interrupted] {
                outcomes["with the interrupted step", default: 0] += 1
            } else {
                Issue.record(
                    """
                    power lost at operation \(operation) of \(operations), during \(Self.steps[interrupted].name): \
                    the store holds \(content), expected \(contentAfter[last]) or \(contentAfter[interrupted])
                    """)
            }
        }
        print("PowerLossTests: \(operations) crash points: \(outcomes)")
    }
}
