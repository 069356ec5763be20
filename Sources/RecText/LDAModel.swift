internal import Foundation

/// A fitted latent Dirichlet allocation topic model (Blei, Ng and Jordan 2003) in its variational
/// form: K topics, each a Dirichlet q(β_k) = Dir(λ_k) over the vocabulary, and the priors
/// θ_d ~ Dir(α) on a document's topic proportions and β_k ~ Dir(η) on a topic's words.
///
/// ``LDATrainer`` fits it by online variational Bayes; ``transform(_:)`` infers the topic
/// proportions of any documents over the same vocabulary, and
/// ``perplexity(_:includesTopicTerm:)`` scores held-out documents exactly as scikit-learn's
/// `LatentDirichletAllocation.perplexity` does (see `LDAModel+Inference.swift`), so the two can
/// be compared figure for figure.
///
/// Storage is word-major: λ_{w,k} = `lambda[w·K + k]`, so one word's K topic weights are
/// contiguous (what the per-document E-step reads). `lambda` corresponds to scikit-learn's
/// `components_` transposed.
/// - Complexity: O(V·K) memory for λ and the cached exp(E[log β]).
public struct LDAModel: Sendable, Hashable {
    /// K.
    public let topicCount: Int
    /// Column → term, as in the documents the model was fitted on.
    public let vocabulary: [String]
    /// α, the symmetric Dirichlet prior of each document's topic proportions.
    public let documentTopicPrior: Double
    /// η, the symmetric Dirichlet prior of each topic's word distribution.
    public let topicWordPrior: Double
    /// The E-step's limit of γ updates per document (scikit-learn's `max_doc_update_iter`).
    public var maximumDocumentIterations: Int
    /// The E-step stops when mean |Δγ_dk| over k falls below this (`mean_change_tol`).
    public var meanChangeTolerance: Double
    /// The variational topic-word parameters λ, word-major (V × K).
    public let lambda: [Double]
    /// exp(E_q[log β_{k,w}]) = exp(ψ(λ_{w,k}) − ψ(Σ_v λ_{v,k})), word-major, cached for the E-step.
    let expectedTopicWordExp: [Double]

    public var termCount: Int { vocabulary.count }

    /// A model from its parameters (a fit, or λ saved elsewhere). Shapes and positivity are
    /// checked as programmer errors. Cost: O(V·K) digammas for the cache.
    public init(
        vocabulary: [String], topicCount: Int, lambda: [Double], documentTopicPrior: Double, topicWordPrior: Double,
        maximumDocumentIterations: Int = 100, meanChangeTolerance: Double = 1e-3
    ) {
        precondition(topicCount >= 1, "topicCount must be at least 1, got \(topicCount)")
        precondition(
            lambda.count == vocabulary.count * topicCount,
            "lambda holds \(lambda.count) values; V × K = \(vocabulary.count) × \(topicCount)")
        precondition(lambda.allSatisfy { $0 > 0 && $0.isFinite }, "every λ must be positive and finite")
        precondition(documentTopicPrior > 0 && topicWordPrior > 0, "the priors α and η must be positive")
        precondition(maximumDocumentIterations >= 0 && meanChangeTolerance >= 0, "E-step limits must be non-negative")
        var cache = [Double](repeating: 0, count: lambda.count)
        Self.expectationExp(lambda: lambda, topicCount: topicCount, into: &cache)
        self.init(
            unchecked: vocabulary, topicCount: topicCount, lambda: lambda, expectedTopicWordExp: cache,
            documentTopicPrior: documentTopicPrior, topicWordPrior: topicWordPrior,
            maximumDocumentIterations: maximumDocumentIterations, meanChangeTolerance: meanChangeTolerance)
    }

    init(
        unchecked vocabulary: [String], topicCount: Int, lambda: [Double], expectedTopicWordExp: [Double],
        documentTopicPrior: Double, topicWordPrior: Double, maximumDocumentIterations: Int, meanChangeTolerance: Double
    ) {
        self.vocabulary = vocabulary
        self.topicCount = topicCount
        self.lambda = lambda
        self.expectedTopicWordExp = expectedTopicWordExp
        self.documentTopicPrior = documentTopicPrior
        self.topicWordPrior = topicWordPrior
        self.maximumDocumentIterations = maximumDocumentIterations
        self.meanChangeTolerance = meanChangeTolerance
    }

    /// The mean topic-word distribution E_q[β_k] = λ_k / Σ_w λ_{w,k} over the vocabulary
    /// (scikit-learn: `components_[k] / components_[k].sum()`). O(V).
    public func topicWordDistribution(_ topic: Int) -> [Double] {
        precondition((0..<topicCount).contains(topic), "topic \(topic) is outside 0..<\(topicCount)")
        var row = [Double](repeating: 0, count: termCount)
        var total = 0.0
        for word in 0..<termCount {
            row[word] = lambda[word * topicCount + topic]
            total += row[word]
        }
        for word in 0..<termCount { row[word] /= total }
        return row
    }

    /// The `count` most probable words of `topic` with their probabilities, most probable first
    /// (ties by column). O(V log V).
    public func topWords(_ topic: Int, count: Int) -> [(term: String, probability: Double)] {
        let distribution = topicWordDistribution(topic)
        return distribution.indices.sorted { (distribution[$1], $0) < (distribution[$0], $1) }.prefix(max(0, count))
            .map { (vocabulary[$0], distribution[$0]) }
    }

    /// Σ_w λ_{w,k} for each k: the total pseudo-count of each topic (its weight in the corpus
    /// plus V·η). O(V·K).
    public var topicTotals: [Double] {
        var totals = [Double](repeating: 0, count: topicCount)
        for word in 0..<termCount {
            for topic in 0..<topicCount { totals[topic] += lambda[word * topicCount + topic] }
        }
        return totals
    }

    /// Fills `result` (word-major, V × K) with exp(ψ(λ_{w,k}) − ψ(Σ_v λ_{v,k})). O(V·K).
    static func expectationExp(lambda: [Double], topicCount: Int, into result: inout [Double]) {
        let words = lambda.count / topicCount
        var digammaOfTotals = [Double](repeating: 0, count: topicCount)
        lambda.withUnsafeBufferPointer { lambda in
            for word in 0..<words {
                let row = word * topicCount
                for topic in 0..<topicCount { digammaOfTotals[topic] += lambda[row + topic] }
            }
            for topic in 0..<topicCount { digammaOfTotals[topic] = Double.digamma(digammaOfTotals[topic]) }
            digammaOfTotals.withUnsafeBufferPointer { totals in
                result.withUnsafeMutableBufferPointer { result in
                    for word in 0..<words {
                        let row = word * topicCount
                        for topic in 0..<topicCount {
                            result[row + topic] = exp(Double.digamma(lambda[row + topic]) - totals[topic])
                        }
                    }
                }
            }
        }
    }
}
