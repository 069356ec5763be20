import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

@testable import SweepRuntime

/// Both real shells over ZeroMQ on loopback, in one process: a `CoordinatorService` stops dead
/// (as a SIGKILL would: nothing more committed, nothing more sent) before or after each commit of
/// a small sweep, and a new one restarts at once on the same store and port, while two
/// `WorkerService`s keep running through it. Whatever the crash point, every trial is counted
/// exactly once, no lease epoch is issued twice, and the leaderboard equals an uninterrupted run.
@Suite("Coordinator crash at every commit, real shells", .serialized)
struct ShellCrashPointTests {
    static let yaml = """
        name: crash-points
        dataset:
          synthetic: {users: 20, movies: 10, news: 10}
        metric: {primary: score, direction: maximize}
        models:
          sleep: {seconds: [0.02, 0.03, 0.04, 0.05, 0.06, 0.07]}
        seeds: [1]
        timeout: 60s
        retries: 3
        """

    /// Runs the sweep to the end; with `crashAt`, the first coordinator dies there and a second
    /// one finishes. Returns the store's path and the last coordinator's outcome.
    /// `yaml` and `workers` (one slot each) are the sweep and its workers (other suites reuse this).
    static func run(
        yaml: String = Self.yaml, in folder: URL, workers: Int = 2, crashAt crashPoint: StoreWriter.CrashPoint?
    ) throws -> (store: String, outcome: CoordinatorService.Outcome, firstCommits: Int) {
        let spec = try SweepSpec(yaml: yaml, catalog: TrialRunner.catalog)
        let store = folder.appendingPathComponent("store.sqlite").path
        var options = CoordinatorService.Options(bind: "tcp://127.0.0.1:0", storePath: store)
        options.heartbeatInterval = .milliseconds(100)
        options.crashPoint = crashPoint
        let first = CoordinatorService(spec: spec, options: options)
        let endpoint = try first.bind()
        let background = (1...workers).map { number in
            var workerOptions = WorkerService.Options(endpoint: endpoint, workerID: "w\(number)", slots: 1)
            workerOptions.heartbeatInterval = .milliseconds(100)
            return BackgroundWorker(options: workerOptions)
        }
        var outcome: CoordinatorService.Outcome
        var firstCommits = 0
        do {
            outcome = try first.run()
            firstCommits = outcome.commits
        } catch let crash as StoreWriter.SimulatedCrash {
            _ = crash
            // Restarted at once on the same store and port; the workers never stopped.
            options.crashPoint = nil
            options.bind = endpoint
            outcome = try CoordinatorService(spec: spec, options: options).run()
        }
        // A worker that was reconnecting when the sweep ended may never hear `shutdown` (it waits
        // for a coordinator forever, as after a crash): ask it, as an operator would.
        for worker in background where !worker.wait(timeout: 10) {
            #expect(worker.wait(timeout: 20), "a worker did not exit even when asked to")
        }
        return (store, outcome, firstCommits)
    }

    @Test func everyTrialCountsOnceWhereverTheCoordinatorDies() throws {
        let baselineFolder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: baselineFolder) }
        let baseline = try Self.run(in: baselineFolder, crashAt: nil)
        #expect(baseline.outcome.summary.finished == 6)
        #expect(baseline.firstCommits >= 6)
        let expected = baseline.outcome.leaderboard.json()
        var crashed = 0
        for batch in 1...baseline.firstCommits {
            for point in [StoreWriter.CrashPoint.beforeCommit(batch: batch), .afterCommit(batch: batch)] {
                let folder = try Self.folder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let run = try Self.run(in: folder, crashAt: point)
                if run.firstCommits == 0 { crashed += 1 }
                let label = "crash \(point)"
                #expect(run.outcome.summary.finished == 6 && run.outcome.summary.failed == 0, "\(label): \(run.outcome.summary)")
                #expect(run.outcome.leaderboard.json() == expected, "\(label): the leaderboard differs")
                let store = try SweepStore.openReadOnly(run.store)
                let sweep = try #require(try store.sweeps().first).id
                #expect(try store.results(sweep: sweep).count == 6, "\(label)")
                var epochs: [UInt64] = []
                for trial in try store.snapshot(sweep: sweep).trials {
                    let attempts = try store.attempts(trial: trial.id)
                    #expect(attempts.filter { $0.outcome == .finished }.count == 1, "\(label): \(trial.id) \(attempts)")
                    epochs += attempts.map(\.leaseEpoch)
                }
                #expect(Set(epochs).count == epochs.count, "\(label): a lease epoch was issued twice: \(epochs.sorted())")
                try store.close()
            }
        }
        #expect(crashed > 0, "no crash point was reached")
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-shell-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A `WorkerService` on a thread of its own.
final class BackgroundWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished = false
    let shutdown = ShutdownSignal()

    init(options: WorkerService.Options, runner: TrialRunner = TrialRunner()) {
        let thread = Thread { [self] in
            _ = try? WorkerService(options: options, runner: runner, shutdown: shutdown).run()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// Waits up to `timeout` seconds for the worker to exit; asks it to shut down if it has not.
    func wait(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !finished && condition.wait(until: deadline) {}
        if !finished { shutdown.request() }
        return finished
    }
}
