/// A parsed and validated sweep file: what data, which metric, which models with which
/// hyperparameter spaces, which seeds, and the per-trial limits.
///
/// Read one with ``init(yaml:file:catalog:)`` or ``init(contentsOfFile:catalog:)``; every problem
/// is a ``SweepSpecError`` naming file, line and key. ``expand()`` turns it into trials with
/// stable ids. Equality and `Codable` cover the resolved values (not the file's formatting).
public struct SweepSpec: Sendable, Hashable, Codable {
    /// Per-worker concurrency (`worker: {slots: 1}`).
    public struct Worker: Sendable, Hashable, Codable {
        /// Trials one worker process runs at once (1…1024).
        public var slots: Int

        public init(slots: Int = 1) { self.slots = slots }
    }

    public static let defaultSeeds: [UInt64] = [1]
    public static let defaultTimeout: Duration = .seconds(3600)
    public static let defaultRetries = 2

    /// Human name of the sweep (leaderboard titles, store records).
    public var name: String
    public var dataset: DatasetSpec
    public var metric: MetricSpec
    /// Model entries in file order.
    public var models: [ModelSweep]
    /// Every configuration runs once per seed, in this order (default `[1]`).
    public var seeds: [UInt64]
    /// Wall-clock limit of one attempt; past it the attempt counts as an infrastructure failure.
    public var timeout: Duration
    /// How many times an attempt lost to infrastructure (crash, lost worker, timeout) is retried.
    public var retries: Int
    public var worker: Worker
    /// Grid (default), random or TPE search, and early stopping (`search:`, `stopping:`).
    public var search: SearchSettings

    public init(
        name: String, dataset: DatasetSpec, metric: MetricSpec, models: [ModelSweep], seeds: [UInt64] = defaultSeeds,
        timeout: Duration = defaultTimeout, retries: Int = defaultRetries, worker: Worker = Worker(),
        search: SearchSettings = .grid
    ) {
        self.search = search
        self.name = name
        self.dataset = dataset
        self.metric = metric
        self.models = models
        self.seeds = seeds
        self.timeout = timeout
        self.retries = retries
        self.worker = worker
    }

    private enum CodingKeys: String, CodingKey {
        case name, dataset, metric, models, seeds, timeout, retries, worker, search
    }

    /// Decodes a spec; `search` is absent in specs stored before adaptive search existed (grid).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        dataset = try container.decode(DatasetSpec.self, forKey: .dataset)
        metric = try container.decode(MetricSpec.self, forKey: .metric)
        models = try container.decode([ModelSweep].self, forKey: .models)
        seeds = try container.decode([UInt64].self, forKey: .seeds)
        timeout = try container.decode(Duration.self, forKey: .timeout)
        retries = try container.decode(Int.self, forKey: .retries)
        worker = try container.decode(Worker.self, forKey: .worker)
        search = try container.decodeIfPresent(SearchSettings.self, forKey: .search) ?? .grid
    }

    /// The figure adaptive search and early stopping read (see ``SearchSettings/objective(for:validation:)``).
    public var objective: String { SearchSettings.objective(for: metric, validation: dataset.validation != nil) }

    /// The data set's fingerprint, part of every trial id (see ``DatasetSpec`` for what it covers).
    public var datasetFingerprint: String { dataset.fingerprint }
}
