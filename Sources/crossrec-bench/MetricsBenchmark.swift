import Foundation
import Sweep
import SweepRuntime
import SweepWire

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15's goal for the coordinator's metrics endpoint: it answers in under 10 ms with 10,000
/// running trials. The registry is filled as a coordinator would fill it (a lease per running
/// trial, the state gauges set), served by ``MetricsServer`` on loopback, and scraped over a
/// plain socket, one connection per scrape as Prometheus does.
struct MetricsBenchmark {
    var running = 10_000
    var scrapes = 1_000

    struct Report: Encodable {
        var runningTrials: Int
        var scrapes: Int
        var bodyBytes: Int
        var medianMilliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
        var goalMilliseconds = 10.0
        var goalMet: Bool
    }

    func run() throws -> Report {
        let metrics = CoordinatorMetrics(sweep: "bench")
        for index in 0..<running {
            let ticket = LeaseTicket(trial: TrialID(rawValue: "trial-\(index)"), attempt: 1, epoch: LeaseEpoch(UInt64(index + 1)))
            metrics.observe(.trialLeased(ticket, worker: WorkerID("w\(index % 50)")))
        }
        metrics.setTrials(pending: 40_000, running: running, finished: 50_000, failed: 10, stopped: 0, workers: 50)
        let server = try MetricsServer(address: "127.0.0.1:0") { metrics.text() }
        defer { server.stop() }
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<scrapes {
            let start = ContinuousClock.now
            bytes = try LoopbackHTTP.get(port: server.port, path: "/metrics")
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        }
        times.sort()
        let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
        return Report(
            runningTrials: running, scrapes: scrapes, bodyBytes: bytes, medianMilliseconds: times[times.count / 2],
            p99Milliseconds: p99, maxMilliseconds: times.last!, goalMet: p99 < 10)
    }
}
