public import RecData

/// Everything a model trains on, built once per data set and split and shared across trials
/// (a worker keeps it between trials).
public struct TrainingData: Sendable {
    public var interactions: Interactions
    public var userCount: Int
    public var itemCount: Int
    /// Users × items, columns ascending within a row.
    public var byUser: SparseMatrix
    /// Items × users (the CSC view of the same matrix).
    public var byItem: SparseMatrix
    /// Ratings (true) or implicit events (false).
    public var isExplicit: Bool
    /// Item metadata when the domain has it (content models read it).
    public var catalog: ItemCatalog?
    /// The data set's other domains (same user numbering, their own items), all their rows: what a
    /// cross-domain model may learn from. Single-domain models ignore it.
    public var otherDomains: [OtherDomain] = []
    /// A sentence encoder for item text, when the runtime has one (content features `minilm`).
    public var textEmbedder: (any ItemTextEmbedder)?
    /// Knowledge-graph vectors by entity id (MIND's `entity_embedding.vec`), when the data set
    /// has them (content features `entities`).
    public var entityEmbeddings: MINDEmbeddings?
    /// Impressions of the training period (MIND splits): what was shown and what was clicked, for
    /// models with an impression-level click loss. Never the evaluated impressions.
    public var trainingImpressions: MINDImpressionLog?
    /// Rows held out of ``interactions`` on which models with epochs report `validation_*`
    /// figures as they train (a sweep's `validation:` holdout); nil: none.
    public var validation: ValidationRows?

    /// One other domain's interactions, users numbered as in ``interactions``.
    public struct OtherDomain: Sendable {
        public var name: String
        public var interactions: Interactions
        public var itemCount: Int
        public var isExplicit: Bool
        /// The domain's item metadata (titles, categories, text), for models with an item tower.
        public var catalog: ItemCatalog?

        public init(
            name: String, interactions: Interactions, itemCount: Int, isExplicit: Bool, catalog: ItemCatalog? = nil
        ) {
            self.name = name
            self.interactions = interactions
            self.itemCount = itemCount
            self.isExplicit = isExplicit
            self.catalog = catalog
        }

        /// Every row of `domain`.
        public init(_ domain: Domain) {
            self.init(
                name: domain.name, interactions: domain.interactions, itemCount: domain.items.count,
                isExplicit: domain.isExplicit, catalog: domain.catalog)
        }

        /// Every domain of `dataset` but the evaluated one, whole.
        public static func others(in dataset: Dataset, evaluating name: String) -> [OtherDomain] {
            dataset.domains.filter { $0.name != name }.map(OtherDomain.init)
        }
    }

    public init(interactions: Interactions, userCount: Int, itemCount: Int, isExplicit: Bool, catalog: ItemCatalog? = nil) {
        self.interactions = interactions
        self.userCount = userCount
        self.itemCount = itemCount
        self.isExplicit = isExplicit
        self.catalog = catalog
        byUser = SparseMatrix(interactions, userCount: userCount, itemCount: itemCount, orientation: .usersByItems)
        byItem = SparseMatrix(interactions, userCount: userCount, itemCount: itemCount, orientation: .itemsByUsers)
    }

    /// The same data set (catalog, other domains, text embedder, entity vectors) with fewer rows:
    /// what a model trains an inner validation fit on.
    public func keeping(_ rows: Interactions) -> TrainingData {
        var reduced = TrainingData(
            interactions: rows, userCount: userCount, itemCount: itemCount, isExplicit: isExplicit, catalog: catalog)
        reduced.otherDomains = otherDomains
        reduced.textEmbedder = textEmbedder
        reduced.entityEmbeddings = entityEmbeddings
        reduced.trainingImpressions = trainingImpressions
        return reduced
    }
}

/// Progress of one training epoch, reported through the `progress` callback of ``Recommender/fit``.
public struct EpochProgress: Sendable, Hashable {
    public var epoch: Int
    public var totalEpochs: Int
    /// Training-set figures (e.g. `train_rmse`, `loss`) and, where a model is given rows held out
    /// of its training data, validation figures (`validation_rmse`): never test scores.
    public var values: [String: Double]

    public init(epoch: Int, totalEpochs: Int, values: [String: Double]) {
        self.epoch = epoch
        self.totalEpochs = totalEpochs
        self.values = values
    }
}

/// What `fit` does after each epoch: go on, or stop early (cancel, or early stopping).
public enum TrainingDecision: Sendable {
    case proceed
    case stop
}

/// A recommendation model: trained with typed hyperparameters and a seed, then scores items.
///
/// Determinism contract: the same data, hyperparameters and seed give bit-identical scores on
/// one thread and one build. Models must not read global random state or wall-clock time.
public protocol Recommender: Sendable {
    /// Registry name (`popularity`, `mf`, `als`, …).
    static var name: String { get }

    /// Trains on `data`. Throws ``ModelError`` for inputs the model cannot handle.
    mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError)

    /// Scores every item for `user` into `scores` (count == itemCount). Higher is better.
    /// Unknown users (no training rows) must still get finite scores (e.g. popularity fallback).
    func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>)

    /// Predicted rating, for models of explicit feedback; nil when the model does not predict ratings.
    func predictRating(user: Int32, item: Int32) -> Float?

    /// Scores `candidates` (one score each, into `scores`) for `user`, whose clicks before this
    /// moment are `history` — the MIND impression protocol. Models that can build a profile from
    /// a history (``ContentModel``) use it and nothing the user did later; the default reads the
    /// trained user's ``scoreAll(user:into:)`` at the candidates (O(itemCount) per call), which is
    /// valid when the model was trained only on clicks before the impressions it scores.
    /// Popularity, the baseline, BPR and MF override it to score only the candidates, with the same
    /// values; every other model scores from the history.
    func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>)

    /// What the last fit chose or measured without test data (a learned weight, a validation
    /// score), by name; a trial reports these beside its test metrics. Empty for most models.
    var fitSummary: [String: Double] { get }
}

extension Recommender {
    public func predictRating(user: Int32, item: Int32) -> Float? { nil }

    public var fitSummary: [String: Double] { [:] }

    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        var all = [Float](repeating: 0, count: itemCount)
        all.withUnsafeMutableBufferPointer { scoreAll(user: user, into: $0) }
        for (k, item) in candidates.enumerated() { scores[k] = Int(item) < itemCount && item >= 0 ? all[Int(item)] : 0 }
    }
}

/// A model failure that retrying will not fix (bad hyperparameters for this data, divergence).
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    public var model: String
    public var message: String

    public init(model: String, message: String) {
        self.model = model
        self.message = message
    }

    public var description: String { "\(model): \(message)" }
}
