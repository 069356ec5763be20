import RecData
import RecModels
import Testing

/// Rating models on ratings generated from a planted rank-3 matrix.
@Suite struct PlantedRatingsTests {
    static let planted = PlantedRatings()

    /// Recorded (seed 1): baseline 0.80, MF 0.16 held-out RMSE; the bounds leave room for rounding changes.
    @Test func biasedMFLearnsThePlantedMatrix() throws {
        let planted = Self.planted
        var baseline = BaselineModel()
        try baseline.fit(planted.data)
        var model = BiasedMF(
            hyperparameters: .init(
                factors: 8, epochs: 60, learningRate: 0.02, regularization: 0.02, initStandardDeviation: 0.1),
            seed: 1)
        try model.fit(planted.data)
        let baselineRMSE = planted.testRMSE(baseline), mfRMSE = planted.testRMSE(model)
        #expect(baselineRMSE > 0.6, "the planted interactions are not explained by biases: \(baselineRMSE)")
        #expect(mfRMSE < 0.3, "MF held-out RMSE \(mfRMSE) (baseline \(baselineRMSE))")
        #expect(mfRMSE < baselineRMSE / 2)
    }

    @Test func predictionsStayInTheTrainingRange() throws {
        let planted = Self.planted
        var model = BiasedMF(hyperparameters: .init(factors: 8, epochs: 5), seed: 1)
        try model.fit(planted.data)
        let range = planted.train.values.min()!...planted.train.values.max()!
        for user in 0..<planted.userCount {
            for item in stride(from: 0, to: planted.itemCount, by: 7) {
                let prediction = try #require(model.predictRating(user: Int32(user), item: Int32(item)))
                #expect(range.contains(prediction))
            }
        }
    }

    @Test func trainingRMSEFallsEpochByEpoch() throws {
        var model = BiasedMF(hyperparameters: .init(factors: 8, epochs: 10, learningRate: 0.01), seed: 1)
        var reported: [Double] = []
        try model.fit(Self.planted.data) { progress in
            reported.append(progress.values["train_rmse"]!)
            return .proceed
        }
        #expect(reported.count == 10)
        #expect(zip(reported, reported.dropFirst()).allSatisfy { $0 > $1 }, "\(reported)")
    }

    @Test func ratingModelsRefuseImplicitData() throws {
        let implicit = Fixtures.tinyBlocks(explicit: false)
        for name in ["mf", "baseline"] {
            var model = try ModelRegistry.make(name)
            let error = try #require(throws: ModelError.self) { try model.fit(implicit) }
            #expect(error.model == name && error.message.contains("explicit"), "\(error)")
        }
    }

    @Test func divergenceIsReportedNotReturned() throws {
        var model = BiasedMF(
            hyperparameters: .init(factors: 8, epochs: 30, learningRate: 1, regularization: 0), seed: 1)
        let error = try #require(throws: ModelError.self) { try model.fit(Self.planted.data) }
        #expect(error.message.contains("diverged"), "\(error)")
    }
}
