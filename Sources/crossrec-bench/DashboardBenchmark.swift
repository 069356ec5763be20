import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15's dashboard goals, measured over HTTP on loopback against the real `crossrec-dashboard`
/// (built beside this executable):
/// - **overview**: a store of `trials` trials written by a real `crossrec sweep run` on two workers
///   (half noop trials, half `sleep` trials that fail at once: the failure grouping's worst case), the overview page requested `requests` times with the
///   page cache off (`--cache-seconds 0`: every request reads the store). Goal: under 200 ms.
/// - **load**: the same noop sweep of `loadTrials` trials run `pairs` times without and with a
///   dashboard client that loads the overview page and then refreshes it every second (as a
///   browser does), alternating which goes first; trials/s of each run and the ratio with/without
///   per pair. Goal (trials/s within 5 %), a non-inferiority test stated before measuring: the
///   one-sided 95 % lower confidence bound (t, over the pairs) of the mean ratio is at least 0.95.
///   Noop trials make the coordinator, store and workers the whole cost and keep both cores busy,
///   so any CPU the dashboard takes shows.
struct DashboardBenchmark {
    var trials = 100_000
    var requests = 50
    var loadTrials = 100_000
    var pairs = 8

    struct Latency: Encodable {
        var path: String
        var requests: Int
        var bodyBytes: Int
        var medianMilliseconds: Double
        var p95Milliseconds: Double
        var maxMilliseconds: Double
    }

    struct LoadRun: Encodable {
        var withDashboard: Bool
        var seconds: Double
        var trialsPerSecond: Double
        var dashboardRequests: Int
    }

    struct Report: Encodable {
        var buildConfiguration: String
        var storeTrials: Int
        var storeBuildSeconds: Double
        var storeBytes: Int
        var overview: Latency
        var leaderboard: Latency
        var overviewGoalMilliseconds = 200.0
        var overviewGoalMet: Bool
        var loadTrials: Int
        var loadRuns: [LoadRun]
        var loadRatios: [Double]
        var loadMeanRatio: Double
        var loadRatioStandardDeviation: Double
        /// One-sided 95 % lower bound of the mean ratio (Student's t with pairs − 1 degrees of freedom).
        var loadRatioLowerBound95: Double
        var loadGoalRatio = 0.95
        var loadGoalMet: Bool
    }

    func run() throws -> Report {
        let crossrec = try BenchmarkSupport.crossrecExecutable()
        let dashboard = URL(fileURLWithPath: crossrec).deletingLastPathComponent().appendingPathComponent("crossrec-dashboard").path
        guard FileManager.default.isExecutableFile(atPath: dashboard) else {
            throw BenchmarkError("\(dashboard) not found: build it in the same configuration (swift build -c release --product crossrec-dashboard)")
        }
        let root = try BenchmarkSupport.temporaryFolder("crossrec-bench-dashboard")
        defer { try? FileManager.default.removeItem(atPath: root) }

        // A large store, written the way a sweep writes it.
        let start = ContinuousClock.now
        let store = "\(root)/large.sqlite"
        try sweep(crossrec, root: root, name: "large", seeds: trials / 2, failing: true, store: store)
        let buildSeconds = BenchmarkSupport.seconds(since: start)
        log("store of \(trials) trials written in \(String(format: "%.1f", buildSeconds)) s")
        let server = try Server(dashboard, store: store, cacheSeconds: 0)
        defer { server.stop() }
        _ = try LoopbackHTTP.get(port: server.port, path: "/sweeps/large")  // open the store once
        let overview = try latency(port: server.port, path: "/sweeps/large", count: requests)
        log("overview: median \(String(format: "%.1f", overview.medianMilliseconds)) ms, p95 \(String(format: "%.1f", overview.p95Milliseconds)) ms")
        let leaderboard = try latency(port: server.port, path: "/sweeps/large/leaderboard?model=noop", count: max(3, requests / 10))
        server.stop()

        // The same sweep with and without one dashboard client refreshing every second.
        var runs: [LoadRun] = []
        var ratios: [Double] = []
        for pair in 0..<pairs {
            var pairRuns: [Bool: LoadRun] = [:]
            for withDashboard in pair % 2 == 0 ? [false, true] : [true, false] {
                let run = try loadRun(crossrec, dashboard: dashboard, root: root, index: runs.count, withDashboard: withDashboard)
                log("load run \(runs.count + 1): \(withDashboard ? "with" : "without") dashboard, \(String(format: "%.0f", run.trialsPerSecond)) trials/s")
                runs.append(run)
                pairRuns[withDashboard] = run
            }
            ratios.append(pairRuns[true]!.trialsPerSecond / pairRuns[false]!.trialsPerSecond)
        }
        let meanRatio = ratios.reduce(0, +) / Double(max(ratios.count, 1))
        let sd = ratios.count > 1 ? (ratios.reduce(0) { $0 + ($1 - meanRatio) * ($1 - meanRatio) } / Double(ratios.count - 1)).squareRoot() : 0
        let lowerBound = ratios.count > 1 ? meanRatio - Self.tOneSided95(degreesOfFreedom: ratios.count - 1) * sd / Double(ratios.count).squareRoot() : meanRatio
        let storeBytes = (try? FileManager.default.attributesOfItem(atPath: store)[.size] as? Int) ?? 0
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, storeTrials: trials, storeBuildSeconds: buildSeconds,
            storeBytes: storeBytes, overview: overview, leaderboard: leaderboard, overviewGoalMet: overview.p95Milliseconds < 200,
            loadTrials: loadTrials, loadRuns: runs, loadRatios: ratios, loadMeanRatio: meanRatio, loadRatioStandardDeviation: sd,
            loadRatioLowerBound95: lowerBound, loadGoalMet: ratios.count > 1 && lowerBound >= 0.95)
    }

    /// The 95th percentile of Student's t (one-sided), for 1–30 degrees of freedom; 1.645 beyond.
    static func tOneSided95(degreesOfFreedom df: Int) -> Double {
        let table = [
            6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753,
            1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
        ]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.645
    }

    private func log(_ text: String) { FileHandle.standardError.write(Data("dashboard bench: \(text)\n".utf8)) }

    /// `crossrec sweep run` of noop trials for `seeds` seeds (and as many failing sleep trials) on 2 workers.
    private func sweep(_ crossrec: String, root: String, name: String, seeds: Int, failing: Bool, store: String) throws {
        let file = "\(root)/\(name).yaml"
        var models = "  noop: {}\n"
        if failing { models += "  sleep: {seconds: 0, fail: true}\n" }
        let yaml = """
            name: \(name)
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
            \(models)seeds: [\((1...max(seeds, 1)).map(String.init).joined(separator: ", "))]
            timeout: 60s
            retries: 0
            """
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: crossrec)
        process.arguments = ["sweep", "run", file, "--workers", "2", "--store", store, "--format", "csv"]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        // Exit 2: trials failed, as planted.
        guard process.terminationStatus == 0 || (failing && process.terminationStatus == 2) else {
            throw BenchmarkError("crossrec sweep run \(name) exited with \(process.terminationStatus)")
        }
    }

    private func loadRun(_ crossrec: String, dashboard: String, root: String, index: Int, withDashboard: Bool) throws -> LoadRun {
        let store = "\(root)/load-\(index).sqlite"
        var server: Server?
        let client = PollingClient()
        if withDashboard {
            server = try Server(dashboard, store: store, cacheSeconds: 1)
            client.start(port: server!.port, path: "/sweeps/load-\(index)")
        }
        let start = ContinuousClock.now
        try sweep(crossrec, root: root, name: "load-\(index)", seeds: loadTrials, failing: false, store: store)
        let seconds = BenchmarkSupport.seconds(since: start)
        let requests = client.stop()
        server?.stop()
        return LoadRun(withDashboard: withDashboard, seconds: seconds, trialsPerSecond: Double(loadTrials) / seconds, dashboardRequests: requests)
    }

    private func latency(port: UInt16, path: String, count: Int) throws -> Latency {
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<count {
            let start = ContinuousClock.now
            bytes = try LoopbackHTTP.get(port: port, path: path)
            times.append(BenchmarkSupport.seconds(since: start) * 1000)
        }
        times.sort()
        return Latency(
            path: path, requests: count, bodyBytes: bytes, medianMilliseconds: times[times.count / 2],
            p95Milliseconds: times[min(times.count - 1, Int(Double(times.count) * 0.95))], maxMilliseconds: times.last!)
    }

    /// A `crossrec-dashboard` process on a free loopback port.
    final class Server {
        let process = Process()
        let port: UInt16

        init(_ executable: String, store: String, cacheSeconds: Double) throws {
            let log = NSTemporaryDirectory() + "crossrec-bench-dashboard-\(UUID().uuidString).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: log) }
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [store, "--bind", "127.0.0.1:0", "--cache-seconds", String(cacheSeconds)]
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var found: UInt16?
            for _ in 0..<600 where found == nil {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "dashboard at http://127.0.0.1:") {
                    found = UInt16(text[range.upperBound...].prefix { $0.isNumber })
                } else {
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            guard let found else {
                process.terminate()
                throw BenchmarkError("crossrec-dashboard did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            port = found
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// A browser's behaviour: the full page once, then the live fragment every second.
    final class PollingClient: @unchecked Sendable {
        private let lock = NSLock()
        private var running = false
        private var requests = 0
        private let done = DispatchSemaphore(value: 0)

        func start(port: UInt16, path: String) {
            running = true
            Thread {
                var first = true
                while self.lock.withLock({ self.running }) {
                    // 503 until the sweep creates the store: counted, not fatal.
                    _ = try? LoopbackHTTP.get(port: port, path: path, headers: first ? "" : "X-Crossrec-Fragment: 1\r\n")
                    first = false
                    self.lock.withLock { self.requests += 1 }
                    Thread.sleep(forTimeInterval: 1)
                }
                self.done.signal()
            }.start()
        }

        /// Stops polling; the number of requests made.
        func stop() -> Int {
            let wasRunning = lock.withLock {
                let was = running
                running = false
                return was
            }
            if wasRunning { done.wait() }
            return lock.withLock { requests }
        }
    }
}
