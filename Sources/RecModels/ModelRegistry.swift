public import ParameterSpecs

/// Every model a sweep can name: its family, hyperparameter specs, metrics and a factory that
/// validates parameter values before building the model.
public enum ModelRegistry {
    public struct Entry: Sendable {
        /// The name sweeps use (`mf`, `als`, …), equal to the model type's ``Recommender/name``.
        public let name: String
        /// `cf` (collaborative filtering), `content` (item text), `hybrid` (both) or `unified`
        /// (cross-domain: one user vector across domains, or a map between them).
        public let family: String
        public let parameters: [ParameterSpec]
        /// What its evaluation reports: rating metrics for models of explicit ratings, top-K otherwise.
        public let metrics: [String]
        let build: @Sendable (ModelParameters, UInt64) -> any Recommender

        /// Checks `parameters` against the specs (unknown names and rejected values throw
        /// ``ModelError``), fills in defaults and builds an untrained model.
        public func make(parameters: [String: ParameterValue] = [:], seed: UInt64 = 0) throws(ModelError)
            -> AnyRecommender
        {
            let checked = try ModelParameters(model: name, specs: self.parameters, values: parameters)
            return AnyRecommender(build(checked, seed))
        }

        public var catalogModel: ModelCatalog.Model {
            ModelCatalog.Model(name: name, family: family, parameters: parameters, metrics: metrics)
        }
    }

    static let ratingMetrics = ["rmse", "mae"]
    /// Top-K metrics, and the MIND impression metrics a MIND split (`mind: train/dev`) adds.
    public static let rankingMetrics = ["ndcg@10", "precision@10", "recall@10", "mind_auc", "mind_mrr", "mind_ndcg@5", "mind_ndcg@10"]

    /// The single models: every CF model and the content model.
    static let singleModels: [Entry] = [
        Entry(
            name: PopularityModel.name, family: "cf", parameters: PopularityModel.parameterSpecs,
            metrics: rankingMetrics,
            build: { PopularityModel(parameters: $0, seed: $1) }),
        Entry(
            name: BaselineModel.name, family: "cf", parameters: BaselineModel.parameterSpecs, metrics: ratingMetrics,
            build: { BaselineModel(parameters: $0, seed: $1) }),
        Entry(
            name: BiasedMF.name, family: "cf", parameters: BiasedMF.parameterSpecs, metrics: ratingMetrics,
            build: { BiasedMF(parameters: $0, seed: $1) }),
        Entry(
            name: ALSModel.name, family: "cf", parameters: ALSModel.parameterSpecs, metrics: rankingMetrics,
            build: { ALSModel(parameters: $0, seed: $1) }),
        Entry(
            name: BPRModel.name, family: "cf", parameters: BPRModel.parameterSpecs, metrics: rankingMetrics,
            build: { BPRModel(parameters: $0, seed: $1) }),
        Entry(
            name: ItemKNNModel.name, family: "cf", parameters: ItemKNNModel.parameterSpecs, metrics: rankingMetrics,
            build: { ItemKNNModel(parameters: $0, seed: $1) }),
        Entry(
            name: EASEModel.name, family: "cf", parameters: EASEModel.parameterSpecs, metrics: rankingMetrics,
            build: { EASEModel(parameters: $0, seed: $1) }),
        Entry(
            name: ContentModel.name, family: "content", parameters: ContentModel.parameterSpecs,
            metrics: rankingMetrics, build: { ContentModel(parameters: $0, seed: $1) }),
    ]

    /// CF models that rank (no rating-only models): what a hybrid may combine with content.
    static let rankingComponents = singleModels.filter { $0.family == "cf" && $0.metrics == rankingMetrics }

    static let hybrid: Entry = {
        let content = singleModels.first { $0.name == ContentModel.name }!
        let components = rankingComponents
        return Entry(
            name: HybridModel.name, family: "hybrid",
            parameters: HybridModel.parameterSpecs(components: components, content: content),
            metrics: rankingMetrics + HybridModel.fitSummaryNames,
            build: { HybridModel(parameters: $0, seed: $1, components: components, content: content) })
    }()

    static let unified = Entry(
        name: UnifiedModel.name, family: "unified", parameters: UnifiedModel.parameterSpecs,
        metrics: rankingMetrics + UnifiedModel.fitSummaryNames, build: { UnifiedModel(parameters: $0, seed: $1) })

    static let twoTower = Entry(
        name: TwoTowerModel.name, family: "unified", parameters: TwoTowerModel.parameterSpecs,
        metrics: rankingMetrics + ratingMetrics + TwoTowerModel.fitSummaryNames,
        build: { TwoTowerModel(parameters: $0, seed: $1) })

    static let emcdr = Entry(
        name: EMCDRModel.name, family: "unified", parameters: EMCDRModel.parameterSpecs,
        metrics: rankingMetrics + EMCDRModel.fitSummaryNames, build: { EMCDRModel(parameters: $0, seed: $1) })

    public static let entries: [Entry] = singleModels + [hybrid, unified, twoTower, emcdr]

    public static var names: [String] { entries.map(\.name) }

    public static func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Builds model `name` from sweep values; throws ``ModelError`` for an unknown model, an
    /// unknown parameter or a rejected value, each message saying what is accepted.
    public static func make(_ name: String, parameters: [String: ParameterValue] = [:], seed: UInt64 = 0)
        throws(ModelError)
        -> AnyRecommender
    {
        guard let entry = entry(named: name) else {
            throw ModelError(model: name, message: "unknown model; available: \(names.joined(separator: ", "))")
        }
        return try entry.make(parameters: parameters, seed: seed)
    }

    /// What the runtime announces to sweeps: every model with its specs and metrics.
    public static var catalog: ModelCatalog { ModelCatalog(models: entries.map(\.catalogModel)) }
}
