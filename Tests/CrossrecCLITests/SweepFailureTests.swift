import Foundation
import Testing

/// Failed trials, missing data and bad flags make `sweep run` and `coordinator` fail loudly
/// (issue 10): non-zero exits, the errors on stderr, nothing started when the outcome is certain.
@Suite("Sweep failures and preflight", .serialized)
struct SweepFailureTests {
    /// A model sweep on a data path: `mf` needs the data, `noop` does not.
    static func pathSweep(name: String, path: String, layout: String = "movielens") -> String {
        """
        name: \(name)
        dataset:
          path: \(path)
          layout: \(layout)
        metric: {primary: rmse, direction: minimize}
        models:
          mf: {factors: [2, 3], epochs: 1}
        seeds: [1]
        timeout: 60s
        retries: 0
        """
    }

    static let sleepSweep = """
        name: quick
        dataset:
          synthetic: {users: 50, movies: 20, news: 20}
        metric: {primary: score, direction: maximize}
        models:
          sleep: {seconds: [0.01, 0.02]}
        seeds: [1]
        timeout: 60s
        """

    // MARK: sweep run

    @Test func aMissingDataPathStopsTheRunBeforeAnyWorkerStarts() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.pathSweep(name: "missing", path: "data/no-such-folder"))
        for extra in [[], ["--allow-failures"]] {
            let result = try CLI.run(
                ["sweep", "run", "sweep.yaml", "--workers", "1", "--store", "s.sqlite"] + extra, currentDirectory: folder.path)
            #expect(result.status == 1, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains("error: sweep.yaml:3: 'dataset.path': data/no-such-folder: no such file or folder"), "\(result.stderr)")
            #expect(result.stderr.contains("crossrec data fetch"), "says how to get data: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("s.sqlite")), "nothing ran")
        #expect(!FileManager.default.fileExists(atPath: folder.file("logs-missing")), "no worker started")
    }

    @Test func failedTrialsExit2AfterTheLeaderboardAndListTheirErrors() throws {
        let folder = try TemporaryFolder()
        // There and readable, so the preflight passes; line 3 fails every trial's data load.
        try folder.write("bad.csv", "user,item,rating\nu1,i1,4\nu2,i2,four\n")
        try folder.write("sweep.yaml", Self.pathSweep(name: "malformed", path: "bad.csv", layout: "generic"))
        let failing = try CLI.run(
            ["sweep", "run", "sweep.yaml", "--workers", "1", "--store", "s.sqlite", "--output", "report"],
            currentDirectory: folder.path)
        #expect(failing.status == 2, "\(failing.stderr)")
        #expect(failing.stdout.contains("| mf |"), "the leaderboard is still printed: \(failing.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.file("report/leaderboard.json")), "and written")
        #expect(failing.stderr.contains("error: 2 of 2 trials failed (exit 2; --allow-failures accepts them):"), "\(failing.stderr)")
        #expect(
            failing.stderr.contains("2 trials [infrastructure]: data: bad.csv:3: field 3 'rating': expected a number, got 'four'"),
            "identical errors are grouped, and a bad data file is not the configuration's fault: \(failing.stderr)")
        #expect(failing.stderr.contains("mf(epochs=1, factors=2"), "names the trials: \(failing.stderr)")

        let allowed = try CLI.run(
            ["sweep", "run", "sweep.yaml", "--workers", "1", "--store", "allowed.sqlite", "--allow-failures"],
            currentDirectory: folder.path)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("warning: 2 of 2 trials failed (accepted by --allow-failures):"), "\(allowed.stderr)")
    }

    @Test func aFailedAssertStillExits1WhenTrialsAlsoFailed() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "sweep.yaml",
            """
            name: mixed
            dataset:
              synthetic: {users: 50, movies: 20, news: 20}
            metric: {primary: score, direction: maximize}
            models:
              sleep: {seconds: 0.01, fail: [true, false]}
            seeds: [1]
            """)
        let result = try CLI.run(
            ["sweep", "run", "sweep.yaml", "--workers", "1", "--store", "s.sqlite", "--assert", "score>=2"],
            currentDirectory: folder.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("FAIL score>=2"))
        #expect(result.stderr.contains("1 trial [deterministic]: sleep: failed on request (fail: true)"), "\(result.stderr)")
    }

    // MARK: --dry-run

    @Test func dryRunFailsOnAMissingDataPathNamingIt() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.pathSweep(name: "missing", path: "data/no-such-folder"))
        let result = try CLI.run(["sweep", "run", "sweep.yaml", "--dry-run"], currentDirectory: folder.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("missing: 2 trials"), "the trials are still listed: \(result.stdout)")
        #expect(result.stderr.contains("sweep.yaml:3: 'dataset.path': data/no-such-folder: no such file or folder"), "\(result.stderr)")
        #expect(result.stderr.contains(folder.path), "says what the path resolved against: \(result.stderr)")
    }

    @Test func dryRunFailsOnAnAssertNoModelReportsListingValidMetrics() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep)
        let result = try CLI.run(["sweep", "run", "sweep.yaml", "--dry-run", "--assert", "nosuchmetric>=1"], currentDirectory: folder.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "error: --assert 'nosuchmetric>=1': no model in this sweep reports 'nosuchmetric'; the metrics that can be asserted are score"),
            "\(result.stderr)")
        let fine = try CLI.run(["sweep", "run", "sweep.yaml", "--dry-run", "--assert", "score>=0"], currentDirectory: folder.path)
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    @Test func dryRunSaysWhenAnAssertedMetricMustBeRecorded() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.pathSweep(name: "record", path: "."))
        let result = try CLI.run(["sweep", "run", "sweep.yaml", "--dry-run", "--assert", "ndcg@10>=0.1"], currentDirectory: folder.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("add it to 'metric.record' in sweep.yaml (mf reports it)"), "\(result.stderr)")
    }

    // MARK: --workers

    @Test func zeroWorkersIsAUsageError() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep)
        let result = try CLI.run(["sweep", "run", "sweep.yaml", "--workers", "0"], currentDirectory: folder.path)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--workers must be at least 1, got 0"), "\(result.stderr)")
    }

    @Test func farMoreWorkersThanCoresIsAWarning() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let result = try CLI.run(
            ["sweep", "run", "sweep.yaml", "--dry-run", "--workers", "\(4 * cores + 1)"], currentDirectory: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(4 * cores + 1) workers on \(cores) core"), "\(result.stderr)")
        #expect(result.stderr.contains("use --workers \(4 * cores) or fewer"), "\(result.stderr)")
        let quiet = try CLI.run(["sweep", "run", "sweep.yaml", "--dry-run", "--workers", "\(4 * cores)"], currentDirectory: folder.path)
        #expect(!quiet.stderr.contains("warning"), "\(quiet.stderr)")
    }

    // MARK: coordinator

    @Test func theBindBypassIsRefused() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep)
        let result = try CLI.run(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:1;0.0.0.0:24232", "--store", "s.sqlite"], currentDirectory: folder.path)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--bind 'tcp://127.0.0.1:1;0.0.0.0:24232': a list or the source-address form"), "\(result.stderr)")
        #expect(result.stderr.contains("accepted: tcp://IPV4:PORT"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("s.sqlite")))
        let wildcard = try CLI.run(["coordinator", "sweep.yaml", "--bind", "tcp://*:5555"], currentDirectory: folder.path)
        #expect(wildcard.status == 64 && wildcard.stderr.contains("write 0.0.0.0"), "\(wildcard.stderr)")
        let everywhere = try CLI.run(["coordinator", "sweep.yaml", "--bind", "tcp://0.0.0.0:5555"], currentDirectory: folder.path)
        #expect(everywhere.status == 64 && everywhere.stderr.contains("beyond loopback without CURVE keys"), "\(everywhere.stderr)")
    }

    /// Validation accepts the IPv6 loopback without keys; the sweep file is missing, so the
    /// command stops right after validation (exit 1, not the usage error 64) without binding.
    @Test func theIPv6LoopbackPassesValidation() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["coordinator", "no-such-sweep.yaml", "--bind", "tcp://[::1]:0"], currentDirectory: folder.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no-such-sweep.yaml:1: cannot read the sweep file"), "\(result.stderr)")
        #expect(!result.stderr.contains("--bind"), "\(result.stderr)")
    }

    /// libzmq cannot bind `localhost`; the coordinator binds 127.0.0.1 for it.
    @Test func localhostBindsAsTheLoopbackAddress() throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.sleepSweep)
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://localhost:0", "--store", "s.sqlite", "--endpoint-file", "ep"],
            in: folder, log: "c.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) }, "\(coordinator.log)")
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"), "\(endpoint)")
        let worker = try Background(["worker", "--connect", endpoint, "--id", "w"], in: folder, log: "w.log")
        #expect(coordinator.wait(timeout: .seconds(30)), "\(coordinator.log)")
        #expect(coordinator.process.terminationStatus == 0, "\(coordinator.log)")
        worker.wait(timeout: .seconds(10))
    }

    /// The coordinator may not hold the data (workers do): a path missing here is a warning; the
    /// workers' failures then make the exit 2, or 0 with --allow-failures.
    @Test(arguments: [false, true])
    func aCoordinatorWhoseWorkersMissTheDataExitsNonZero(allowFailures: Bool) throws {
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", Self.pathSweep(name: "remote", path: "data/no-such-folder"))
        let coordinator = try Background(
            ["coordinator", "sweep.yaml", "--bind", "tcp://127.0.0.1:0", "--store", "s.sqlite", "--endpoint-file", "ep"]
                + (allowFailures ? ["--allow-failures"] : []), in: folder, log: "c.log")
        #expect(eventually(.seconds(20)) { FileManager.default.fileExists(atPath: folder.file("ep")) }, "\(coordinator.log)")
        let endpoint = try String(contentsOfFile: folder.file("ep"), encoding: .utf8)
        let worker = try Background(["worker", "--connect", endpoint, "--id", "w"], in: folder, log: "w.log")
        #expect(coordinator.wait(timeout: .seconds(30)), "\(coordinator.log)")
        #expect(coordinator.process.terminationStatus == (allowFailures ? 0 : 2), "\(coordinator.log)")
        let log = coordinator.log
        #expect(log.contains("warning: sweep.yaml:3: 'dataset.path'"), "\(log)")
        #expect(log.contains("2 of 2 trials failed"), "\(log)")
        #expect(log.contains("2 trials [infrastructure]: data: data/no-such-folder"), "\(log)")
        worker.wait(timeout: .seconds(10))
    }
}
