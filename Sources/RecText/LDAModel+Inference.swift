internal import Foundation

/// The per-document E-step, ``LDAModel/transform(_:)`` and the variational bound behind
/// ``LDAModel/perplexity(_:includesTopicTerm:)``, each written to give the figures scikit-learn's
/// `LatentDirichletAllocation` (1.x, `_lda.py`) gives on the same λ and documents.
extension LDAModel {
    /// Buffers the E-step reuses from one document to the next.
    struct InferenceScratch {
        /// exp(E[log β]) of the document's words, gathered into rows of K (n × K).
        var gathered: [Double] = []
        /// exp(E[log θ_d]) (K).
        var expectedTopicExp: [Double]
        /// The next γ (K).
        var next: [Double]

        init(topicCount: Int) {
            expectedTopicExp = [Double](repeating: 0, count: topicCount)
            next = [Double](repeating: 0, count: topicCount)
        }
    }

    /// The variational E-step for one document (Hoffman, Blei and Bach 2010, Algorithm 2;
    /// scikit-learn's `_update_doc_distribution`), iterating until the mean change of γ over the K
    /// topics is below `tolerance` or `maximumIterations` updates were made:
    ///
    /// - start: E[log θ_dk] = ψ(γ_dk) − ψ(Σ_j γ_dj) for the initial γ (ones, or Gamma(100, 0.01) draws);
    /// - φ-normalizer of word w: z_w = Σ_k exp(E[log θ_dk])·exp(E[log β_kw]) + ε (ε: Double's ulp of 1);
    /// - γ_dk ← α + exp(E[log θ_dk]) · Σ_w (n_dw / z_w)·exp(E[log β_kw]);
    /// - then E[log θ_dk] again from the new γ.
    ///
    /// With `statistics` (word-major V × K), adds exp(E[log θ_dk])·n_dw / z_w at each of the
    /// document's words, recomputing z_w with the final θ: the sufficient statistics before the
    /// M-step multiplies them by exp(E[log β]).
    /// - Complexity: O(iterations · (nnz_d · K + K digammas)); no allocation once `scratch` is large enough.
    static func inferDocument(
        columns: UnsafeBufferPointer<Int32>, counts: UnsafeBufferPointer<Double>,
        expectedTopicWordExp: UnsafePointer<Double>,
        topicCount: Int, documentTopicPrior: Double, maximumIterations: Int, tolerance: Double,
        gamma: UnsafeMutablePointer<Double>, scratch: inout InferenceScratch, statistics: UnsafeMutablePointer<Double>?
    ) {
        let words = columns.count
        let k = topicCount
        if scratch.gathered.count < words * k { scratch.gathered = [Double](repeating: 0, count: words * k) }
        let epsilon = Double.ulpOfOne
        scratch.gathered.withUnsafeMutableBufferPointer { gathered in
            scratch.expectedTopicExp.withUnsafeMutableBufferPointer { expTheta in
                scratch.next.withUnsafeMutableBufferPointer { next in
                    let beta = gathered.baseAddress!
                    for word in 0..<words {
                        let source = expectedTopicWordExp + Int(columns[word]) * k
                        let target = beta + word * k
                        for topic in 0..<k { target[topic] = source[topic] }
                    }
                    var total = 0.0
                    for topic in 0..<k { total += gamma[topic] }
                    var digammaOfTotal = Double.digamma(total)
                    for topic in 0..<k { expTheta[topic] = exp(Double.digamma(gamma[topic]) - digammaOfTotal) }

                    for _ in 0..<maximumIterations {
                        for topic in 0..<k { next[topic] = 0 }
                        for word in 0..<words {
                            let row = beta + word * k
                            var normalizer = 0.0
                            for topic in 0..<k { normalizer += expTheta[topic] * row[topic] }
                            let weight = counts[word] / (normalizer + epsilon)
                            for topic in 0..<k { next[topic] += weight * row[topic] }
                        }
                        total = 0
                        for topic in 0..<k {
                            let value = expTheta[topic] * next[topic] + documentTopicPrior
                            next[topic] = value
                            total += value
                        }
                        digammaOfTotal = Double.digamma(total)
                        var change = 0.0
                        for topic in 0..<k {
                            expTheta[topic] = exp(Double.digamma(next[topic]) - digammaOfTotal)
                            change += abs(next[topic] - gamma[topic])
                            gamma[topic] = next[topic]
                        }
                        if change / Double(k) < tolerance { break }
                    }

                    guard let statistics else { return }
                    for word in 0..<words {
                        let row = beta + word * k
                        var normalizer = 0.0
                        for topic in 0..<k { normalizer += expTheta[topic] * row[topic] }
                        let weight = counts[word] / (normalizer + epsilon)
                        let target = statistics + Int(columns[word]) * k
                        for topic in 0..<k { target[topic] += expTheta[topic] * weight }
                    }
                }
            }
        }
    }

    /// The variational Dirichlet parameters γ (documents × K, row-major) of `documents`, each
    /// inferred from γ = 1 (scikit-learn's `_unnormalized_transform`). O(Σ_d iterations·nnz_d·K).
    public func unnormalizedTransform(_ documents: DocumentTermMatrix) -> [Double] {
        requireVocabulary(of: documents)
        let k = topicCount
        var gamma = [Double](repeating: 1, count: documents.documentCount * k)
        var scratch = InferenceScratch(topicCount: k)
        documents.columns.withUnsafeBufferPointer { columns in
            documents.counts.withUnsafeBufferPointer { counts in
                expectedTopicWordExp.withUnsafeBufferPointer { beta in
                    gamma.withUnsafeMutableBufferPointer { gamma in
                        for document in 0..<documents.documentCount {
                            let range = documents.rowOffsets[document]..<documents.rowOffsets[document + 1]
                            Self.inferDocument(
                                columns: UnsafeBufferPointer(rebasing: columns[range]),
                                counts: UnsafeBufferPointer(rebasing: counts[range]),
                                expectedTopicWordExp: beta.baseAddress!,
                                topicCount: k, documentTopicPrior: documentTopicPrior,
                                maximumIterations: maximumDocumentIterations, tolerance: meanChangeTolerance,
                                gamma: gamma.baseAddress! + document * k, scratch: &scratch, statistics: nil)
                        }
                    }
                }
            }
        }
        return gamma
    }

    /// The topic proportions θ_d = γ_d / Σ_k γ_dk of `documents` (documents × K, row-major; each
    /// row sums to 1): scikit-learn's `transform`. A document with no known word gets the uniform θ.
    public func transform(_ documents: DocumentTermMatrix) -> [Double] {
        Self.normalizedRows(unnormalizedTransform(documents), columns: topicCount)
    }

    /// Held-out perplexity, exactly scikit-learn's `perplexity(X)` (`sub_sampling=False`):
    /// exp(−bound / N), N the number of word tokens in `documents`, bound the variational lower
    /// bound of ``variationalBound(_:gamma:includesTopicTerm:)`` with γ from
    /// ``unnormalizedTransform(_:)``. Lower is better.
    ///
    /// The bound holds the topics' own term E[log p(β | η) − log q(β | λ)], which does not grow
    /// with N: on a small held-out set it dominates (MIND sample, K = 20: about 6·10⁵ against
    /// about 4·10³ without it). `includesTopicTerm: false` leaves it out, giving the per-word bound
    /// of the documents alone, a figure that does not depend on how many documents are scored.
    public func perplexity(_ documents: DocumentTermMatrix, includesTopicTerm: Bool = true) -> Double {
        perplexity(documents, gamma: unnormalizedTransform(documents), includesTopicTerm: includesTopicTerm)
    }

    /// Perplexity with γ already inferred (documents × K): exp(−bound / N).
    public func perplexity(_ documents: DocumentTermMatrix, gamma: [Double], includesTopicTerm: Bool = true) -> Double {
        exp(-variationalBound(documents, gamma: gamma, includesTopicTerm: includesTopicTerm) / documents.totalCount)
    }

    /// The evidence lower bound of scikit-learn's `_approx_bound` (no sub-sampling):
    ///
    ///   Σ_d Σ_w n_dw · log Σ_k exp(E[log θ_dk] + E[log β_kw])
    /// + Σ_d [ Σ_k (α − γ_dk)·E[log θ_dk] + ln Γ(γ_dk) − ln Γ(α) ] + ln Γ(K·α) − ln Γ(Σ_k γ_dk)
    /// + Σ_k [ Σ_w (η − λ_kw)·E[log β_kw] + ln Γ(λ_kw) − ln Γ(η) ] + ln Γ(V·η) − ln Γ(Σ_w λ_kw)
    ///
    /// with E[log θ_dk] = ψ(γ_dk) − ψ(Σ_j γ_dj) and E[log β_kw] = ψ(λ_kw) − ψ(Σ_v λ_kv). The last
    /// line, the topics' term, is left out when `includesTopicTerm` is false.
    /// - Complexity: O(nnz·K) exponentials plus O((D + V)·K) digammas and log-gammas.
    public func variationalBound(_ documents: DocumentTermMatrix, gamma: [Double], includesTopicTerm: Bool = true)
        -> Double
    {
        requireVocabulary(of: documents)
        let k = topicCount
        precondition(gamma.count == documents.documentCount * k, "γ must hold documents × K values")
        // E[log β], word-major.
        var expectedLogBeta = [Double](repeating: 0, count: lambda.count)
        let totals = topicTotals
        let digammaOfTotals = totals.map(Double.digamma)
        for index in lambda.indices {
            expectedLogBeta[index] = Double.digamma(lambda[index]) - digammaOfTotals[index % k]
        }

        var score = 0.0
        var expectedLogTheta = [Double](repeating: 0, count: k)
        var terms = [Double](repeating: 0, count: k)
        let alpha = documentTopicPrior
        let logGammaOfAlpha: Double = lgamma(alpha)
        let logGammaOfKAlpha: Double = lgamma(Double(k) * alpha)
        for document in 0..<documents.documentCount {
            let row = document * k
            var total = 0.0
            for topic in 0..<k { total += gamma[row + topic] }
            let digammaOfTotal = Double.digamma(total)
            for topic in 0..<k {
                let g = gamma[row + topic]
                expectedLogTheta[topic] = Double.digamma(g) - digammaOfTotal
                score += (alpha - g) * expectedLogTheta[topic] + lgamma(g) - logGammaOfAlpha
            }
            score += logGammaOfKAlpha - lgamma(total)
            for entry in documents.rowOffsets[document]..<documents.rowOffsets[document + 1] {
                let base = Int(documents.columns[entry]) * k
                var largest = -Double.infinity
                for topic in 0..<k {
                    terms[topic] = expectedLogTheta[topic] + expectedLogBeta[base + topic]
                    largest = max(largest, terms[topic])
                }
                var sum = 0.0
                for topic in 0..<k { sum += exp(terms[topic] - largest) }
                score += documents.counts[entry] * (largest + log(sum))
            }
        }

        guard includesTopicTerm else { return score }
        let eta = topicWordPrior
        let logGammaOfEta: Double = lgamma(eta)
        for index in lambda.indices {
            score += (eta - lambda[index]) * expectedLogBeta[index] + lgamma(lambda[index]) - logGammaOfEta
        }
        let logGammaOfVEta: Double = lgamma(Double(termCount) * eta)
        for total in totals { score += logGammaOfVEta - lgamma(total) }
        return score
    }

    /// Rows divided by their sums (a zero row stays zero).
    public static func normalizedRows(_ values: [Double], columns: Int) -> [Double] {
        var result = values
        for start in stride(from: 0, to: result.count, by: columns) {
            let total = result[start..<(start + columns)].reduce(0, +)
            guard total > 0 else { continue }
            for index in start..<(start + columns) { result[index] /= total }
        }
        return result
    }

    func requireVocabulary(of documents: DocumentTermMatrix) {
        precondition(
            documents.vocabulary == vocabulary,
            "the documents' vocabulary (\(documents.termCount) terms) is not the model's (\(termCount) terms): count them with DocumentTermMatrix(documents:vocabulary: model.vocabulary)"
        )
    }
}
