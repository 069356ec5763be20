internal import Foundation

/// Latent Dirichlet allocation fitted by online variational Bayes (Hoffman, Blei and Bach 2010,
/// "Online Learning for Latent Dirichlet Allocation", Algorithm 2), with scikit-learn's
/// `LatentDirichletAllocation(learning_method="online")` defaults and schedule so that the two
/// can be compared on the same counts:
///
/// - init: λ_kw ~ Gamma(100, 1/100) (mean 1), or `initialLambda`;
/// - each pass visits the documents in order, in mini-batches B of `batchSize` (the last may be
///   smaller); for each batch, with t = 1, 2, … counting batches over all passes:
///   - E-step: per document, γ_d from Gamma(100, 1/100) draws (ones without
///     `drawsDocumentStarts`), then the updates of
///     ``LDAModel`` `inferDocument` until mean |Δγ_d| < `meanChangeTolerance` or
///     `maximumDocumentIterations` updates;
///   - λ̂_kw = η + (D / |B|) · Σ_{d∈B} n_dw · φ_dwk, where φ_dwk ∝ exp(E[log θ_dk] + E[log β_kw]);
///   - M-step: λ ← (1 − ρ_t)·λ + ρ_t·λ̂ with ρ_t = (τ0 + t)^(−κ), τ0 = `learningOffset`,
///     κ = `learningDecay`;
/// - finally, as scikit-learn's `fit` does, γ of every training document from γ = 1 and the
///   training perplexity (``LDAFit``).
///
/// Priors: α = `documentTopicPrior` and η = `topicWordPrior`, 1/K each when nil (scikit-learn's
/// defaults).
/// - Complexity: per pass O(Σ_d iterations_d · nnz_d · K) for the E-steps plus, per batch,
///   O(distinct words of the batch · K) digammas for the M-step (scikit-learn's is O(V·K) per
///   batch: a word absent from a batch only decays, see `LDATopicWordState`) and O(V·K) additions
///   per pass; memory O(V·K + max nnz_d · K). One thread.
/// - Determinism: bit-identical results for a given seed, documents and settings on one build.
public struct LDATrainer: Sendable, Hashable {
    /// K.
    public var topicCount: Int
    /// Passes over the documents (scikit-learn's `max_iter`).
    public var passes: Int
    public var batchSize: Int
    /// τ0 (`learning_offset`), ≥ 1: slows the early updates.
    public var learningOffset: Double
    /// κ (`learning_decay`), in [0, 1]; Hoffman et al. prove convergence for κ ∈ (0.5, 1].
    public var learningDecay: Double
    /// α; nil: 1/K.
    public var documentTopicPrior: Double?
    /// η; nil: 1/K.
    public var topicWordPrior: Double?
    /// `max_doc_update_iter`.
    public var maximumDocumentIterations: Int
    /// `mean_change_tol`.
    public var meanChangeTolerance: Double
    public var seed: UInt64
    /// λ to start from (word-major, V × K, positive) instead of the Gamma(100, 1/100) draws: to
    /// continue a fit, or to replay another implementation's start. nil: drawn from the seed.
    public var initialLambda: [Double]?
    /// Whether each training document's γ starts from Gamma(100, 1/100) draws (scikit-learn's
    /// `fit`) or from ones (its `transform`). With ones and `initialLambda` a fit draws no random
    /// number, so two implementations can be compared step for step.
    public var drawsDocumentStarts: Bool

    public init(
        topicCount: Int = 10, passes: Int = 10, batchSize: Int = 128, learningOffset: Double = 10,
        learningDecay: Double = 0.7, documentTopicPrior: Double? = nil, topicWordPrior: Double? = nil,
        maximumDocumentIterations: Int = 100, meanChangeTolerance: Double = 1e-3, seed: UInt64 = 0,
        initialLambda: [Double]? = nil, drawsDocumentStarts: Bool = true
    ) {
        self.topicCount = topicCount
        self.passes = passes
        self.batchSize = batchSize
        self.learningOffset = learningOffset
        self.learningDecay = learningDecay
        self.documentTopicPrior = documentTopicPrior
        self.topicWordPrior = topicWordPrior
        self.maximumDocumentIterations = maximumDocumentIterations
        self.meanChangeTolerance = meanChangeTolerance
        self.seed = seed
        self.initialLambda = initialLambda
        self.drawsDocumentStarts = drawsDocumentStarts
    }

    /// α as used: `documentTopicPrior ?? 1/K`.
    public var alpha: Double { documentTopicPrior ?? 1 / Double(topicCount) }
    /// η as used: `topicWordPrior ?? 1/K`.
    public var eta: Double { topicWordPrior ?? 1 / Double(topicCount) }

    /// Throws the first setting out of range (scikit-learn's ranges, priors only positive).
    public func validate() throws(LDAError) {
        guard topicCount >= 1 else { throw LDAError("the number of topics must be at least 1, got \(topicCount)") }
        guard passes >= 1 else { throw LDAError("passes must be at least 1, got \(passes)") }
        guard batchSize >= 1 else { throw LDAError("the batch size must be at least 1, got \(batchSize)") }
        guard learningOffset >= 1 && learningOffset.isFinite else {
            throw LDAError("the learning offset τ0 must be at least 1, got \(learningOffset)")
        }
        guard (0...1).contains(learningDecay) else {
            throw LDAError("the learning decay κ must be in [0, 1], got \(learningDecay)")
        }
        guard alpha > 0 && alpha.isFinite else {
            throw LDAError("the document-topic prior α must be positive, got \(alpha)")
        }
        guard eta > 0 && eta.isFinite else { throw LDAError("the topic-word prior η must be positive, got \(eta)") }
        guard maximumDocumentIterations >= 1 else {
            throw LDAError("the E-step needs at least 1 iteration per document, got \(maximumDocumentIterations)")
        }
        guard meanChangeTolerance >= 0 else {
            throw LDAError("the mean-change tolerance must be ≥ 0, got \(meanChangeTolerance)")
        }
    }

    /// Fits the model on `documents`. `afterPass`, when given, sees each pass's model (1-based
    /// pass number), e.g. to follow held-out perplexity; it costs O(V·K) digammas per pass.
    public func fit(
        _ documents: DocumentTermMatrix, afterPass: ((_ pass: Int, _ model: LDAModel) -> Void)? = nil
    ) throws(LDAError) -> LDAFit {
        try validate()
        guard documents.documentCount > 0 else { throw LDAError("there are no documents to fit") }
        guard documents.termCount > 0 else {
            throw LDAError("the vocabulary is empty: no term passed the vocabulary filters")
        }
        guard documents.nonzeroCount > 0 else { throw LDAError("no document holds a vocabulary term") }
        let k = topicCount
        let termCount = documents.termCount
        let documentCount = documents.documentCount
        let alpha = alpha
        let eta = eta
        var random = LDARandom(seed: seed)

        // λ drawn topic by topic (scikit-learn's K × V order), stored word-major.
        var lambda = [Double](repeating: 0, count: termCount * k)
        if let initialLambda {
            guard initialLambda.count == lambda.count else {
                throw LDAError("initialLambda holds \(initialLambda.count) values; V × K = \(termCount) × \(k)")
            }
            guard initialLambda.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw LDAError("initialLambda must be positive and finite")
            }
            lambda = initialLambda
        } else {
            for topic in 0..<k {
                for word in 0..<termCount { lambda[word * k + topic] = random.nextGamma(shape: 100, scale: 0.01) }
            }
        }
        var state = LDATopicWordState(lambda: lambda, topicCount: k, eta: eta)
        // Per batch: its distinct words (first-seen order), each entry's column within them, their
        // exp(E[log β]) rows and the E-step's statistics.
        var slot = [Int32](repeating: -1, count: termCount)
        var batchWords: [Int32] = []
        var localColumns: [Int32] = []
        var table: [Double] = []
        var statistics: [Double] = []
        var gamma = [Double](repeating: 0, count: k)
        var scratch = LDAModel.InferenceScratch(topicCount: k)
        var update = 1

        func model() -> LDAModel {
            LDAModel(
                vocabulary: documents.vocabulary, topicCount: k, lambda: state.lambda, documentTopicPrior: alpha,
                topicWordPrior: eta, maximumDocumentIterations: maximumDocumentIterations,
                meanChangeTolerance: meanChangeTolerance)
        }

        for pass in 1...passes {
            for batchStart in stride(from: 0, to: documentCount, by: batchSize) {
                let batchEnd = min(documentCount, batchStart + batchSize)
                let entries = documents.rowOffsets[batchStart]..<documents.rowOffsets[batchEnd]
                batchWords.removeAll(keepingCapacity: true)
                localColumns.removeAll(keepingCapacity: true)
                for entry in entries {
                    let word = Int(documents.columns[entry])
                    if slot[word] < 0 {
                        slot[word] = Int32(batchWords.count)
                        batchWords.append(Int32(word))
                    }
                    localColumns.append(slot[word])
                }
                state.expectationExp(of: batchWords, into: &table)
                if statistics.count < batchWords.count * k {
                    statistics = [Double](repeating: 0, count: batchWords.count * k)
                }
                localColumns.withUnsafeBufferPointer { columns in
                    documents.counts.withUnsafeBufferPointer { counts in
                        table.withUnsafeBufferPointer { beta in
                            statistics.withUnsafeMutableBufferPointer { statistics in
                                gamma.withUnsafeMutableBufferPointer { gamma in
                                    for index in 0..<(batchWords.count * k) { statistics[index] = 0 }
                                    for document in batchStart..<batchEnd {
                                        for topic in 0..<k {
                                            gamma[topic] =
                                                drawsDocumentStarts ? random.nextGamma(shape: 100, scale: 0.01) : 1
                                        }
                                        let range = documents.rowOffsets[document]..<documents.rowOffsets[document + 1]
                                        let base = entries.lowerBound
                                        LDAModel.inferDocument(
                                            columns: UnsafeBufferPointer(
                                                rebasing: columns[(range.lowerBound - base)..<(range.upperBound - base)]
                                            ),
                                            counts: UnsafeBufferPointer(rebasing: counts[range]),
                                            expectedTopicWordExp: beta.baseAddress!, topicCount: k,
                                            documentTopicPrior: alpha,
                                            maximumIterations: maximumDocumentIterations,
                                            tolerance: meanChangeTolerance,
                                            gamma: gamma.baseAddress!, scratch: &scratch,
                                            statistics: statistics.baseAddress!)
                                    }
                                    // Σ_d n_dw·φ_dwk: what the E-step summed, times exp(E[log β_kw]).
                                    for index in 0..<(batchWords.count * k) { statistics[index] *= beta[index] }
                                }
                            }
                        }
                    }
                }
                let rho = pow(learningOffset + Double(update), -learningDecay)
                let ratio = Double(documentCount) / Double(batchEnd - batchStart)
                state.update(words: batchWords, statistics: statistics, rho: rho, ratio: ratio)
                for word in batchWords { slot[Int(word)] = -1 }
                update += 1
            }
            state.recomputeTotals()
            if let afterPass { afterPass(pass, model()) }
        }

        let fitted = model()
        let gammas = fitted.unnormalizedTransform(documents)
        return LDAFit(
            model: fitted, documentTopics: LDAModel.normalizedRows(gammas, columns: k),
            trainingPerplexity: fitted.perplexity(documents, gamma: gammas), updates: update - 1)
    }
}
