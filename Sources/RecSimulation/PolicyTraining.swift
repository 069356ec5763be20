public import RecData
public import RecModels

/// Fits a policy's model the way `crossrec recommend` does: on every row of one domain (the
/// simulation is not an evaluation on held-out data: its clicks come from the click model), with
/// the other domains as side information for the models that use them, and `textEmbedder` for
/// the content features that need a sentence encoder (`minilm`).
public enum PolicyTraining {
    public static func fit(
        _ model: inout AnyRecommender, dataset: Dataset, target: Int, textEmbedder: (any ItemTextEmbedder)? = nil
    ) throws {
        let domain = dataset.domains[target]
        var training = TrainingData(
            interactions: domain.interactions, userCount: dataset.users.count, itemCount: domain.items.count,
            isExplicit: domain.isExplicit, catalog: domain.catalog)
        training.otherDomains = TrainingData.OtherDomain.others(in: dataset, evaluating: domain.name)
        training.textEmbedder = textEmbedder
        try model.fit(training)
    }
}
