import Foundation
import Sweep
import SweepStore
import Testing

/// cluster/slurm/local-cluster-test.sh as a test: a real SLURM scheduler (munged, slurmctld and
/// slurmd from Debian's packages) on a one-node cluster on this machine, `sbatch` of the project's
/// `cluster/slurm/sweep.sbatch` with the smoke sweep. The script checks the job and the CLI-visible
/// outcome (COMPLETED with exit code 0, every trial finished, the job's leaderboard equal to a
/// local run); this test then reads what it kept: each trial's attempts in the job's store, who
/// ran them, and the leaderboards itself.
///
/// It needs root, the SLURM and munge programs (`.ci/deps-slurm` installs them; CI runs it before
/// the tests), this machine's name resolving to loopback and the built `crossrec`. Elsewhere it
/// shows as skipped, with the reason below.
@Suite("sweep.sbatch on a one-node SLURM cluster")
struct SlurmClusterTests {
    static let script = ClusterFilesTests.cluster + "/slurm/local-cluster-test.sh"
    static let smokeSweep = ClusterFilesTests.repository + "/sweeps/smoke.yaml"

    /// Why the test cannot run here, or nil when it can.
    static let unavailable: String? = {
        let reason = findUnavailability()
        if let reason { print("SlurmClusterTests: skipping cluster/slurm/local-cluster-test.sh: \(reason)") }
        return reason
    }()

    static let programs = ["munged", "munge", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel"]

    static func findUnavailability() -> String? {
        guard getuid() == 0 else { return "not root (slurmd starts the job as the submitting user)" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        let folders = path.split(separator: ":").map(String.init)
        let missing = programs.filter { program in
            !folders.contains { FileManager.default.isExecutableFile(atPath: $0 + "/" + program) }
        }
        guard missing.isEmpty else {
            return "no \(missing.joined(separator: ", ")) (install them with .ci/deps-slurm)"
        }
        guard FileManager.default.isExecutableFile(atPath: CLI.executable) else {
            return "no crossrec binary at \(CLI.executable)"
        }
        // sweep.sbatch binds the coordinator to the node name's address; the test keeps to loopback.
        guard let address = ipv4Address(of: nodeName) else {
            return "this machine's name '\(nodeName)' does not resolve"
        }
        guard address.hasPrefix("127.") else {
            return "this machine's name '\(nodeName)' resolves to \(address), not loopback"
        }
        return nil
    }

    /// The one node's name, as the script gives it to slurmd: the short host name (`hostname -s`).
    static var nodeName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).split(separator: ".").first.map(String.init) ?? ""
    }

    static func ipv4Address(of name: String) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        return first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { socket in
            var address = socket.pointee.sin_addr
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &address, &text, socklen_t(INET_ADDRSTRLEN)) != nil else { return nil }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    // The script bounds each of its waits (the job itself to 150 s; about 5 s in all when things
    // work); the limit only catches a hang, generous for a busy 2-core machine.
    @Test(
        "sbatch sweep.sbatch runs the smoke sweep to the same leaderboard as a local run",
        .enabled(
            if: unavailable == nil,
            "needs root, slurmctld/slurmd/munge, a loopback hostname and the built crossrec (see SlurmClusterTests.unavailable)"
        ),
        .timeLimit(.minutes(5)))
    func smokeSweepAsASlurmJob() throws {
        let folder = try TemporaryFolder()
        let work = folder.file("slurm")
        let output = folder.file("script.log")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, "--crossrec", CLI.executable, "--keep", work, "--sweep", Self.smokeSweep]
        process.standardOutput = handle
        process.standardError = handle
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let summary = log.split(separator: "\n").filter { $0.hasPrefix("slurm-test:") }.joined(separator: "\n")
        #expect(
            process.terminationStatus == 0,
            "cluster/slurm/local-cluster-test.sh exited \(process.terminationStatus):\n\(log.suffix(8000))")
        print("cluster/slurm/local-cluster-test.sh took \(ContinuousClock.now - started):\n\(summary)")
        guard process.terminationStatus == 0 else { return }

        // Every trial of the sweep (the same trials as the local run's) ran in the job, by a worker
        // that srun started as one of the job's tasks (its id is NODE-SLURM_PROCID; the script asks
        // for two tasks on the one node), and was counted exactly once.
        let state = try SweepIntegrationTests.storeState(work + "/job/slurm.sqlite")
        let local = try SweepIntegrationTests.storeState(work + "/job/local.sqlite")
        let jobTrials = state.attemptsPerTrial.keys.sorted()
        let localTrials = local.attemptsPerTrial.keys.sorted()
        #expect(
            !jobTrials.isEmpty && jobTrials == localTrials,
            "the job's trials \(jobTrials), the local run's \(localTrials)")
        let tasks = Set([Self.nodeName + "-0", Self.nodeName + "-1"])
        #expect(
            state.finished == state.attemptsPerTrial.count && state.failed == 0,
            "\(state.finished) finished, \(state.failed) failed")
        for (trial, attempts) in state.attemptsPerTrial {
            #expect(
                attempts.filter { $0.outcome == .finished }.count == 1,
                "trial \(trial) was not counted exactly once: \(attempts)")
            #expect(
                attempts.allSatisfy { tasks.contains($0.worker) },
                "trial \(trial) ran on a worker that is not one of the job's tasks \(tasks): \(attempts.map(\.worker))")
        }

        // The leaderboards the script compared, read here again: the job's report against the local run.
        // (A report file and a printed leaderboard may differ in their final newlines.)
        func leaderboard(_ name: String) throws -> Substring {
            let text = try String(contentsOfFile: work + "/job/" + name, encoding: .utf8)
            return text[..<(text.lastIndex { $0 != "\n" }.map(text.index(after:)) ?? text.startIndex)]
        }
        let jobLeaderboard = try leaderboard("leaderboard-job.json")
        let localLeaderboard = try leaderboard("leaderboard-local.json")
        #expect(
            localLeaderboard.contains("\"rmse\"") && jobLeaderboard == localLeaderboard,
            "the job's leaderboard differs from the local run's")
    }
}
