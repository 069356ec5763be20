import RecData
import RecModels
import Testing

/// Epoch models report training figures after each epoch and stop when told to.
@Suite struct TrainingProgressTests {
    static let fixture = GroupedInteractions(usersPerGroup: 10, blockSize: 10, noiseItems: 4, picked: 6, heldOut: 2)

    static let cases: [(name: String, parameters: [String: ParameterValueLiteral], key: String)] = [
        ("mf", ["factors": 8, "epochs": 6], "train_rmse"),
        ("baseline", ["epochs": 6], "train_rmse"),
        ("als", ["factors": 8, "iterations": 6], "loss"),
        ("bpr", ["factors": 8, "epochs": 6], "loss"),
    ]

    @Test(arguments: 0..<4)
    func stopEndsTrainingAfterThatEpoch(index: Int) throws {
        let (name, parameters, key) = Self.cases[index]
        let data = explicitModels.contains(name) ? Self.fixture.explicitData : Self.fixture.implicitData
        var model = try ModelRegistry.make(name, parameters: parameters.mapValues(\.value), seed: 5)
        var seen: [EpochProgress] = []
        try model.fit(data) { progress in
            seen.append(progress)
            return progress.epoch == 2 ? .stop : .proceed
        }
        #expect(seen.map(\.epoch) == [1, 2])
        #expect(seen.allSatisfy { $0.totalEpochs == 6 && $0.values[key]?.isFinite == true }, "\(seen)")
        let userScores = scores(model, user: 0, itemCount: data.itemCount)
        #expect(!userScores.contains { !$0.isFinite })
        let completed: Int? =
            switch name {
            case "mf": model.unwrap(as: BiasedMF.self)?.epochsCompleted
            case "baseline": model.unwrap(as: BaselineModel.self)?.epochsCompleted
            case "als": model.unwrap(as: ALSModel.self)?.iterationsCompleted
            default: model.unwrap(as: BPRModel.self)?.epochsCompleted
            }
        #expect(completed == 2)
    }

    @Test(arguments: 0..<4)
    func trainingLossFalls(index: Int) throws {
        let (name, parameters, key) = Self.cases[index]
        let data = explicitModels.contains(name) ? Self.fixture.explicitData : Self.fixture.implicitData
        var model = try ModelRegistry.make(name, parameters: parameters.mapValues(\.value), seed: 5)
        var losses: [Double] = []
        try model.fit(data) { progress in
            losses.append(progress.values[key]!)
            return .proceed
        }
        #expect(losses.count == 6)
        #expect(losses.last! < losses.first!, "\(name) \(key): \(losses)")
    }

    @Test func stoppingAtEpochTwoEqualsTrainingTwoEpochs() throws {
        let data = Self.fixture.explicitData
        var stopped = BiasedMF(hyperparameters: .init(factors: 8, epochs: 6), seed: 9)
        try stopped.fit(data) { $0.epoch == 2 ? .stop : .proceed }
        var short = BiasedMF(hyperparameters: .init(factors: 8, epochs: 2), seed: 9)
        try short.fit(data)
        #expect(
            scores(stopped, user: 3, itemCount: data.itemCount).map(\.bitPattern)
                == scores(short, user: 3, itemCount: data.itemCount).map(\.bitPattern))
    }
}
