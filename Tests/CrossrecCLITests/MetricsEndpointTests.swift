import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--metrics`: a Prometheus endpoint on the coordinator, scraped while a sweep runs.
@Suite("Metrics endpoint", .serialized)
struct MetricsEndpointTests {
    /// The value of `name{…}` in an exposition text (the sum over its label sets, or over those
    /// whose labels include `label`, e.g. `outcome="finished"`).
    static func value(_ name: String, _ label: String? = nil, in text: String) -> Double? {
        let values = text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .filter { line in label.map { line.contains($0) } ?? true }
            .compactMap { Double($0.split(separator: " ").last ?? "") }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// The port of the `metrics at http://127.0.0.1:PORT/metrics` line in `log` (a process's
    /// stderr), waiting up to 10 s for it.
    static func port(inLog log: () -> String) -> UInt16? {
        for _ in 0..<200 {
            let text = log()
            if let range = text.range(of: "metrics at http://127.0.0.1:") {
                return UInt16(text[range.upperBound...].prefix { $0.isNumber })
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    @Test func countsScrapedDuringASweepAgreeWithTheStore() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "m.yaml",
            """
            name: metered
            dataset: {synthetic: {users: 50, movies: 20, news: 20}}
            metric: {primary: score, direction: maximize}
            models:
              sleep: {seconds: [0.3, 0.35, 0.4, 0.45, 0.5, 0.55]}
            seeds: [1]
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["sweep", "run", "m.yaml", "--workers", "2", "--store", "m.sqlite", "--metrics", "127.0.0.1:0"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        let errors = folder.file("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let port = Self.port { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }
        let metricsPort = try #require(port, "no 'metrics at' line: \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        var samples: [(results: Double, leases: Double, trials: Double)] = []
        while process.isRunning {
            if let scrape = try? HTTPTestClient.request(port: metricsPort, path: "/metrics"), scrape.status == 200,
                let results = Self.value("crossrec_results_recorded_total", in: scrape.body),
                let leases = Self.value("crossrec_leases_issued_total", in: scrape.body),
                let trials = Self.value("crossrec_trials", in: scrape.body)
            {
                samples.append((results, leases, trials))
                #expect(scrape.body.contains("crossrec_store_commit_seconds_bucket"))
            }
            if samples.count == 1, let missing = try? HTTPTestClient.request(port: metricsPort, path: "/nothing") {
                #expect(missing.status == 404)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        #expect(samples.count >= 3, "scraped \(samples.count) times during the sweep")
        for (earlier, later) in zip(samples, samples.dropFirst()) {
            #expect(later.results >= earlier.results && later.leases >= earlier.leases, "counters never go down")
        }
        #expect(samples.allSatisfy { $0.leases >= $0.results }, "a result follows a lease")
        #expect(samples.contains { $0.trials == 6 }, "the state gauges add up to the sweep's 6 trials")
        #expect(samples.contains { $0.results > 0 }, "results were seen while the sweep ran")
        let status = try CLI.run(["sweep", "status", folder.file("m.sqlite"), "--format", "json"])
        let stored = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])?.first)
        let storedResults = try #require(stored["results"] as? Int)
        #expect(storedResults == 6)
        #expect(samples.allSatisfy { Int($0.results) <= storedResults }, "never more results than the store holds")
    }

    @Test func aWorkersMetricsCountTheTrialsTheStoreSaysItRan() throws {
        let folder = try TemporaryFolder()
        // Three model trials, then one that never ends: the worker stays up to be scraped once the
        // store holds the three (a worker exits as soon as its sweep ends).
        try folder.write(
            "sweep.yaml",
            """
            name: worker-metered
            dataset:
              synthetic: {users: 120, movies: 40, news: 40, seed: 3}
              split: {random: {test: 0.2, seed: 1}}
            metric: {primary: rmse, direction: minimize}
            models:
              mf: {factors: [2, 3, 4], epochs: 2}
              sleep: {hang: true}
            seeds: [1]
            timeout: 120s
            """)
        let (coordinator, endpoint) = try HostilePeerTests.coordinator(folder)
        let worker = try Background(
            ["worker", "--connect", endpoint, "--id", "metered", "--slots", "2", "--metrics", "127.0.0.1:0"], in: folder,
            log: "worker.log")
        let metricsPort = try #require(Self.port { worker.log }, "no 'metrics at' line: \(worker.log)")
        #expect(
            eventually(.seconds(60)) { HostilePeerTests.finished(folder) == 3 },
            "the model trials did not finish: \(coordinator.log.suffix(1000)) \(worker.log.suffix(1000))")
        // What the store says this worker ran: its attempts that ended.
        let (store, sweep) = try #require(try HostilePeerTests.store(folder))
        let attempts = try store.snapshot(sweep: sweep).trials.flatMap { try store.attempts(trial: $0.id) }
            .filter { $0.worker == "metered" && $0.outcome != nil }
        let finished = attempts.filter { $0.outcome == .finished }.count
        #expect(attempts.count == 3 && finished == 3, "\(attempts)")
        // The worker counts a trial before it reports it, so the count is there once the store has it.
        var body = ""
        #expect(
            eventually(.seconds(10)) {
                body = (try? HTTPTestClient.request(port: metricsPort, path: "/metrics").body) ?? ""
                return Self.value("crossrec_worker_trials_total", in: body) == Double(attempts.count)
            }, "\(body)")
        #expect(Self.value("crossrec_worker_trials_total", "outcome=\"finished\"", in: body) == Double(finished))
        #expect(Self.value("crossrec_worker_trials_total", "outcome=\"cancelled\"", in: body) == 0)
        #expect(Self.value("crossrec_worker_fit_seconds_count", in: body) == Double(finished), "every mf trial reports its fit time")
        let hits = try #require(Self.value("crossrec_worker_dataset_cache_hits_total", in: body))
        let misses = try #require(Self.value("crossrec_worker_dataset_cache_misses_total", in: body))
        #expect(hits + misses >= Double(attempts.count) && misses >= 1, "hits \(hits), misses \(misses)")
        #expect((Self.value("crossrec_worker_resident_bytes", in: body) ?? 0) > 0)
        #expect(body.contains("worker=\"metered\""))
        worker.kill9()
        coordinator.kill9()
    }

    @Test func aWorkerServesMetricsBeyondLoopbackOnlyWithInsecure() throws {
        let refused = try CLI.run(["worker", "--metrics", "0.0.0.0:9465", "--give-up-after", "1"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("beyond loopback") && refused.stderr.contains("--insecure"), "\(refused.stderr)")
    }

    @Test func sweepRunRefusesToServeMetricsBeyondLoopback() throws {
        let result = try CLI.run(["sweep", "run", "nosuch.yaml", "--metrics", "0.0.0.0:9464"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("loopback only"), "\(result.stderr)")
    }
}
