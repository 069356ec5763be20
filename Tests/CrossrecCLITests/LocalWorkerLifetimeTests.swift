import Foundation
import Testing

/// `sweep run --workers N` owns its workers: they end with it however it ends.
@Suite("Local workers end with their sweep run")
struct LocalWorkerLifetimeTests {
    /// Children of `parent` (from /proc), with their command lines.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    /// Running (not gone, not a zombie waiting to be reaped).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// A coordinator killed with SIGKILL cannot stop its workers; they notice and exit (before,
    /// they were reparented and reconnected forever, running trials whose results had nowhere to go).
    @Test func aKilledSweepRunLeavesNoWorkerBehind() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "s.yaml",
            """
            name: orphans
            dataset: {synthetic: {users: 50, movies: 20, news: 20}}
            metric: {primary: score, direction: maximize}
            models:
              sleep: {seconds: [30, 31, 32, 33]}
            seeds: [1]
            """)
        let sweep = try Background(["sweep", "run", "s.yaml", "--workers", "2", "--store", "s.sqlite"], in: folder, log: "sweep.log")
        let parent = sweep.process.processIdentifier
        var workers: [Int32] = []
        #expect(
            eventually(.seconds(30)) {
                workers = Self.children(of: parent)
                return workers.count == 2 && sweep.log.contains("running 2")
            }, "two workers running trials: \(sweep.log)")
        sweep.kill9()
        let ended = eventually(.seconds(10)) { !workers.contains(where: Self.isAlive) }
        for pid in workers where Self.isAlive(pid) { kill(pid, SIGKILL) }
        #expect(ended, "workers \(workers) still running after their sweep run was killed")
        let logs = (1...2).map { (try? String(contentsOfFile: folder.file("logs-orphans/worker-\($0).log"), encoding: .utf8)) ?? "" }
        #expect(logs.allSatisfy { $0.contains("the sweep run that started it (pid \(parent)) has ended; exiting") }, "\(logs)")
    }

    @Test func aWorkerWhoseParentIsNotTheOneNamedExitsAtOnce() throws {
        let result = try CLI.run(["worker", "--connect", "tcp://127.0.0.1:1", "--exit-with-parent", "1"])
        #expect(result.status == 1 && result.stderr.contains("(pid 1) has ended; exiting"), "\(result.stderr)")
    }
}
