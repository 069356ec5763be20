import Foundation
import RecData
import Sweep
import SweepRuntime
import SweepStore
import SweepWire

/// The coordinator under faults, end to end with the real `crossrec` processes on loopback:
///
/// - **Kills**: a sweep of `killTrials` noop trials on 2 workers; the coordinator is SIGKILLed
///   `coordinatorKills` times at random moments (seeded: when the recorded results pass random
///   fractions of the sweep) and restarted at once on the same store and port; workers are
///   SIGKILLed and restarted `workerKills` times too.
/// - **Floods**: a sweep of `floodTrials` 1 ms `sleep` trials on 2 workers (long enough to outlast
///   the floods) while, from 5% of the sweep, `hellos` connections each send a valid hello and
///   vanish (over `helloSeconds`, at most `helloConnectionsOpen` open at once), one peer sends
///   `garbageFrames` random frames without ever reading, and at 50% an impersonator claims worker
///   w1 with its current leases and results whose `score` (in [0, 1) for real trials) is 2.
///
/// Each faulty sweep is compared with a clean `crossrec sweep run` of the same file. Reported,
/// with their goals: trials lost (0), trials counted twice (0), forged results accepted (0),
/// leaderboards equal to the clean runs (yes), peak coordinator RSS (< 150 MB), and the longest
/// time without a recorded result during the flood (< 2 s).
struct FaultBenchmark {
    var killTrials = 30_000
    var coordinatorKills = 20
    var workerKills = 4
    var floodTrials = 30_000
    var hellos = 10_000
    var helloSeconds = 10.0
    /// Flood connections open at the same time (the oldest is closed silently when a new one opens).
    var helloConnectionsOpen = 200
    var garbageFrames = 2_000_000
    var seed: UInt64 = 1

    struct KillPhase: Codable {
        var trials: Int
        var coordinatorKills: Int
        var workerKills: Int
        var seconds: Double
        var trialsLost: Int
        var trialsCountedTwice: Int
        var leaderboardEqualsCleanRun: Bool
        var peakCoordinatorResidentBytes: Int
        var attemptsBeyondTheFirst: Int
    }

    struct FloodPhase: Codable {
        var trials: Int
        var hellosSent: Int
        var helloFloodSeconds: Double
        var helloConnectionsOpenAtOnce: Int
        var garbageFramesSent: Int
        var impersonatorWelcomed: Bool
        var impersonatorTickets: Int
        var forgedResultsAccepted: Int
        var trialsLost: Int
        var trialsCountedTwice: Int
        var leaderboardEqualsCleanRun: Bool
        var peakCoordinatorResidentBytes: Int
        var longestGapWithoutAResultDuringFloodSeconds: Double
        var coordinatorLogLines: Int
        var seconds: Double
    }

    struct Report: Codable {
        var benchmark = "coordinator-faults"
        var buildConfiguration: String
        var seed: UInt64
        var kills: KillPhase
        var floods: FloodPhase
        var goals = [
            "trialsLost": "0", "trialsCountedTwice": "0", "forgedResultsAccepted": "0",
            "leaderboardEqualsCleanRun": "true", "peakCoordinatorResidentBytes": "< 150 MiB",
            "longestGapWithoutAResultDuringFloodSeconds": "< 2",
        ]
        var goalsMet: Bool
    }

    func run() throws -> Report {
        let crossrec = try BenchmarkSupport.crossrecExecutable()
        let root = try BenchmarkSupport.temporaryFolder("crossrec-fault-bench")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var random = SeededGenerator(seed: seed)
        let kills = try killPhase(crossrec, root: root, random: &random)
        let floods = try floodPhase(crossrec, root: root)
        let met =
            kills.trialsLost == 0 && kills.trialsCountedTwice == 0 && kills.leaderboardEqualsCleanRun
            && floods.trialsLost == 0 && floods.trialsCountedTwice == 0 && floods.leaderboardEqualsCleanRun
            && floods.forgedResultsAccepted == 0 && !floods.impersonatorWelcomed
            && max(kills.peakCoordinatorResidentBytes, floods.peakCoordinatorResidentBytes) < 150 << 20
            && floods.longestGapWithoutAResultDuringFloodSeconds < 2
        return Report(buildConfiguration: BenchmarkSupport.buildConfiguration, seed: seed, kills: kills, floods: floods, goalsMet: met)
    }

    // MARK: Phases

    private func killPhase(_ crossrec: String, root: String, random: inout SeededGenerator) throws -> KillPhase {
        let folder = root + "/kills"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try writeSweep(name: "faults-kills", trials: killTrials, folder: folder, model: "noop: {}")
        let clean = try cleanLeaderboard(crossrec, file: file, folder: folder)
        note("kills: clean run done; now \(coordinatorKills) coordinator and \(workerKills) worker kills")

        let store = folder + "/fault.sqlite"
        let cluster = try Cluster(crossrec: crossrec, file: file, store: store, folder: folder)
        let start = ContinuousClock.now
        // Kill points as fractions of the sweep, sorted; worker kills at their own points.
        let coordinatorPoints = (0..<coordinatorKills).map { _ in Double.random(in: 0.02...0.95, using: &random) }.sorted()
        let workerPoints = (0..<workerKills).map { _ in Double.random(in: 0.05...0.9, using: &random) }.sorted()
        var events: [(at: Double, coordinator: Bool)] =
            coordinatorPoints.map { ($0, true) } + workerPoints.map { ($0, false) }
        events.sort { $0.at < $1.at }
        let reader = try StoreReader(path: store)
        var workerTurn = 0
        for event in events {
            let target = Int(event.at * Double(killTrials))
            try waitUntil(timeout: 300, "\(target) results before a kill") { (try? reader.finished()) ?? 0 >= target }
            if event.coordinator {
                try cluster.killAndRestartCoordinator(randomDelay: Double.random(in: 0...0.3, using: &random))
            } else {
                workerTurn += 1
                try cluster.killAndRestartWorker(number: 1 + workerTurn % 2)
            }
        }
        let output = try cluster.waitForCoordinator(timeout: 600)
        let seconds = BenchmarkSupport.seconds(since: start)
        let peak = cluster.peakCoordinatorResidentBytes
        cluster.stopWorkers()
        let counts = try StoreReader(path: store).integrity()
        note("kills: done in \(String(format: "%.1f", seconds)) s; \(counts.lost) lost, \(counts.twice) counted twice")
        return KillPhase(
            trials: killTrials, coordinatorKills: coordinatorKills, workerKills: workerKills, seconds: seconds,
            trialsLost: counts.lost, trialsCountedTwice: counts.twice, leaderboardEqualsCleanRun: output == clean,
            peakCoordinatorResidentBytes: peak, attemptsBeyondTheFirst: counts.extraAttempts)
    }

    private func floodPhase(_ crossrec: String, root: String) throws -> FloodPhase {
        let folder = root + "/floods"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = try writeSweep(name: "faults-floods", trials: floodTrials, folder: folder, model: "sleep: {seconds: 0.001}")
        let clean = try cleanLeaderboard(crossrec, file: file, folder: folder)
        note("floods: clean run done; now \(hellos) hellos, \(garbageFrames) garbage frames and an impersonator")

        let store = folder + "/fault.sqlite"
        let cluster = try Cluster(crossrec: crossrec, file: file, store: store, folder: folder)
        let start = ContinuousClock.now
        let reader = try StoreReader(path: store)
        try waitUntil(timeout: 300, "5% of the results") { (try? reader.finished()) ?? 0 >= floodTrials / 20 }
        let floodStart = Date()
        let endpoint = cluster.endpoint
        let hellos = self.hellos
        let helloSeconds = self.helloSeconds
        let garbageFrames = self.garbageFrames
        let openAtOnce = helloConnectionsOpen
        let helloFlood = Background {
            try HostilePeer.helloFlood(endpoint: endpoint, count: hellos, within: .seconds(helloSeconds), openAtOnce: openAtOnce)
        }
        let garbageFlood = Background { try HostilePeer.garbageFlood(endpoint: endpoint, frames: garbageFrames) }
        try waitUntil(timeout: 300, "50% of the results") { (try? reader.finished()) ?? 0 >= floodTrials / 2 }
        let tickets = try reader.runningTickets(of: "w1")
        let impersonation = try HostilePeer.impersonate(
            endpoint: endpoint, workerID: "w1", tickets: tickets, metrics: TrialMetrics(values: ["score": 2]))
        let hellosSent = try helloFlood.result()
        let garbageSent = try garbageFlood.result()
        let floodEnd = Date()
        let output = try cluster.waitForCoordinator(timeout: 600)
        let seconds = BenchmarkSupport.seconds(since: start)
        let peak = cluster.peakCoordinatorResidentBytes
        cluster.stopWorkers()
        let final = try StoreReader(path: store)
        let counts = try final.integrity()
        let forged = try final.resultsWithScore(atLeast: 1)
        let gap = try final.longestGap(from: floodStart, to: floodEnd)
        let logLines = (try? String(contentsOfFile: folder + "/coordinator.log", encoding: .utf8))?.split(separator: "\n").count ?? 0
        note("floods: done in \(String(format: "%.1f", seconds)) s; longest gap \(String(format: "%.2f", gap)) s")
        return FloodPhase(
            trials: floodTrials, hellosSent: hellosSent, helloFloodSeconds: helloSeconds,
            helloConnectionsOpenAtOnce: helloConnectionsOpen, garbageFramesSent: garbageSent,
            impersonatorWelcomed: impersonation.welcomed, impersonatorTickets: tickets.count,
            forgedResultsAccepted: forged, trialsLost: counts.lost, trialsCountedTwice: counts.twice,
            leaderboardEqualsCleanRun: output == clean, peakCoordinatorResidentBytes: peak,
            longestGapWithoutAResultDuringFloodSeconds: gap, coordinatorLogLines: logLines, seconds: seconds)
    }

    // MARK: Pieces

    private func writeSweep(name: String, trials: Int, folder: String, model: String) throws -> String {
        let file = "\(folder)/\(name).yaml"
        let seeds = (1...trials).map(String.init).joined(separator: ", ")
        try """
            name: \(name)
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
              \(model)
            seeds: [\(seeds)]
            timeout: 60s
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The JSON leaderboard of an uninterrupted `crossrec sweep run` of `file`.
    private func cleanLeaderboard(_ crossrec: String, file: String, folder: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: crossrec)
        process.arguments = ["sweep", "run", file, "--workers", "2", "--store", "\(folder)/clean.sqlite", "--format", "json"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("the clean run of \(file) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    private func waitUntil(timeout seconds: Double, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw BenchmarkError("timed out waiting for \(what)") }
            usleep(10_000)
        }
    }

    private func note(_ text: String) { FileHandle.standardError.write(Data("faults: \(text)\n".utf8)) }
}

/// A coordinator and two workers as processes, killed and restarted on demand; the coordinator's
/// resident memory sampled every 20 ms.
private final class Cluster: @unchecked Sendable {
    let crossrec: String
    let file: String
    let store: String
    let folder: String
    private(set) var endpoint = ""
    private var coordinator: Process?
    private var coordinatorOutput: Pipe?
    private var workers: [Int: Process] = [:]
    private let lock = NSLock()
    private var peak = 0
    private var sampling = true

    init(crossrec: String, file: String, store: String, folder: String) throws {
        self.crossrec = crossrec
        self.file = file
        self.store = store
        self.folder = folder
        try startCoordinator(bind: "tcp://127.0.0.1:0")
        let endpointFile = folder + "/endpoint"
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOfFile: endpointFile, encoding: .utf8)).map(\.isEmpty) ?? true {
            guard Date() < deadline else { throw BenchmarkError("the coordinator never wrote its endpoint") }
            usleep(10_000)
        }
        endpoint = try String(contentsOfFile: endpointFile, encoding: .utf8)
        for number in 1...2 { try startWorker(number) }
        Thread { [self] in
            while lock.withLock({ sampling }) {
                if let pid = lock.withLock({ coordinator?.processIdentifier }), let rss = ResidentMemory.bytes(pid: pid) {
                    lock.withLock { peak = max(peak, rss) }
                }
                usleep(20_000)
            }
        }.start()
    }

    var peakCoordinatorResidentBytes: Int { lock.withLock { peak } }

    private func startCoordinator(bind: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: crossrec)
        process.arguments = [
            "coordinator", file, "--bind", bind, "--store", store, "--endpoint-file", folder + "/endpoint", "--format", "json",
            "--allow-failures",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        let log = FileHandle(forWritingAtPath: folder + "/coordinator.log") ?? {
            _ = FileManager.default.createFile(atPath: folder + "/coordinator.log", contents: nil)
            return FileHandle(forWritingAtPath: folder + "/coordinator.log")!
        }()
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        lock.withLock {
            coordinator = process
            coordinatorOutput = output
        }
    }

    private func startWorker(_ number: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: crossrec)
        process.arguments = ["worker", "--connect", endpoint, "--id", "w\(number)", "--slots", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        workers[number] = process
    }

    func killAndRestartCoordinator(randomDelay: Double) throws {
        guard let old = lock.withLock({ coordinator }) else { return }
        if let rss = ResidentMemory.bytes(pid: old.processIdentifier) { lock.withLock { peak = max(peak, rss) } }
        kill(old.processIdentifier, SIGKILL)
        old.waitUntilExit()
        usleep(UInt32(randomDelay * 1_000_000))
        try startCoordinator(bind: endpoint)
    }

    func killAndRestartWorker(number: Int) throws {
        if let old = workers[number] {
            kill(old.processIdentifier, SIGKILL)
            old.waitUntilExit()
        }
        try startWorker(number)
    }

    /// Waits for the (last) coordinator to exit 0 and returns what it printed.
    func waitForCoordinator(timeout seconds: Double) throws -> String {
        guard let (process, output) = lock.withLock({ coordinator.map { ($0, coordinatorOutput!) } }) else {
            throw BenchmarkError("no coordinator")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        lock.withLock { sampling = false }
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("the coordinator exited \(process.terminationStatus); see \(folder)/coordinator.log")
        }
        return String(decoding: data, as: UTF8.self)
    }

    func stopWorkers() {
        let deadline = Date().addingTimeInterval(10)
        for process in workers.values {
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}

/// Read-only looks into a store while and after a coordinator writes it.
private struct StoreReader {
    let store: SweepStore
    let path: String

    init(path: String) throws {
        self.path = path
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) {
            guard Date() < deadline else { throw BenchmarkError("\(path) never appeared") }
            usleep(10_000)
        }
        var opened: SweepStore?
        while opened == nil {
            opened = try? SweepStore.openReadOnly(path)
            if opened == nil {
                guard Date() < deadline else { throw BenchmarkError("cannot open \(path)") }
                usleep(10_000)
            }
        }
        store = opened!
    }

    func sweep() throws -> SweepID {
        guard let sweep = try store.sweeps().first else { throw BenchmarkError("\(path) holds no sweep yet") }
        return sweep.id
    }

    func finished() throws -> Int { try store.counts(sweep: try sweep()).finished }

    func runningTickets(of worker: String) throws -> [LeaseTicket] {
        try store.snapshot(sweep: try sweep(), startedOnly: true).trials.compactMap { record in
            if case .running(let ticket, let holder) = record.state, holder.rawValue == worker { return ticket }
            return nil
        }.prefix(64).map { $0 }
    }

    /// Trials not finished, trials with more than one finished attempt, and attempts beyond each
    /// trial's first.
    func integrity() throws -> (lost: Int, twice: Int, extraAttempts: Int) {
        let sweep = try sweep()
        let counts = try store.counts(sweep: sweep)
        var twice = 0
        var extra = 0
        for trial in try store.snapshot(sweep: sweep, startedOnly: true).trials {
            let attempts = try store.attempts(trial: trial.id)
            if attempts.filter({ $0.outcome == .finished }).count > 1 { twice += 1 }
            extra += max(0, attempts.count - 1)
        }
        return (counts.total - counts.finished, twice, extra)
    }

    func resultsWithScore(atLeast threshold: Double) throws -> Int {
        try store.results(sweep: try sweep()).filter { ($0.metrics.values["score"] ?? 0) >= threshold }.count
    }

    /// The longest time between `start` and `end` without a result recorded.
    func longestGap(from start: Date, to end: Date) throws -> Double {
        let times = try store.results(sweep: try sweep()).map(\.recordedAt).filter { $0 >= start && $0 <= end }.sorted()
        var previous = start
        var longest = 0.0
        for time in times + [end] {
            longest = max(longest, time.timeIntervalSince(previous))
            previous = time
        }
        return longest
    }
}

/// Work on a thread of its own, with its result.
private final class Background<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            let result = Result { try body() }
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    func result() throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }
}
