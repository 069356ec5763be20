extension Recommender {
    /// Trains without progress reports (every epoch runs).
    public mutating func fit(_ data: TrainingData) throws(ModelError) {
        try fit(data) { _ in .proceed }
    }
}
