import Foundation
import RecData
import RecModels
import Testing

/// `../shared/data/ml-100k` beside the repository, when present (it is not in CI clones).
enum MovieLens100K {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/RecModelsTests/file -> repo root
        return url.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k").path
    }()

    static var isPresent: Bool { FileManager.default.fileExists(atPath: folder + "/u1.base") }

    /// Fold u1, loaded once for every test.
    static let u1 = Result { try fold("u1") }

    /// Fold `name` as explicit ratings and as the implicit protocol's positives, with its test rows.
    static func fold(_ name: String) throws -> (explicit: TrainingData, implicit: TrainingData, test: Interactions) {
        let loader = MovieLensLoader()
        let dataset = try loader.load(folder: folder)
        let split = try loader.officialFold(name, folder: folder, dataset: dataset)
        let users = dataset.users.count, items = try #require(dataset.domain("movies")).items.count
        var positives = split.train
        for k in 0..<positives.count { positives.values[k] = 1 }
        return (
            TrainingData(interactions: split.train, userCount: users, itemCount: items, isExplicit: true),
            TrainingData(interactions: positives, userCount: users, itemCount: items, isExplicit: false),
            split.test
        )
    }
}

@Suite(.enabled(if: MovieLens100K.isPresent, "../shared/data/ml-100k absent: skipped"))
struct MovieLensTests {
    /// Surprise's SVD defaults: u1 RMSE 0.951 with seed 1 (release build). Debug builds run the
    /// SIMD loops about 250 times slower (30 s here), so they train a short model instead:
    /// 10 factors, 10 epochs, recorded 0.961–0.962 over seeds 1…3.
    @Test func biasedMFOnFoldU1() throws {
        #if DEBUG
            let hyperparameters = BiasedMF.Hyperparameters(factors: 10, epochs: 10), bound = 0.97
        #else
            let hyperparameters = BiasedMF.Hyperparameters(), bound = 0.96
        #endif
        let fold = try MovieLens100K.u1.get()
        var model = BiasedMF(hyperparameters: hyperparameters, seed: 1)
        try model.fit(fold.explicit)
        var squares = 0.0
        for k in 0..<fold.test.count {
            let error = Double(
                model.predictRating(user: fold.test.users[k], item: fold.test.items[k])! - fold.test.values[k])
            squares += error * error
        }
        let rmse = (squares / Double(fold.test.count)).squareRoot()
        #expect(rmse < bound, "u1 RMSE \(rmse) with \(hyperparameters)")
    }

    /// The implicit protocol on u1 (456 users); bounds just under the goals (recorded in release:
    /// ALS 0.354, item-kNN 0.378, EASE 0.448).
    @Test(arguments: [("itemknn", 0.375), ("ease", 0.44)])
    func rankingGoalsOnFoldU1(name: String, minimumNDCG: Double) throws {
        let fold = try MovieLens100K.u1.get()
        let model = try trained(name, on: fold.implicit)
        let metrics = ImplicitProtocol.evaluate(model: model, data: fold.implicit, test: fold.test)
        #expect(metrics.users == 456)
        #expect(metrics.ndcg >= minimumNDCG, "\(name): \(metrics)")
    }
}
