import Foundation
import Sweep
import SweepWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SweepStore {
    /// Measures how fast a coordinator can record noop trials: in a fresh store in a temporary
    /// folder, registers `trials` noop trials, then for each batch of `batchSize` trials applies
    /// one transaction of `trialLeased` + `trialFinished` per trial (what a coordinator persists
    /// for a trial that succeeds first time), timing only the `apply` calls. Deletes the store.
    ///
    /// Reports wall-clock rates (what a coordinator sees, including waits for the disk and for
    /// the CPU on a busy machine) and the rate by this thread's CPU time (what the store costs).
    /// Run it from a release build; numbers from debug builds mean little. With `.osCrashSafe`
    /// each batch costs one fsync, so the numbers depend on the disk under `directory`: measure
    /// where stores live, not on a tmpfs (where fsync costs nothing).
    /// - Parameters:
    ///   - directory: where to put the temporary store (default: the system temp folder).
    ///   - durability: the store's `synchronous` setting (default: the coordinator's).
    public static func benchmark(
        trials: Int, batchSize: Int = 256, directory: String? = nil, durability: Durability = .osCrashSafe
    ) throws -> StoreBenchmark {
        precondition(
            trials > 0 && batchSize > 0, "benchmark needs trials > 0 and batchSize > 0, got \(trials), \(batchSize)")
        let folder = URL(fileURLWithPath: directory ?? NSTemporaryDirectory())
            .appendingPathComponent("crossrec-store-benchmark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SweepStore.open(folder.appendingPathComponent("store.sqlite").path, durability: durability)
        defer { try? store.close() }

        let fingerprint = "benchmark"
        let configs = (0..<trials).map { index in
            TrialConfig(model: "noop", parameters: ["index": .int(index)], seed: 0)
        }
        let ids = configs.map { TrialID(config: $0, datasetFingerprint: fingerprint) }
        let clock = ContinuousClock()
        let registrationStart = clock.now
        try store.registerSweep(
            name: "benchmark", specJSON: "{}", datasetFingerprint: fingerprint, codeVersion: "benchmark",
            trials: Array(zip(ids, configs)).map { (id: $0.0, config: $0.1) })
        let registration = clock.now - registrationStart

        var cpuSeconds = 0.0
        var batchSeconds: [Double] = []
        var batchTrials: [Int] = []
        var epoch: UInt64 = 0
        for start in stride(from: 0, to: trials, by: batchSize) {
            let range = start..<min(start + batchSize, trials)
            var commands: [StoreCommand] = []
            commands.reserveCapacity(range.count * 2)
            for index in range {
                epoch += 1
                let worker = WorkerID("w\(index % 8)")
                commands.append(
                    .trialLeased(LeaseTicket(trial: ids[index], attempt: 1, epoch: LeaseEpoch(epoch)), worker: worker))
                commands.append(
                    .trialFinished(
                        trial: ids[index], attempt: 1,
                        metrics: TrialMetrics(values: ["score": Double(index)], timings: ["fit": 0, "evaluate": 0]),
                        worker: worker))
            }
            let batchStart = clock.now
            let cpuStart = threadCPUSeconds()
            try store.apply(commands)
            cpuSeconds += threadCPUSeconds() - cpuStart
            batchSeconds.append(seconds(clock.now - batchStart))
            batchTrials.append(range.count)
        }
        func rate(_ batches: Range<Int>) -> Double {
            Double(batchTrials[batches].reduce(0, +)) / batchSeconds[batches].reduce(0, +)
        }
        let tenth = max(1, batchSeconds.count / 10)
        let recording = batchSeconds.reduce(0, +)
        return StoreBenchmark(
            trials: trials, batchSize: batchSize, durability: durability, registrationSeconds: seconds(registration),
            recordingSeconds: recording, trialsPerSecond: Double(trials) / recording,
            cpuTrialsPerSecond: Double(trials) / cpuSeconds,
            firstTenthTrialsPerSecond: rate(0..<tenth),
            lastTenthTrialsPerSecond: rate((batchSeconds.count - tenth)..<batchSeconds.count))
    }

    /// CPU time consumed by the calling thread so far.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
