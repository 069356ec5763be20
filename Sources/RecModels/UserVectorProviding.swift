public import RecData

/// A model whose fit places every user it learned in one vector space: what user clustering
/// (`crossrec analyze --clusters`) reads. ``UnifiedModel`` (one vector for every domain), ``ALSModel``
/// and ``BPRModel`` adopt it.
public protocol UserVectorProviding: Recommender {
    /// The users' vectors after the last fit (empty before it).
    var userVectors: UserVectors { get }
}

/// Users' vectors: a users × dimension matrix and which rows were learned from data.
public struct UserVectors: Sendable, Equatable {
    public var dimension: Int
    /// users × dimension, row-major.
    public var values: [Float]
    /// Per user: whether the vector was learned from their rows (false: the user had no row the
    /// model learned from; the row is zeros and means nothing).
    public var isLearned: [Bool]

    public init(dimension: Int, values: [Float], isLearned: [Bool]) {
        precondition(values.count == dimension * isLearned.count, "UserVectors: \(values.count) values for \(isLearned.count) × \(dimension)")
        self.dimension = dimension
        self.values = values
        self.isLearned = isLearned
    }

    /// The rows of `factors` without their padding.
    init(_ factors: FactorMatrix, learned: [Bool]) {
        var values = [Float]()
        values.reserveCapacity(factors.rows * factors.factors)
        for row in 0..<factors.rows {
            values += factors.values[(row * factors.stride)..<(row * factors.stride + factors.factors)]
        }
        let learned = learned.count == factors.rows ? learned : [Bool](repeating: false, count: factors.rows)
        self.init(dimension: factors.factors, values: values, isLearned: learned)
    }

    public var users: Int { isLearned.count }

    /// User `user`'s vector, or nil when it was not learned.
    public func vector(_ user: Int) -> ArraySlice<Float>? {
        guard user >= 0, user < users, isLearned[user] else { return nil }
        return values[(user * dimension)..<((user + 1) * dimension)]
    }
}

extension UnifiedModel: UserVectorProviding {
    /// The shared user factors X: learned from the user's rows in every domain the fit used.
    public var userVectors: UserVectors { UserVectors(userFactors, learned: knownUsers) }
}

extension ALSModel: UserVectorProviding {
    public var userVectors: UserVectors { UserVectors(userFactors, learned: knownUsers) }
}

extension BPRModel: UserVectorProviding {
    public var userVectors: UserVectors { UserVectors(userFactors, learned: knownUsers) }
}

extension AnyRecommender {
    /// Fits the model on every row of `dataset` (no split: the vectors describe the users, they are
    /// not evaluated): `evaluating` is the model's own domain, the others are its other domains (what
    /// ``UnifiedModel`` shares its user vectors across), then returns its user vectors.
    /// - Throws: ``ModelError`` when the domain is missing, the fit fails, or the model has no user
    ///   vectors (say which models have).
    public mutating func fitUserVectors(
        on dataset: Dataset, evaluating name: String, progress: (EpochProgress) -> TrainingDecision = { _ in .proceed }
    ) throws(ModelError) -> UserVectors {
        guard base is any UserVectorProviding else {
            throw ModelError(model: self.name, message: "has no user vectors to cluster; use unified, als or bpr")
        }
        guard let domain = dataset.domain(name) else {
            throw ModelError(model: self.name, message: "no domain '\(name)' in the data set")
        }
        var training = TrainingData(
            interactions: domain.interactions, userCount: dataset.users.count, itemCount: domain.items.count,
            isExplicit: domain.isExplicit, catalog: domain.catalog)
        training.otherDomains = TrainingData.OtherDomain.others(in: dataset, evaluating: name)
        try fit(training, progress: progress)
        return userVectors!
    }
}
