import Foundation
import Sweep
import SweepRuntime
import SweepStore
import SweepWire
import Testing
import ZeroMQ

/// The coordinator as users run it, attacked by hostile peers from `HostilePeer` over real
/// ZeroMQ on 127.0.0.1 (floods bounded in count and time), and treated badly by its operators
/// (a stopped worker, the wrong key, a thousand workers on two cores).
@Suite("Hostile peers against a real coordinator", .serialized)
struct HostilePeerTests {
    static func sweep(name: String, trials: Int, seconds: Double) -> String {
        SweepIntegrationTests.sleepSweep(name: name, trials: trials, seconds: seconds)
    }

    /// Starts a coordinator on a free loopback port; returns it and its endpoint.
    static func coordinator(
        _ folder: TemporaryFolder, extra: [String] = [], heartbeatMs: Int = 1000
    ) throws -> (Background, String) {
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep",
             "--heartbeat-ms", String(heartbeatMs)] + extra, in: folder, log: "coordinator.log")
        guard eventually(.seconds(20), { FileManager.default.fileExists(atPath: folder.file("ep")) }) else {
            throw RuntimeError("the coordinator did not start: \(coordinator.log)")
        }
        return (coordinator, try String(contentsOfFile: folder.file("ep"), encoding: .utf8))
    }

    static func store(_ folder: TemporaryFolder) throws -> (SweepStore, SweepID)? {
        guard FileManager.default.fileExists(atPath: folder.file("s.sqlite")),
            let store = try? SweepStore.openReadOnly(folder.file("s.sqlite")), let sweep = try store.sweeps().first
        else { return nil }
        return (store, sweep.id)
    }

    static func finished(_ folder: TemporaryFolder) -> Int {
        guard let (store, sweep) = try? store(folder) else { return 0 }
        return (try? store.counts(sweep: sweep).finished) ?? 0
    }

    static func runningTickets(_ folder: TemporaryFolder, of worker: String) throws -> [LeaseTicket] {
        guard let (store, sweep) = try store(folder) else { return [] }
        return try store.snapshot(sweep: sweep, startedOnly: true).trials.compactMap { record in
            if case .running(let ticket, let holder) = record.state, holder.rawValue == worker { return ticket }
            return nil
        }
    }

    /// Every trial finished once, none failed, and no result carries a forged score (≥ 1).
    static func checkOutcome(_ folder: TemporaryFolder, trials: Int, _ label: String) throws {
        let (store, sweep) = try #require(try store(folder), "\(label): no store")
        let counts = try store.counts(sweep: sweep)
        #expect(counts.finished == trials && counts.failed == 0, "\(label): \(counts)")
        let results = try store.results(sweep: sweep)
        #expect(results.allSatisfy { ($0.metrics.values["score"] ?? 0) < 1 }, "\(label): a forged result counts")
        for trial in try store.snapshot(sweep: sweep).trials {
            let attempts = try store.attempts(trial: trial.id)
            #expect(attempts.filter { $0.outcome == .finished }.count == 1, "\(label): \(trial.id) \(attempts)")
        }
    }

    // MARK: Item 3

    @Test func anImpersonatorIsRefusedAndItsForgedResultsCountNowhere() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "impersonation", trials: 6, seconds: 0.4))
        let (coordinator, endpoint) = try Self.coordinator(folder)
        let worker = try Background(["worker", "--connect", endpoint, "--id", "w1"], in: folder, log: "w1.log")
        #expect(eventually(.seconds(20)) { (try? Self.runningTickets(folder, of: "w1").isEmpty == false) ?? false })
        let tickets = try Self.runningTickets(folder, of: "w1")
        let attack = try HostilePeer.impersonate(
            endpoint: endpoint, workerID: "w1", tickets: tickets, metrics: TrialMetrics(values: ["score": 0.999_9 + 1]))
        #expect(!attack.welcomed, "the impersonator was welcomed as w1: \(attack.answers)")
        #expect(attack.answers.contains { if case .reject(let rejection) = $0 { rejection.code == .workerIDInUse } else { false } })
        #expect(coordinator.wait(timeout: .seconds(60)), "\(coordinator.log)")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log)")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 6, "impersonation")
        #expect(coordinator.log.contains("claims on worker ids held by another identity") || coordinator.log.contains("refused"))
    }

    @Test func underCurveAnotherAllowedKeyCannotImpersonateAWorker() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "curve-impersonation", trials: 4, seconds: 0.4))
        for name in ["coordinator", "w1", "evil"] {
            #expect(try CLI.run(["keys", "generate", name, "--output", folder.file("keys")]).status == 0)
        }
        try FileManager.default.createDirectory(atPath: folder.file("allowed"), withIntermediateDirectories: true)
        for name in ["w1", "evil"] {
            try FileManager.default.copyItem(atPath: folder.file("keys/\(name).pub"), toPath: folder.file("allowed/\(name).pub"))
        }
        let (coordinator, endpoint) = try Self.coordinator(
            folder, extra: ["--curve-key", "keys/coordinator.key", "--allow", "allowed"])
        let worker = try Background(
            ["worker", "--connect", endpoint, "--id", "w1", "--server-key", "keys/coordinator.pub", "--curve-key", "keys/w1.key"],
            in: folder, log: "w1.log")
        #expect(eventually(.seconds(20)) { (try? Self.runningTickets(folder, of: "w1").isEmpty == false) ?? false })
        let serverKey = try CurveKeyFiles.loadPublicKey(path: folder.file("keys/coordinator.pub"))
        let attack = try HostilePeer.impersonate(
            endpoint: endpoint, workerID: "w1", tickets: try Self.runningTickets(folder, of: "w1"),
            metrics: TrialMetrics(values: ["score": 2]),
            curve: HostilePeer.Curve(serverPublicKey: serverKey, clientKeyFile: folder.file("keys/evil.key")))
        #expect(!attack.welcomed, "another allowed key took w1's place: \(attack.answers)")
        #expect(coordinator.wait(timeout: .seconds(60)), "\(coordinator.log)")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 4, "curve impersonation")
    }

    // MARK: Items 4 and 5

    @Test func aHelloFloodNeitherStallsNorEndsTheSweep() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "hello-flood", trials: 120, seconds: 0))
        let (coordinator, endpoint) = try Self.coordinator(folder, heartbeatMs: 300)
        let worker = try Background(["worker", "--connect", endpoint, "--id", "real", "--slots", "2"], in: folder, log: "w.log")
        #expect(eventually(.seconds(20)) { Self.finished(folder) >= 5 })
        // 2,000 vanishing workers in 2 s, each offering 8 slots for the sweep's model.
        let sent = try HostilePeer.helloFlood(endpoint: endpoint, count: 2000, within: .seconds(2), models: ["sleep"])
        #expect(sent == 2000)
        #expect(coordinator.wait(timeout: .seconds(120)), "the sweep did not end: \(coordinator.log.suffix(2000))")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log.suffix(2000))")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 120, "hello flood")
        let lines = coordinator.log.split(separator: "\n").filter { $0.hasPrefix("coordinator [") }.count
        #expect(lines < 100, "the flood cost \(lines) log lines")
    }

    @Test func aGarbageFloodCostsBoundedMemoryAndLogLines() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "garbage", trials: 40, seconds: 0.05))
        let (coordinator, endpoint) = try Self.coordinator(folder)
        let before = ResidentMemory.bytes(pid: coordinator.process.processIdentifier) ?? 0
        let flood = Thread {
            _ = try? HostilePeer.garbageFlood(endpoint: endpoint, frames: 300_000)
        }
        flood.start()
        var peak = 0
        let worker = try Background(["worker", "--connect", endpoint, "--id", "honest"], in: folder, log: "w.log")
        let deadline = ContinuousClock.now + .seconds(120)
        while coordinator.process.isRunning && ContinuousClock.now < deadline {
            peak = max(peak, ResidentMemory.bytes(pid: coordinator.process.processIdentifier) ?? 0)
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(coordinator.wait(timeout: .seconds(1)), "the sweep did not end under the flood")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log.suffix(2000))")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 40, "garbage flood")
        #expect(peak - before < 64 << 20, "resident memory grew by \(peak - before) bytes under the flood")
        let lines = coordinator.log.split(separator: "\n").filter { $0.hasPrefix("coordinator [") }
        #expect(lines.count < 20, "the flood cost \(lines.count) log lines: \(lines.prefix(30))")
        #expect(lines.contains { $0.contains("refused connection") }, "the first malformed frame is logged in full")
    }

    @Test func refusedFramesShowOnTheMetricsEndpointByReason() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "refusals", trials: 1, seconds: 0.01))
        // No worker: the coordinator waits, and counts what the peer below sends.
        let (coordinator, endpoint) = try Self.coordinator(folder, extra: ["--metrics", "127.0.0.1:0"])
        defer { coordinator.kill9() }
        let port = try #require(MetricsEndpointTests.port { coordinator.log }, "\(coordinator.log)")
        let context = try ZMQContext()
        defer { context.shutdown() }
        let peer = try context.socket(.dealer)
        try peer.setLinger(.zero)
        try peer.connect(endpoint)
        defer { peer.close() }
        // Five frames with an unknown tag (the shell cannot decode them), then three heartbeats
        // before any hello (the core refuses them), on one connection kept open until counted.
        for index in 0..<5 { _ = try peer.send([0xEE, UInt8(index)]) }
        for _ in 0..<3 { _ = try peer.send(WireCodec().encode(WorkerMessage.heartbeat(running: [], slots: 1))) }
        var body = ""
        func rejected(_ reason: String?) -> Double? {
            MetricsEndpointTests.value("crossrec_rejected_frames_total", reason.map { "reason=\"\($0)\"" }, in: body)
        }
        #expect(
            eventually(.seconds(10)) {
                body = (try? HTTPTestClient.request(port: port, path: "/metrics").body) ?? ""
                return rejected("malformed") == 5 && rejected("unregistered") == 3
            }, "\(body)")
        #expect(rejected(nil) == 8, "nothing else was refused: \(body)")
    }


    // MARK: Items 7, 9 and 11

    @Test func aWorkerThatNeverHearsTheCoordinatorSaysWhatToCheckAndGivesUp() throws {
        let folder = try TemporaryFolder()
        for name in ["coordinator", "other", "w1"] {
            #expect(try CLI.run(["keys", "generate", name, "--output", folder.file("keys")]).status == 0)
        }
        try folder.write("sweep.yaml", Self.sweep(name: "wrong-key", trials: 2, seconds: 0.01))
        let (coordinator, endpoint) = try Self.coordinator(
            folder, extra: ["--curve-key", "keys/coordinator.key", "--allow", "keys/w1.pub"], heartbeatMs: 200)
        defer { coordinator.kill9() }
        // The right worker key, the wrong server key.
        let started = ContinuousClock.now
        let lost = try CLI.run([
            "worker", "--connect", endpoint, "--id", "w1", "--server-key", folder.file("keys/other.pub"), "--curve-key",
            folder.file("keys/w1.key"), "--heartbeat-ms", "200", "--give-up-after", "2",
        ])
        #expect(lost.status == 1, "\(lost.stderr)")
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(lost.stderr.contains("no answer from \(endpoint)") && lost.stderr.contains("--server-key"), "\(lost.stderr)")
        #expect(!lost.stderr.contains("coordinator lost"), "it was never connected: \(lost.stderr)")
    }

    @Test func aStoppedAndResumedWorkerReattachesOnceAndLosesNothingOfItsOwn() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "sigstop", trials: 10, seconds: 0.3))
        let (coordinator, endpoint) = try Self.coordinator(folder, heartbeatMs: 200)
        let worker = try Background(
            ["worker", "--connect", endpoint, "--id", "w1", "--slots", "2", "--heartbeat-ms", "200", "--verbose"],
            in: folder, log: "w1.log")
        #expect(eventually(.seconds(20)) { Self.finished(folder) >= 2 })
        kill(worker.process.processIdentifier, SIGSTOP)
        // Stopped until the coordinator has declared it lost (liveness 600 ms).
        #expect(eventually(.seconds(10)) { coordinator.log.contains("worker w1 lost") })
        kill(worker.process.processIdentifier, SIGCONT)
        #expect(coordinator.wait(timeout: .seconds(60)), "\(coordinator.log.suffix(2000))")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 10, "sigstop")
        let (store, sweep) = try #require(try Self.store(folder))
        for trial in try store.snapshot(sweep: sweep).trials {
            for attempt in try store.attempts(trial: trial.id) {
                #expect(attempt.error?.contains("re-attached without") != true, "its own retransmission failed \(attempt)")
            }
        }
    }

    @Test func manyLocalWorkersOnTwoCoresRunWithoutReattachStorms() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "sweep.yaml",
            """
            name: many
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
              noop: {}
            seeds: [\((1...400).map(String.init).joined(separator: ", "))]
            """)
        let run = try CLI.run(
            ["sweep", "run", "sweep.yaml", "--workers", "24", "--store", "many.sqlite", "--format", "csv"],
            currentDirectory: folder.path)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(!run.stderr.contains("rejected") && !run.stderr.contains("\\u{"), "\(run.stderr.suffix(2000))")
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder.file("logs-many"))
        #expect(logs.count == 24)
        for log in logs {
            let text = try String(contentsOfFile: folder.file("logs-many/\(log)"), encoding: .utf8)
            #expect(text.components(separatedBy: "reattach").count <= 2, "\(log): \(text.suffix(1000))")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/net/if_inet6"), "needs IPv6"))
    func aCoordinatorOnTheIPv6LoopbackServesWorkers() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sweep(name: "ipv6", trials: 3, seconds: 0.01))
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://[::1]:0", "--store", "s.sqlite", "--endpoint-file", "ep"],
            in: folder, log: "coordinator.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) }, "\(coordinator.log)")
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        #expect(endpoint.hasPrefix("tcp://[::1]:"), "\(endpoint)")
        let worker = try Background(["worker", "--connect", endpoint, "--id", "w6"], in: folder, log: "w.log")
        #expect(coordinator.wait(timeout: .seconds(30)), "\(coordinator.log)")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log)")
        worker.wait(timeout: .seconds(10))
        try Self.checkOutcome(folder, trials: 3, "ipv6")
    }
}
