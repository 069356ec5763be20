import Foundation
import Sweep
import SweepStore
import Testing

/// cluster/netns-test.sh as a test: a coordinator and two workers on two "hosts" (network
/// namespaces joined by a veth pair) with CURVE keys, the link cut mid-sweep for longer than the
/// heartbeat liveness. The script checks the CLI-visible outcome (status, leaderboard equal to a
/// local run, refused stranger, --insecure); this test then reads the store it kept and checks
/// each trial's attempts.
///
/// It needs root, iproute2's `ip` with working network namespaces and the built `crossrec`; CI
/// runs as root and has them. Elsewhere it shows as skipped, with the reason below.
@Suite("Two hosts in network namespaces")
struct NetnsClusterTests {
    static let script = ClusterFilesTests.cluster + "/netns-test.sh"

    /// Why the test cannot run here, or nil when it can.
    static let unavailable: String? = {
        let reason = findUnavailability()
        if let reason { print("NetnsClusterTests: skipping cluster/netns-test.sh: \(reason)") }
        return reason
    }()

    static func findUnavailability() -> String? {
        guard getuid() == 0 else { return "not root (ip netns needs root)" }
        guard
            let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(
                where: FileManager.default.isExecutableFile)
        else { return "no ip command (iproute2)" }
        guard FileManager.default.isExecutableFile(atPath: CLI.executable) else {
            return "no crossrec binary at \(CLI.executable)"
        }
        // Root in a container may still be refused network namespaces: try one.
        let probe = "crossrec-probe-\(getpid())"
        for arguments in [["netns", "add", probe], ["netns", "del", probe]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ip)
            process.arguments = arguments
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return "cannot run \(ip)" }
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                return "ip \(arguments.joined(separator: " ")) failed: no network namespaces here"
            }
        }
        return nil
    }

    // The script bounds each of its waits (about 15 s in all when things work); the limit only
    // catches a hang. It is generous because a test's clock also runs while a busy 2-core
    // machine has not yet scheduled it.
    @Test(
        "A sweep across a network cut between two namespaces counts every trial once",
        .enabled(
            if: unavailable == nil, "needs root, ip netns and the built crossrec (see NetnsClusterTests.unavailable)"),
        .timeLimit(.minutes(5)))
    func sweepAcrossANetworkCut() throws {
        let folder = try TemporaryFolder()
        let work = folder.file("netns")
        let output = folder.file("script.log")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, "--crossrec", CLI.executable, "--keep", work]
        process.standardOutput = handle
        process.standardError = handle
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let summary = log.split(separator: "\n").filter { $0.hasPrefix("netns-test:") }.joined(separator: "\n")
        #expect(
            process.terminationStatus == 0,
            "cluster/netns-test.sh exited \(process.terminationStatus):\n\(log.suffix(6000))")
        print("cluster/netns-test.sh took \(ContinuousClock.now - started):\n\(summary)")
        guard process.terminationStatus == 0 else { return }

        let state = try SweepIntegrationTests.storeState(work + "/cluster.sqlite")
        #expect(
            state.finished == state.attemptsPerTrial.count && state.failed == 0,
            "\(state.finished) finished, \(state.failed) failed")
        var lost = 0
        for (trial, attempts) in state.attemptsPerTrial {
            #expect(
                attempts.filter { $0.outcome == .finished }.count == 1,
                "trial \(trial) was not counted exactly once: \(attempts)")
            #expect(!attempts.contains { $0.worker == "stranger" }, "the refused worker ran trial \(trial)")
            lost += attempts.filter { $0.outcome != .finished }.count
        }
        // The cut landed mid-sweep: attempts that were running were lost and leased again.
        #expect(lost >= 1, "no attempt was lost: the link cut did not interrupt the sweep")
    }
}
