/// What `SweepStore.benchmark(trials:batchSize:directory:durability:)` measured.
public struct StoreBenchmark: Sendable, Hashable, CustomStringConvertible {
    public var trials: Int
    /// Trials per transaction while recording (two commands each).
    public var batchSize: Int
    /// The store's `synchronous` setting while recording.
    public var durability: SweepStore.Durability
    /// Seconds to register all trials (one transaction).
    public var registrationSeconds: Double
    /// Seconds to record every trial's lease and result, batch after batch.
    public var recordingSeconds: Double
    /// Trials recorded per second over the whole run (lease + finish per trial).
    public var trialsPerSecond: Double
    /// Trials recorded per second of this thread's CPU time: the rate on an idle machine with a
    /// fast disk, and the store's own cost whatever else runs.
    public var cpuTrialsPerSecond: Double
    /// Trials per second over the first and the last tenth of the batches: equal when the cost
    /// per trial does not grow with the store.
    public var firstTenthTrialsPerSecond: Double
    public var lastTenthTrialsPerSecond: Double

    public init(
        trials: Int, batchSize: Int, durability: SweepStore.Durability, registrationSeconds: Double,
        recordingSeconds: Double, trialsPerSecond: Double, cpuTrialsPerSecond: Double,
        firstTenthTrialsPerSecond: Double, lastTenthTrialsPerSecond: Double
    ) {
        self.trials = trials
        self.batchSize = batchSize
        self.durability = durability
        self.registrationSeconds = registrationSeconds
        self.recordingSeconds = recordingSeconds
        self.trialsPerSecond = trialsPerSecond
        self.cpuTrialsPerSecond = cpuTrialsPerSecond
        self.firstTenthTrialsPerSecond = firstTenthTrialsPerSecond
        self.lastTenthTrialsPerSecond = lastTenthTrialsPerSecond
    }

    public var description: String {
        func rate(_ value: Double) -> String { String(Int(value.rounded())) }
        let setting = "\(trials) trials, batches of \(batchSize), synchronous = \(durability.synchronous): "
        return setting + "\(rate(trialsPerSecond)) trials/s "
            + "(first tenth \(rate(firstTenthTrialsPerSecond)), last tenth \(rate(lastTenthTrialsPerSecond))), "
            + "\(rate(cpuTrialsPerSecond)) per CPU second; "
            + "registration \(rate(Double(trials) / registrationSeconds)) trials/s"
    }
}
