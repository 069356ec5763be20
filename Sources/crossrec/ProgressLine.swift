import Foundation
import Sweep
import SweepRuntime

/// The sweep's live progress: a rewritten line on a terminal, a plain log line every few seconds otherwise.
final class ProgressLine: @unchecked Sendable {
    private let metric: MetricSpec
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastLog = ContinuousClock.now
    private var wrote = false

    init(metric: MetricSpec) { self.metric = metric }

    func update(_ status: CoordinatorService.Status) {
        let seconds = Double(status.elapsed.components.seconds) + Double(status.elapsed.components.attoseconds) / 1e18
        let done = status.finished + status.failed + status.stopped
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Double(status.total - done) / rate : nil
        var line = "done \(done)/\(status.total)  running \(status.running)  pending \(status.pending)  failed \(status.failed)"
        if status.stopped > 0 { line += "  stopped early \(status.stopped)" }
        line += "  \(String(format: "%.1f", rate)) trials/s"
        if let eta, done < status.total { line += "  ETA \(String(format: "%.0f", eta))s" }
        if let best = status.best { line += "  best trial \(metric.primary) \(String(format: "%.4f", best))" }
        line += "  workers \(status.workers)"
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            wrote = true
        } else if ContinuousClock.now - lastLog >= .seconds(2) || done == status.total {
            lastLog = ContinuousClock.now
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    func finish() {
        if isTerminal && wrote { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
