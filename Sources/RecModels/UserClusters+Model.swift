public import ParameterSpecs
public import RecData
public import RecEval

extension UserClusters {
    /// Fits `model` (with `parameters`, `seed`) on every row of `dataset`, `rows` being its own
    /// domain and the others its other domains, and clusters the users of `affinity` by the
    /// resulting user vectors (see ``UserClusters``' initializer for the rest). The one pipeline of
    /// `crossrec analyze --clusters` and `crossrec-bench clusters`.
    /// - Throws: ``ModelError`` (unknown model, no user vectors, failed fit) or ``EvaluationError``.
    public static func fitting(
        model: String, parameters: [String: ParameterValue] = [:], seed: UInt64, dataset: Dataset,
        affinity: CategoryAffinity, count: ClusterCount, normalize: Bool = true, restarts: Int = 10, planted: [Int?] = [],
        progress: (EpochProgress) -> TrainingDecision = { _ in .proceed }
    ) throws -> UserClusters {
        guard let rows = dataset.domain(affinity.rowDomain), let columns = dataset.domain(affinity.columnDomain) else {
            throw EvaluationError("clusters", "the data set has no domain '\(affinity.rowDomain)' or '\(affinity.columnDomain)'")
        }
        var recommender = try ModelRegistry.make(model, parameters: parameters, seed: seed)
        let vectors = try recommender.fitUserVectors(on: dataset, evaluating: rows.name, progress: progress)
        return try UserClusters(
            affinity: affinity, rows: rows, columns: columns, users: dataset.users, vectors: vectors.values,
            dimension: vectors.dimension, learned: vectors.isLearned, model: model, count: count, normalize: normalize,
            restarts: restarts, seed: seed, planted: planted)
    }
}
