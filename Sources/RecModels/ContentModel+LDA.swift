internal import RecText

extension ContentModel {
    /// Topic proportions θ of every item's text from LDA (online variational Bayes, ``LDATrainer``)
    /// fitted on the catalog's texts: the bag of words of the TF-IDF pipeline (same analyzer,
    /// `min_df`, `max_df`, `max_terms`, stemming), `lda_topics` topics, `lda_passes` passes,
    /// seeded by the model's seed. Items without a vocabulary term get a zero row.
    ///
    /// The topics are fitted on item texts only, never on interactions, so nothing of the test
    /// split leaks in. Rows are scaled to unit length, so profiles compare θ by cosine.
    /// - Complexity: the LDA fit, O(passes · Σ_d iterations_d · nnz_d · K).
    static func ldaBlock(texts: [String], hyperparameters h: Hyperparameters, seed: UInt64) throws(ModelError)
        -> DenseBlock
    {
        func fail(_ message: String) -> ModelError { ModelError(model: Self.name, message: message) }
        let documents = TextAnalyzer(stems: h.stems).terms(of: texts)
        let counts = DocumentTermMatrix(
            documents: documents,
            options: .init(
                minimumDocumentFrequency: h.minimumDocumentFrequency, maximumDocumentFraction: h.maximumDocumentFraction,
                maximumTerms: h.maximumTerms > 0 ? h.maximumTerms : nil))
        let described = (0..<counts.documentCount).filter { counts.rowOffsets[$0 + 1] > counts.rowOffsets[$0] }
        guard !described.isEmpty else {
            throw fail(
                "features 'lda': no term occurs in at least min_df = \(h.minimumDocumentFrequency) of the "
                    + "\(texts.count) item texts within max_df = \(h.maximumDocumentFraction); lower min_df or raise max_df")
        }
        let trainer = LDATrainer(topicCount: h.ldaTopics, passes: h.ldaPasses, seed: seed)
        let fit: LDAFit
        do {
            fit = try trainer.fit(counts.rows(described))
        } catch {
            throw fail("features 'lda': \(error)")
        }
        let k = h.ldaTopics
        var rows = [Float](repeating: 0, count: texts.count * k)
        for (position, item) in described.enumerated() {
            for topic in 0..<k { rows[item * k + topic] = Float(fit.documentTopics[position * k + topic]) }
        }
        return DenseBlock(kind: .lda, dimension: k, rows: rows).normalized()
    }
}
