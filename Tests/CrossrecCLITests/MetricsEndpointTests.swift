import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--metrics`: a Prometheus endpoint on the coordinator, scraped while a sweep runs.
@Suite("Metrics endpoint", .serialized)
struct MetricsEndpointTests {
    /// `GET path` over a plain socket (no proxy settings involved): status line and body.
    static func get(host: String, port: UInt16, path: String) throws -> (status: String, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (String(parts[0].split(separator: "\r\n").first ?? ""), parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

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
            if let scrape = try? Self.get(host: "127.0.0.1", port: metricsPort, path: "/metrics"), scrape.status.contains("200"),
                let results = Self.value("crossrec_results_recorded_total", in: scrape.body),
                let leases = Self.value("crossrec_leases_issued_total", in: scrape.body),
                let trials = Self.value("crossrec_trials", in: scrape.body)
            {
                samples.append((results, leases, trials))
                #expect(scrape.body.contains("crossrec_store_commit_seconds_bucket"))
            }
            if samples.count == 1, let missing = try? Self.get(host: "127.0.0.1", port: metricsPort, path: "/nothing") {
                #expect(missing.status.contains("404"))
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

    @Test func sweepRunRefusesToServeMetricsBeyondLoopback() throws {
        let result = try CLI.run(["sweep", "run", "nosuch.yaml", "--metrics", "0.0.0.0:9464"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("loopback only"), "\(result.stderr)")
    }
}
