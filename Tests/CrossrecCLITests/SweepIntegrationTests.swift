import Foundation
import Sweep
import SweepStore
import Testing
import ZeroMQ

/// Real processes over tcp://127.0.0.1: coordinator and workers as users run them.
@Suite("Sweep integration", .serialized)
struct SweepIntegrationTests {
    static func sleepSweep(name: String, trials: Int, seconds: Double) -> String {
        let values = (1...trials).map { String(format: "%.3f", seconds + Double($0) * 0.001) }.joined(separator: ", ")
        return """
            name: \(name)
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
              sleep: {seconds: [\(values)]}
            seeds: [1]
            timeout: 60s
            retries: 3
            """
    }

    /// Finished trials and, per trial, its attempts, read from the store.
    static func storeState(_ path: String) throws -> (finished: Int, failed: Int, attemptsPerTrial: [TrialID: [StoredAttempt]]) {
        let store = try SweepStore.openReadOnly(path)
        defer { try? store.close() }
        guard let sweep = try store.sweeps().first else { return (0, 0, [:]) }
        let counts = try store.counts(sweep: sweep.id)
        var attempts: [TrialID: [StoredAttempt]] = [:]
        for trial in try store.snapshot(sweep: sweep.id).trials { attempts[trial.id] = try store.attempts(trial: trial.id) }
        return (counts.finished, counts.failed, attempts)
    }

    static func finishedCount(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path), let state = try? storeState(path) else { return 0 }
        return state.finished
    }

    @Test func killingAWorkerMidTrialStillFinishesEveryTrialOnce() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep(name: "kill-worker", trials: 8, seconds: 0.4))
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep",
             "--heartbeat-ms", "200"], in: folder, log: "coordinator.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) }, "\(coordinator.log)")
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        let doomed = try Background(["worker", "--connect", endpoint, "--id", "doomed", "--heartbeat-ms", "200"], in: folder, log: "w1.log")
        let survivor = try Background(["worker", "--connect", endpoint, "--id", "survivor", "--heartbeat-ms", "200"], in: folder, log: "w2.log")
        // Kill one worker while it holds a lease (after the first results, before the end).
        #expect(eventually(.seconds(20)) { Self.finishedCount(folder.file("s.sqlite")) >= 1 })
        doomed.kill9()
        #expect(coordinator.wait(timeout: .seconds(40)), "coordinator did not finish: \(coordinator.log)")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log)")
        survivor.wait(timeout: .seconds(10))
        let state = try Self.storeState(folder.file("s.sqlite"))
        #expect(state.finished == 8 && state.failed == 0)
        for (trial, attempts) in state.attemptsPerTrial {
            #expect(attempts.filter { $0.outcome == .finished }.count == 1, "trial \(trial) finished \(attempts)")
        }
        #expect(state.attemptsPerTrial.values.contains { $0.contains { $0.worker == "doomed" && $0.outcome != .finished } })
    }

    @Test func killedCoordinatorResumesWithoutRerunningFinishedTrials() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep(name: "kill-coordinator", trials: 12, seconds: 0.3))
        let first = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep",
             "--heartbeat-ms", "200"], in: folder, log: "c1.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) })
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        let workers = try (1...2).map { try Background(["worker", "--connect", endpoint, "--id", "w\($0)", "--heartbeat-ms", "200"], in: folder, log: "w\($0).log") }
        #expect(eventually(.seconds(20)) { Self.finishedCount(folder.file("s.sqlite")) >= 3 })
        first.kill9()
        let before = try Self.storeState(folder.file("s.sqlite"))
        let finishedBefore = Set(before.attemptsPerTrial.filter { $0.value.contains { $0.outcome == .finished } }.keys)
        #expect(finishedBefore.count >= 3 && finishedBefore.count < 12)
        let second = try Background(
            ["coordinator", "sweep.yaml", "--bind", endpoint, "--store", "s.sqlite", "--heartbeat-ms", "200"], in: folder, log: "c2.log")
        #expect(second.wait(timeout: .seconds(60)), "restarted coordinator did not finish: \(second.log)")
        #expect(second.process.terminationStatus == 0, "\(second.log)")
        for worker in workers { worker.wait(timeout: .seconds(10)) }
        let after = try Self.storeState(folder.file("s.sqlite"))
        #expect(after.finished == 12 && after.failed == 0)
        for trial in finishedBefore {
            #expect(after.attemptsPerTrial[trial]?.count == before.attemptsPerTrial[trial]?.count, "finished trial \(trial) ran again")
        }
        for (trial, attempts) in after.attemptsPerTrial {
            #expect(attempts.filter { $0.outcome == .finished }.count == 1, "trial \(trial): \(attempts)")
        }
    }

    @Test func workerWithAKeyNotOnTheAllowListIsRefused() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep(name: "curve", trials: 2, seconds: 0.01))
        for name in ["coordinator", "good", "stranger"] {
            #expect(try CLI.run(["keys", "generate", name, "--output", folder.file("keys")]).status == 0)
        }
        try FileManager.default.createDirectory(atPath: folder.file("allowed"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder.file("keys/good.pub"), toPath: folder.file("allowed/good.pub"))
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep",
             "--curve-key", "keys/coordinator.key", "--allow", "allowed"], in: folder, log: "c.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) })
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        let stranger = try Background(
            ["worker", "--connect", endpoint, "--id", "stranger", "--server-key", "keys/coordinator.pub", "--curve-key", "keys/stranger.key"],
            in: folder, log: "stranger.log")
        // The refused worker says why, and what to do, instead of only "coordinator lost"; the
        // coordinator logs the refused key too (with its fingerprint and address).
        #expect(
            eventually(.seconds(20)) { stranger.log.contains("refused this worker's CURVE key (keys/stranger.key") },
            "\(stranger.log)")
        #expect(stranger.log.contains("--allow"))
        #expect(eventually(.seconds(20)) { coordinator.log.contains("refused a CURVE handshake: key ") }, "\(coordinator.log)")
        #expect(coordinator.log.contains("from 127.0.0.1"))
        #expect(Self.finishedCount(folder.file("s.sqlite")) == 0, "a refused worker ran trials")
        #expect(coordinator.process.isRunning)
        let good = try Background(
            ["worker", "--connect", endpoint, "--id", "good", "--server-key", "keys/coordinator.pub", "--curve-key", "keys/good.key"],
            in: folder, log: "good.log")
        #expect(coordinator.wait(timeout: .seconds(30)), "\(coordinator.log)")
        #expect(Self.finishedCount(folder.file("s.sqlite")) == 2)
        let state = try Self.storeState(folder.file("s.sqlite"))
        #expect(state.attemptsPerTrial.values.allSatisfy { $0.allSatisfy { $0.worker == "good" } })
        good.wait(timeout: .seconds(10))
        stranger.kill9()
    }

    @Test func randomAndOversizedFramesDoNotStopTheCoordinator() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep(name: "hostile", trials: 3, seconds: 0.01))
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep"],
            in: folder, log: "c.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) })
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        let context = try ZMQContext()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let socket = try context.socket(.dealer)
            try socket.setLinger(.milliseconds(200))
            try socket.setRoutingID("hostile-\(round)")
            try socket.connect(endpoint)
            let size = round == 0 ? 17 << 20 : Int.random(in: 0..<512, using: &generator)  // the first is over MAXMSGSIZE
            let junk = round == 0 ? [UInt8](repeating: 0xA5, count: size) : (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try socket.sendMultipart(round % 3 == 0 ? [junk, junk] : [junk])
            _ = try socket.send([0x01, 0x01] + Array("{\"hello\":{}}".utf8))  // a plausible but malformed hello
            socket.close()
        }
        // Wait until the coordinator has refused some of it, then check it is still serving.
        #expect(eventually(.seconds(20)) { coordinator.log.contains("refused connection") }, "\(coordinator.log)")
        #expect(coordinator.process.isRunning, "coordinator died: \(coordinator.log)")
        let worker = try Background(["worker", "--connect", endpoint, "--id", "honest"], in: folder, log: "w.log")
        #expect(coordinator.wait(timeout: .seconds(30)), "\(coordinator.log)")
        #expect(coordinator.process.terminationStatus == 0)
        #expect(Self.finishedCount(folder.file("s.sqlite")) == 3)
        worker.wait(timeout: .seconds(10))
        context.shutdown()
    }

    @Test func seededSweepGivesTheSameLeaderboardOnOneAndFourWorkers() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "sweep.yaml",
            """
            name: same
            dataset:
              synthetic: {users: 200, movies: 60, news: 60, seed: 3}
              split: {random: {test: 0.2, seed: 1}}
            metric: {primary: rmse, direction: minimize, record: [mae, ndcg@10]}
            models:
              mf: {factors: [4, 8], epochs: 3}
              noop: {}
            seeds: [1, 2]
            """)
        let one = try CLI.run(["sweep", "run", "sweep.yaml", "--workers", "1", "--store", "one.sqlite", "--format", "json"], currentDirectory: folder.path)
        let four = try CLI.run(["sweep", "run", "sweep.yaml", "--workers", "4", "--store", "four.sqlite", "--format", "json"], currentDirectory: folder.path)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(four.status == 0, "\(four.stderr)")
        #expect(one.stdout.contains("\"rmse\""))
        #expect(one.stdout == four.stdout)
    }
}
