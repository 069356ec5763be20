import Foundation
import RecData
import RecEval
import RecModels
import Sweep

/// The issue #3 goal figures on MovieLens 100K, measured in one run:
/// - rating prediction: biased MF at Surprise's defaults and at tuned hyperparameters, and the
///   baseline predictor, on the official folds u1…u5 (RMSE, MAE, fit seconds per fold, means);
/// - the implicit protocol on u1 (every u1.base rating a positive; candidates = items with a
///   training rating minus the user's own; relevant = u1.test ratings ≥ 4 on candidates; ties
///   to the smaller item index): popularity, ALS, BPR, item-kNN, EASE with NDCG/precision/recall@10.
/// Fit times are wall-clock seconds of `fit` alone, best of `repetitions`.
struct ModelBenchmark {
    var folder: String
    var repetitions: Int
    var seed: UInt64

    struct RatingFold: Codable { var fold: String; var rmse: Double; var mae: Double; var fitSeconds: Double }
    struct RatingModel: Codable {
        var model: String
        var parameters: [String: String]
        var folds: [RatingFold]
        var meanRMSE: Double
        var meanMAE: Double
        var meanFitSeconds: Double
    }
    struct RankingModel: Codable {
        var model: String
        var parameters: [String: String]
        var ndcgAt10: Double
        var precisionAt10: Double
        var recallAt10: Double
        var usersEvaluated: Int
        var fitSeconds: Double
    }
    struct Report: Codable {
        var benchmark = "models-ml100k"
        var buildConfiguration: String
        var seed: UInt64
        var rating: [RatingModel]
        var implicitU1: [RankingModel]
        /// Measured by the issue's author on this machine kind; not re-measured in this run.
        var peerFiguresFromIssue: [String: Double] = [
            "surprise_svd_mean_rmse": 0.9385, "surprise_svd_fit_seconds": 0.40, "surprise_baselineonly_mean_rmse": 0.9449,
            "implicit_als_ndcg10": 0.351, "implicit_als_fit_seconds": 0.24, "popularity_ndcg10": 0.245,
            "itemknn_all_ndcg10": 0.378,
        ]
    }

    static let tunedMF: [String: ParameterValue] = [
        "factors": .int(400), "reg": .double(0.075), "lr": .double(0.003), "epochs": .int(120), "init_std": .double(0.015),
        "reg_bias": .double(0.03), "lr_bias": .double(0.0015),
    ]

    func run(includeTuned: Bool) throws -> Report {
        let dataset = try MovieLensLoader().load(folder: folder)
        let itemCount = dataset.domain("movies")!.items.count
        let userCount = dataset.users.count
        var rating: [RatingModel] = []
        var configurations: [(String, [String: ParameterValue])] = [("baseline", [:]), ("mf", [:])]
        if includeTuned { configurations.append(("mf", Self.tunedMF)) }
        let folds = try MovieLensLoader().officialFolds(folder: folder, dataset: dataset).filter { $0.name.hasPrefix("u") && $0.name != "ua" && $0.name != "ub" }
        for (name, parameters) in configurations {
            var results: [RatingFold] = []
            for fold in folds {
                let data = TrainingData(interactions: fold.train, userCount: userCount, itemCount: itemCount, isExplicit: true)
                var best = Double.infinity
                var model = try ModelRegistry.make(name, parameters: parameters, seed: seed)
                for _ in 0..<repetitions {
                    model = try ModelRegistry.make(name, parameters: parameters, seed: seed)
                    let start = ContinuousClock.now
                    try model.fit(data)
                    best = min(best, Self.seconds(since: start))
                }
                let trained = model
                let evaluation = RatingEvaluator().evaluate(fold) { user, item in trained.predictRating(user: user, item: item) }
                results.append(RatingFold(fold: fold.name, rmse: evaluation.rmse, mae: evaluation.mae, fitSeconds: best))
                FileHandle.standardError.write(Data("\(name) \(fold.name): RMSE \(String(format: "%.4f", evaluation.rmse)), fit \(String(format: "%.3f", best)) s\n".utf8))
            }
            let n = Double(results.count)
            rating.append(
                RatingModel(
                    model: name, parameters: parameters.mapValues(\.description), folds: results,
                    meanRMSE: results.map(\.rmse).reduce(0, +) / n, meanMAE: results.map(\.mae).reduce(0, +) / n,
                    meanFitSeconds: results.map(\.fitSeconds).reduce(0, +) / n))
        }

        // The implicit protocol on u1.
        guard let u1 = folds.first(where: { $0.name == "u1" }) else { throw BenchmarkError("\(folder) has no u1 fold") }
        var implicitTrain = u1.train
        implicitTrain.values = [Float](repeating: 1, count: implicitTrain.count)
        let data = TrainingData(interactions: implicitTrain, userCount: userCount, itemCount: itemCount, isExplicit: false)
        let evaluator = try TopKEvaluator(ks: [10], relevanceThreshold: 4, candidatePolicy: .itemsSeenInTraining)
        let split = Split(name: "u1", train: implicitTrain, test: u1.test)
        var ranking: [RankingModel] = []
        let implicitModels: [(String, [String: ParameterValue])] = [
            ("popularity", [:]),
            ("als", ["factors": .int(64), "iterations": .int(15), "reg": .double(0.01)]),
            ("bpr", [:]),
            ("itemknn", ["neighbors": .int(0)]),
            ("ease", ["lambda": .double(500)]),
        ]
        for (name, parameters) in implicitModels {
            var best = Double.infinity
            var model = try ModelRegistry.make(name, parameters: parameters, seed: seed)
            for _ in 0..<repetitions {
                model = try ModelRegistry.make(name, parameters: parameters, seed: seed)
                let start = ContinuousClock.now
                try model.fit(data)
                best = min(best, Self.seconds(since: start))
            }
            let trained = model
            let result = evaluator.evaluate(split, userCount: userCount, itemCount: itemCount) { user, scores in
                trained.scoreAll(user: user, into: scores)
            }
            ranking.append(
                RankingModel(
                    model: name, parameters: parameters.mapValues(\.description), ndcgAt10: result.value("ndcg@10") ?? .nan,
                    precisionAt10: result.value("precision@10") ?? .nan, recallAt10: result.value("recall@10") ?? .nan,
                    usersEvaluated: result.counts.usersEvaluated, fitSeconds: best))
            FileHandle.standardError.write(Data("\(name) u1 implicit: NDCG@10 \(String(format: "%.4f", result.value("ndcg@10") ?? .nan)), fit \(String(format: "%.3f", best)) s\n".utf8))
        }
        #if DEBUG
            let configuration = "debug (numbers are meaningless: use -c release)"
        #else
            let configuration = "release"
        #endif
        return Report(buildConfiguration: configuration, seed: seed, rating: rating, implicitU1: ranking)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
