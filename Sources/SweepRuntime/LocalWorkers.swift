public import Foundation

/// Worker processes on this machine for `crossrec sweep run --workers N`: each is
/// `crossrec worker --connect ENDPOINT --id local-K`, started from this same executable.
/// Their stderr goes to `logFolder/worker-K.log`. ``stop()`` sends SIGTERM (graceful: a worker
/// finishes or hands back its trial), then SIGKILL after a grace period. Each worker also ends by
/// itself when this process does, however it ends (`--exit-with-parent`, ``ParentWatch``).
public final class LocalWorkers: @unchecked Sendable {
    public let processes: [Process]
    public let logFiles: [String]

    /// Starts `count` workers (at least 1: a sweep with no worker would wait forever).
    public init(count: Int, endpoint: String, extraArguments: [String] = [], logFolder: String) throws {
        guard count >= 1 else {
            throw RuntimeError("local workers: the count must be at least 1, got \(count)")
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        var processes: [Process] = []
        var logs: [String] = []
        for index in 1...count {
            let process = Process()
            process.executableURL = executable
            process.arguments =
                ["worker", "--connect", endpoint, "--id", "local-\(index)", "--exit-with-parent", String(getpid())] + extraArguments
            let log = (logFolder as NSString).appendingPathComponent("worker-\(index).log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = handle
            process.standardOutput = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            processes.append(process)
            logs.append(log)
        }
        self.processes = processes
        self.logFiles = logs
    }

    /// Processes still running.
    public var running: Int { processes.filter(\.isRunning).count }

    /// Waits up to `natural` for workers to exit by themselves (they do on the coordinator's
    /// `shutdown`), then SIGTERMs the rest, waits up to `grace`, then SIGKILLs what remains.
    public func stop(natural: Duration = .zero, grace: Duration = .seconds(5)) {
        let naturalDeadline = ContinuousClock.now + natural
        while processes.contains(where: \.isRunning) && ContinuousClock.now < naturalDeadline { Thread.sleep(forTimeInterval: 0.005) }
        for process in processes where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + grace
        while processes.contains(where: \.isRunning) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
    }
}
