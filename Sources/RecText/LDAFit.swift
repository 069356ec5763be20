/// What ``LDATrainer/fit(_:afterPass:)`` returns: the model and what scikit-learn's `fit`
/// computes on the training documents at its end.
public struct LDAFit: Sendable {
    public var model: LDAModel
    /// θ of each training document (documents × K, row-major, rows summing to 1), inferred from
    /// γ = 1 with the final λ: `fit_transform`'s result.
    public var documentTopics: [Double]
    /// Perplexity of the training documents under the final model (scikit-learn's `bound_`).
    public var trainingPerplexity: Double
    /// Mini-batch M-steps made (t of the last ρ_t).
    public var updates: Int

    public init(model: LDAModel, documentTopics: [Double], trainingPerplexity: Double, updates: Int) {
        self.model = model
        self.documentTopics = documentTopics
        self.trainingPerplexity = trainingPerplexity
        self.updates = updates
    }
}
