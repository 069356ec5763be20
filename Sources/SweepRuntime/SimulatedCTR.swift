public import RecData
import RecModels
import RecSimulation

/// `sim_ctr@10`, a metric a sweep can rank by on generated data: the exact expected CTR of the
/// trained model's top-10 slate of the evaluated domain (what the user has in training left out),
/// for a user drawn uniformly from those the truth knows, under the generator's planted click model
/// (``RecSimulation/PlantedClickModel``). Exact, so it has no simulation noise; it says how the
/// planted users would click, not real ones (docs/simulation.md).
public struct SimulatedCTR: Sendable {
    public static let metric = "sim_ctr@10"
    public static let slateSize = 10

    let dataset: Dataset
    let clickModel: PlantedClickModel
    let domain: Int
    let population: [Int32]

    /// - Parameter dataset: the data set with the evaluated domain's rows reduced to its training rows.
    public init(dataset: Dataset, truth: SyntheticTruth, domain: Int) throws {
        let model = try PlantedClickModel(dataset: dataset, truth: truth)
        self.dataset = dataset
        clickModel = model
        self.domain = domain
        population = (0..<Int32(dataset.users.count)).filter(model.knows)
    }

    /// The exact expected CTR of `model`'s slates.
    /// - Complexity: O(users · items of the domain · log items).
    func value(for model: AnyRecommender) throws -> Double {
        let slates = try SlatePolicy.slates(
            model: model, dataset: dataset, target: domain, users: population, size: Self.slateSize, mode: .domain(domain))
        let simulator = try SlateSimulator(dataset: dataset, clickModel: clickModel, population: population)
        return simulator.exactCTR(slates: slates)
    }
}
