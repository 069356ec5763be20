import Foundation
import SweepStore

/// What power-loss safety costs the store: commands per second recording noop trials (a lease
/// and a result each, `SweepStore.benchmark`) with `synchronous = NORMAL` (survives SIGKILL) and
/// `FULL` (survives power loss: one fsync per commit, the coordinator's setting), for several
/// commands per commit, in one run. Each commit's fsync makes the FULL figures depend on the disk
/// under `directory`: measure where stores live, never on a tmpfs. Each figure is the median of
/// `repetitions` runs, the repetitions taken in turns so a busy spell does not hit one setting.
struct StoreDurabilityBenchmark {
    /// Commands recorded per run (half as many trials).
    var commands: Int
    /// Commands per commit (one `apply`), each even.
    var batchCommands: [Int]
    var directory: String
    var repetitions: Int

    static let minimumTrialsPerSecond = 5000.0

    struct Run: Codable {
        var synchronous: String
        var batchCommands: Int
        var commits: Int
        var commandsPerSecond: Double
        var trialsPerSecond: Double
        var millisecondsPerCommit: Double
        /// By this thread's CPU time: the store's own cost, without waiting for the disk.
        var cpuTrialsPerSecond: Double
        var firstTenthTrialsPerSecond: Double
        var lastTenthTrialsPerSecond: Double
        /// Every repetition's trials per second; the figures above are from the median one.
        var trialsPerSecondSamples: [Double]
    }

    struct Report: Codable {
        var benchmark = "store-durability"
        var buildConfiguration: String
        var directory: String
        var fileSystem: String
        var commands: Int
        var commandsPerTrial = 2
        var repetitions: Int
        var runs: [Run]
        /// Per setting, the fewest commands per commit measured that record at least
        /// `minimumTrialsPerSecond` trials per second; absent when no batch size did.
        var smallestBatchCommandsMeetingTarget: [String: Int]
        var targets = ["minimumTrialsPerSecond": StoreDurabilityBenchmark.minimumTrialsPerSecond]
    }

    func run() throws -> Report {
        let settings = batchCommands.flatMap { batch in
            // NORMAL and FULL back to back for each batch size, so both see the same machine load.
            [SweepStore.Durability.processCrashSafe, .osCrashSafe].map { (batch: batch, durability: $0) }
        }
        var samples = Array(repeating: [StoreBenchmark](), count: settings.count)
        for repetition in 1...repetitions {
            for (index, setting) in settings.enumerated() {
                let result = try SweepStore.benchmark(
                    trials: commands / 2, batchSize: setting.batch / 2, directory: directory,
                    durability: setting.durability)
                samples[index].append(result)
                let line =
                    "\(setting.durability.synchronous), \(setting.batch) commands per commit, repetition \(repetition): "
                    + "\(Int(2 * result.trialsPerSecond)) commands/s, \(Int(result.trialsPerSecond)) trials/s\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let runs = zip(settings, samples).map { setting, results in
            let median = results.sorted { $0.trialsPerSecond < $1.trialsPerSecond }[results.count / 2]
            let commits = (median.trials + median.batchSize - 1) / median.batchSize
            return Run(
                synchronous: setting.durability.synchronous, batchCommands: setting.batch, commits: commits,
                commandsPerSecond: 2 * median.trialsPerSecond, trialsPerSecond: median.trialsPerSecond,
                millisecondsPerCommit: 1000 * median.recordingSeconds / Double(commits),
                cpuTrialsPerSecond: median.cpuTrialsPerSecond,
                firstTenthTrialsPerSecond: median.firstTenthTrialsPerSecond,
                lastTenthTrialsPerSecond: median.lastTenthTrialsPerSecond,
                trialsPerSecondSamples: results.map(\.trialsPerSecond))
        }
        var smallest: [String: Int] = [:]
        for run in runs where run.trialsPerSecond >= Self.minimumTrialsPerSecond {
            smallest[run.synchronous] = min(smallest[run.synchronous] ?? .max, run.batchCommands)
        }
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration, directory: directory,
            fileSystem: Self.fileSystem(of: directory), commands: commands, repetitions: repetitions, runs: runs,
            smallestBatchCommandsMeetingTarget: smallest)
    }

    /// The type of the file system holding `path` (`ext4`, `tmpfs`, …): the longest mount point
    /// in /proc/self/mounts that contains it; `unknown` where there is no such file.
    static func fileSystem(of path: String) -> String {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return "unknown" }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (mountPoint: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = String(fields[1])
            let contains =
                mountPoint == "/" || resolved == mountPoint || resolved.hasPrefix(mountPoint + "/")
            if contains && mountPoint.count >= (best?.mountPoint.count ?? 0) {
                best = (mountPoint, String(fields[2]))
            }
        }
        return best?.type ?? "unknown"
    }
}
