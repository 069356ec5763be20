/// A model of any type, as the registry builds it and the runtime holds it.
///
/// Forwards to the wrapped model; the one dynamic dispatch per call sits outside every inner
/// loop (``scoreAll(user:into:)`` scores all items per call).
public struct AnyRecommender: Sendable {
    public private(set) var base: any Recommender

    public init(_ base: any Recommender) { self.base = base }

    /// The wrapped model's registry name.
    public var name: String { type(of: base).name }

    public mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {
        try base.fit(data, progress: progress)
    }

    /// Trains without progress reports.
    public mutating func fit(_ data: TrainingData) throws(ModelError) {
        try base.fit(data) { _ in .proceed }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        base.scoreAll(user: user, into: scores)
    }

    public func predictRating(user: Int32, item: Int32) -> Float? { base.predictRating(user: user, item: item) }

    public func scoreCandidates(
        user: Int32, history: ArraySlice<Int32>, candidates: ArraySlice<Int32>, itemCount: Int,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        base.scoreCandidates(user: user, history: history, candidates: candidates, itemCount: itemCount, into: scores)
    }

    public var fitSummary: [String: Double] { base.fitSummary }

    /// The wrapped model as `type`, or nil.
    public func unwrap<Model: Recommender>(as type: Model.Type) -> Model? { base as? Model }

    /// The wrapped model when it learns one user vector for several domains (a mixed slate), or nil.
    public var crossDomain: (any CrossDomainScoring)? { base as? any CrossDomainScoring }

    /// The users' vectors when the wrapped model has them (``UserVectorProviding``), or nil.
    public var userVectors: UserVectors? { (base as? any UserVectorProviding)?.userVectors }
}

/// A model whose user representation also scores the data set's other domains: what
/// `crossrec recommend` mixes into one slate.
public protocol CrossDomainScoring: Recommender {
    /// Scores every item of the other domain `name` for `user`.
    /// - Returns: false when the model did not learn that domain.
    func scoreOtherDomain(_ name: String, user: Int32, into scores: UnsafeMutableBufferPointer<Float>) -> Bool
}
