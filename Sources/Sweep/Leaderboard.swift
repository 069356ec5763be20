/// Trial results grouped by configuration (seeds aggregated) and ranked by the primary metric.
///
/// Rows with a primary-metric mean come first, best first in the metric's direction; equal means
/// are ordered by ``ConfigurationKey``; rows without one (all trials failed, or the model does not
/// report it) follow, unranked, by configuration. Non-finite values are left out of the summaries.
///
/// Deterministic: the same results in any order give an equal board, and the renderers
/// (`markdown()`, `csv()`, `json()`, `html(title:)`) byte-identical text.
public struct Leaderboard: Sendable, Hashable, Codable {
    public var metric: MetricSpec
    /// Ranked rows, then unranked ones.
    public var rows: [LeaderboardRow]

    /// Groups `results` and `failures` by configuration.
    /// - Parameters:
    ///   - results: one entry per finished trial (configuration with seed, and its metrics).
    ///   - failures: one entry per trial that ended without metrics (after its retries), not per attempt.
    /// - Complexity: O(n log n) in the number of trials.
    public init(
        metric: MetricSpec, results: [(config: TrialConfig, metrics: TrialMetrics)],
        failures: [(config: TrialConfig, failure: TrialFailure)] = []
    ) {
        var accumulator = Accumulator(metric: metric)
        for (config, metrics) in results { accumulator.add(config, metrics) }
        for (config, failure) in failures { accumulator.add(config, failure: failure) }
        self = accumulator.leaderboard
    }

    /// Builds a board one trial at a time, so a caller streaming results from a store never
    /// holds them all: memory grows with configurations (and seeds), not with trial records.
    public struct Accumulator: Sendable {
        public let metric: MetricSpec
        private let columns: [String]
        private var values: [ConfigurationKey: [String: [Double]]] = [:]
        private var seeds: [ConfigurationKey: [UInt64]] = [:]
        private var failed: [ConfigurationKey: [LeaderboardRow.Failure]] = [:]

        public init(metric: MetricSpec) {
            self.metric = metric
            columns = metric.columns
        }

        /// One finished trial.
        public mutating func add(_ config: TrialConfig, _ metrics: TrialMetrics) {
            let key = ConfigurationKey(config)
            seeds[key, default: []].append(config.seed)
            for column in columns {
                if let value = metrics.values[column], value.isFinite {
                    values[key, default: [:]][column, default: []].append(value)
                }
            }
        }

        /// One trial that ended without metrics (after its retries), not one per attempt.
        public mutating func add(_ config: TrialConfig, failure: TrialFailure) {
            failed[ConfigurationKey(config), default: []].append(
                LeaderboardRow.Failure(seed: config.seed, kind: failure.kind, message: failure.message))
        }

        /// The ranked board of everything added; independent of the order trials were added in.
        /// - Complexity: O(n log n) in the number of trials.
        public var leaderboard: Leaderboard {
            let keys = Set(seeds.keys).union(failed.keys)
            let rows = keys.map { key in
                LeaderboardRow(
                    configuration: key, rank: nil,
                    metrics: (values[key] ?? [:]).mapValues { MetricSummary(values: $0) },
                    seeds: (seeds[key] ?? []).sorted(), failures: (failed[key] ?? []).sorted())
            }
            return Leaderboard(metric: metric, rankingRows: rows)
        }
    }

    /// Orders and numbers `rows` (their ranks are recomputed).
    public init(metric: MetricSpec, rankingRows rows: [LeaderboardRow]) {
        self.metric = metric
        let primary = metric.primary
        var ordered = rows.sorted { lhs, rhs in
            switch (lhs.mean(primary), rhs.mean(primary)) {
            case (let a?, let b?):
                if a != b { return metric.direction.isBetter(a, than: b) }
                return lhs.configuration < rhs.configuration
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.configuration < rhs.configuration
            }
        }
        for index in ordered.indices {
            ordered[index].rank = ordered[index].mean(primary) == nil ? nil : index + 1
        }
        self.rows = ordered
    }

    /// Metric columns: the primary metric, then the recorded ones.
    public var columns: [String] { metric.columns }

    /// Model names on the board, sorted.
    public var models: [String] { Array(Set(rows.map(\.model))).sorted() }

    /// The board of one model, ranks renumbered within it.
    public func model(_ name: String) -> Leaderboard {
        Leaderboard(metric: metric, rankingRows: rows.filter { $0.model == name })
    }

    /// The top-ranked row, if any trial reported the primary metric.
    public var best: LeaderboardRow? { rows.first { $0.rank != nil } }

    /// Each model's best ranked row, in board order (ranks are overall ranks).
    public var bestPerModel: [LeaderboardRow] {
        var seen: Set<String> = []
        return rows.filter { $0.rank != nil && seen.insert($0.model).inserted }
    }

    /// All trials on the board (with metrics or failed).
    public var trialCount: Int { rows.reduce(0) { $0 + $1.trials } }

    /// Trials that failed.
    public var failedCount: Int { rows.reduce(0) { $0 + $1.failed } }
}
