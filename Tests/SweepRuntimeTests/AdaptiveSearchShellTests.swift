import Foundation
import Sweep
import SweepStore
import SweepWire
import Testing

@testable import SweepRuntime

/// TPE with ASHA through the real shells (ZeroMQ on loopback, SQLite store), on the built-in
/// `curve` model: a known loss of its parameters plus a learning curve 0.5/epoch, reported as
/// `validation_score` every epoch. The coordinator suggests, stops, persists and restarts.
@Suite("Adaptive search through the real shells", .serialized)
struct AdaptiveSearchShellTests {
    static let yaml = """
        name: adaptive
        dataset:
          synthetic: {users: 20, movies: 10, news: 10}
          validation: {fraction: 0.2, seed: 1}
        metric: {primary: score, direction: minimize}
        models:
          curve:
            x: {uniform: [0, 2]}
            lr: {loguniform: [0.00001, 0.1]}
            kind: {choice: [a, b, c, d]}
            seconds: 0.002
        search: {method: tpe, trials: 14, seed: 3, startup: 5}
        stopping: {asha: {min: 1, max: 9, reduction: 3}}
        seeds: [1]
        timeout: 60s
        retries: 3
        """

    struct Run {
        var store: String
        var outcome: CoordinatorService.Outcome
        var firstCommits: Int
    }

    static func run(in folder: URL, workers: Int = 1, crashAt crashPoint: StoreWriter.CrashPoint? = nil) throws -> Run {
        let run = try ShellCrashPointTests.run(yaml: yaml, in: folder, workers: workers, crashAt: crashPoint)
        return Run(store: run.store, outcome: run.outcome, firstCommits: run.firstCommits)
    }

    /// What must hold after any run, crashed or not: the budget is spent exactly (14 distinct
    /// configurations, each a trial once), every trial ended exactly one way (a result, a stop or
    /// a failure), stopped trials have no result and finished ones no stop, suggestion numbers
    /// are unique, and no lease epoch was issued twice.
    static func check(_ run: Run, _ label: String) throws {
        let store = try SweepStore.openReadOnly(run.store)
        defer { try? store.close() }
        let sweep = try #require(try store.sweeps().first).id
        let snapshot = try store.snapshot(sweep: sweep)
        let counts = try store.counts(sweep: sweep)
        #expect(snapshot.trials.count == 14, "\(label): \(snapshot.trials.count) trials")
        #expect(Set(snapshot.trials.map(\.config.configurationKey)).count == 14, "\(label): a configuration ran twice")
        #expect(counts.pending == 0 && counts.running == 0 && counts.failed == 0, "\(label): \(counts)")
        let results = Set(try store.results(sweep: sweep).map(\.trial))
        let stops = Set(try store.stoppedTrials(sweep: sweep).map(\.trial))
        #expect(results.isDisjoint(with: stops), "\(label): a trial both finished and stopped")
        #expect(results.count + stops.count == 14, "\(label): \(results.count) results, \(stops.count) stops")
        #expect(counts.stopped == stops.count && counts.finished == results.count, "\(label): \(counts)")
        for trial in snapshot.trials {
            switch trial.state {
            case .stopped: #expect(stops.contains(trial.id), "\(label)")
            case .finished: #expect(results.contains(trial.id), "\(label)")
            default: Issue.record("\(label): trial \(trial.id) is \(trial.state)")
            }
        }
        let history = try store.searchHistory(sweep: sweep, objective: "validation_score")
        #expect(Set(history.suggestionIndex.values).count == 14, "\(label): suggestion numbers repeat: \(history.suggestionIndex.values.sorted())")
        var epochs: [UInt64] = []
        for trial in snapshot.trials { epochs += try store.attempts(trial: trial.id).map(\.leaseEpoch) }
        #expect(Set(epochs).count == epochs.count, "\(label): a lease epoch was issued twice")
    }

    @Test func tpeWithAshaSpendsTheBudgetStopsWeakTrialsAndIsReproducible() throws {
        let folder = try ShellCrashPointTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.run(in: folder)
        try Self.check(run, "uninterrupted")
        #expect(run.outcome.summary.outcome == .completed)
        #expect(run.outcome.summary.stopped > 0, "ASHA stopped nothing: \(run.outcome.summary)")
        // The search report: every trial with its learning curve; stopped ones with their rung.
        let report = try #require(run.outcome.search)
        #expect(report.trials.count == 14)
        #expect(report.trials.filter { $0.state == "stopped" }.count == run.outcome.summary.stopped)
        for trial in report.trials {
            #expect(!trial.curve.isEmpty && Int(trial.curve.last![0]) == trial.epochs, "\(trial.label): \(trial.curve)")
            if trial.state == "stopped" { #expect([1, 3].contains(trial.epochs) && trial.stopReason?.contains("ASHA rung") == true) }
            if trial.state == "finished" { #expect(trial.epochs == 9) }
        }
        #expect(report.bestSoFar.count == 14 && zip(report.bestSoFar, report.bestSoFar.dropFirst()).allSatisfy { $0.best >= $1.best })
        let html = report.htmlSection()
        // A line per trial (a dot for one stopped after its first epoch) and the two best-so-far lines.
        let marks = html.components(separatedBy: "<polyline").count + html.components(separatedBy: "<circle").count - 2
        #expect(marks == 16, "\(marks) curves")
        #expect(html.contains("Stopped early") && report.markdown().contains("| stopped after epoch |"))
        // One worker with one slot: the whole search is sequential, so a second run suggests the
        // same configurations in the same order and stops the same trials.
        let again = try ShellCrashPointTests.folder()
        defer { try? FileManager.default.removeItem(at: again) }
        let second = try Self.run(in: again)
        #expect(try Self.suggestions(run.store) == Self.suggestions(second.store))
        #expect(run.outcome.leaderboard.json() == second.outcome.leaderboard.json())
    }

    static func suggestions(_ path: String) throws -> [String] {
        let store = try SweepStore.openReadOnly(path)
        defer { try? store.close() }
        let sweep = try #require(try store.sweeps().first).id
        let history = try store.searchHistory(sweep: sweep, objective: "validation_score")
        let stopped = Set(try store.stoppedTrials(sweep: sweep).map(\.trial))
        return try store.snapshot(sweep: sweep).trials.map { trial in
            "\(history.suggestionIndex[trial.id] ?? -1) \(trial.config.label) \(stopped.contains(trial.id) ? "stopped" : "finished")"
        }
    }

    /// The coordinator dies before or after a commit (every third batch, both ways) and a new one
    /// resumes on the same store while two workers keep running: the budget is spent exactly,
    /// nothing is suggested twice, stopped trials stay stopped.
    @Test func everyTrialCountsOnceWhereverTheCoordinatorDies() throws {
        let baselineFolder = try ShellCrashPointTests.folder()
        defer { try? FileManager.default.removeItem(at: baselineFolder) }
        let baseline = try Self.run(in: baselineFolder, workers: 2)
        try Self.check(baseline, "baseline")
        var crashed = 0
        for batch in stride(from: 1, through: baseline.firstCommits, by: max(1, baseline.firstCommits / 12)) {
            for point in [StoreWriter.CrashPoint.beforeCommit(batch: batch), .afterCommit(batch: batch)] {
                let folder = try ShellCrashPointTests.folder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let run = try Self.run(in: folder, workers: 2, crashAt: point)
                if run.firstCommits == 0 { crashed += 1 }
                try Self.check(run, "crash \(point)")
            }
        }
        #expect(crashed > 0, "no crash point was reached")
    }
}
