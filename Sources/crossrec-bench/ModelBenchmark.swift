import Foundation
import ParameterSpecs
import RecData
import RecEval
import RecModels
import Sweep

/// The issue #3 goal figures on MovieLens 100K, crossrec and its peer libraries measured in one run:
/// - rating prediction on the official folds u1…u5 (RMSE, MAE, fit seconds): the baseline predictor,
///   biased MF at Surprise's defaults over every seed, and MF with hyperparameters chosen on a
///   validation split carved from each u*.base (``ModelBenchmark+Tuning``), retrained on all of
///   u*.base and tested on u*.test over every seed;
/// - MF's `order` (shuffled against fixed) at the defaults on those validation splits
///   (``compareOrders(_:)``): the evidence for the default order;
/// - the implicit protocol on u1 (``implicitProtocol``): popularity, ALS, BPR, item-kNN, EASE over
///   every seed (deterministic models give the same figures each time);
/// - Surprise SVD and BaselineOnly and implicit's ALS on the same files over the same seeds, from a
///   Python leg (``measurePeers(usersEvaluated:)``), and the ratios of the two.
/// Fit times are wall-clock seconds of `fit` alone, one fit per (seed, fold), on whatever else the
/// machine is running: the peers' times are taken in the same run for that reason.
struct ModelBenchmark {
    var folder: String
    var seeds: [UInt64]
    var includeTuned: Bool
    var includePeers: Bool

    static let implicitProtocol = """
        fold u1; every u1.base rating is a positive (value ignored); a user's candidates are the items with at \
        least one u1.base rating minus the user's own training items; relevant = the user's u1.test ratings ≥ 4 \
        on candidates; users with at least one relevant item are evaluated; ties go to the smaller item index \
        (movie id); precision/recall/NDCG@10 are means over users
        """

    /// crossrec's implicit models. ALS appears twice: alpha 0 with the uniform start is implicit's
    /// default formulation (implicit uses c = alpha·r, so c = 1 on every positive, and starts at
    /// U[0, 0.01); crossrec uses Hu et al.'s c = 1 + alpha·r); alpha 1 with the normal start is
    /// crossrec's default, the objective of implicit with alpha 2.
    static let implicitModels: [(name: String, note: String?, parameters: [String: ParameterValue])] = [
        ("popularity", nil, [:]),
        (
            "als", "alpha 0, init uniform: c = 1 on positives and U[0, 0.01) start, implicit's default formulation",
            [
                "factors": .int(64), "iterations": .int(15), "reg": .double(0.01), "alpha": .double(0),
                "init": .string("uniform"),
            ]
        ),
        (
            "als", "alpha 1, init normal (crossrec's defaults): c = 2 on positives, implicit's objective with alpha 2",
            ["factors": .int(64), "iterations": .int(15), "reg": .double(0.01), "alpha": .double(1)]
        ),
        ("bpr", "defaults", [:]),
        ("itemknn", "all neighbors", ["neighbors": .int(0)]),
        ("ease", nil, ["lambda": .double(500)]),
    ]

    func run() throws -> Report {
        let dataset = try MovieLensLoader().load(folder: folder)
        let itemCount = dataset.domain("movies")!.items.count
        let userCount = dataset.users.count
        let folds = try (1...5).map { try MovieLensLoader().officialFold("u\($0)", folder: folder, dataset: dataset) }
        let foldData = folds.map {
            TrainingData(interactions: $0.train, userCount: userCount, itemCount: itemCount, isExplicit: true)
        }

        // Rating prediction: the baseline is deterministic (one run); MF at the defaults over every seed.
        var rating: [RatingSummary] = []
        let defaults = [[String: ParameterValue]](repeating: [:], count: folds.count)
        let baseline = try ratingRun("baseline", defaults, seed: 0, folds: folds, data: foldData)
        rating.append(
            RatingSummary(model: "baseline", parameters: ["reg_user": "15", "reg_item": "10"], runs: [baseline]))
        let mfRuns = try seeds.map { try ratingRun("mf", defaults, seed: $0, folds: folds, data: foldData) }
        rating.append(
            RatingSummary(
                model: "mf",
                parameters: Self.surpriseSVDParameters.merging(
                    ["order": BiasedMF.Hyperparameters().order.rawValue]) { $1 },
                runs: mfRuns))
        let splits = try validationSplits(folds: folds, data: foldData)
        let orders = try compareOrders(splits)
        let tuned = includeTuned ? try tunedMF(folds: folds, data: foldData) : nil

        // The implicit protocol on u1.
        // The rule of `crossrec train --implicit any`: every u1.base rating is a positive.
        let implicitTrain = folds[0].train.binarized(atLeast: nil)
        let data = TrainingData(
            interactions: implicitTrain, userCount: userCount, itemCount: itemCount, isExplicit: false)
        let evaluator = try TopKEvaluator(ks: [10], relevanceThreshold: 4, candidatePolicy: .itemsSeenInTraining)
        let split = Split(name: "u1", train: implicitTrain, test: folds[0].test)
        var ranking: [RankingSummary] = []
        for (name, note, parameters) in Self.implicitModels {
            var runs: [RankingRun] = []
            var usersEvaluated = 0
            for seed in seeds {
                var model = try ModelRegistry.make(name, parameters: parameters, seed: seed)
                let start = ContinuousClock.now
                try model.fit(data)
                let seconds = Self.seconds(since: start)
                let trained = model
                let result = evaluator.evaluate(split, userCount: userCount, itemCount: itemCount) { user, scores in
                    trained.scoreAll(user: user, into: scores)
                }
                usersEvaluated = result.counts.usersEvaluated
                runs.append(
                    RankingRun(
                        seed: seed, ndcgAt10: result.value("ndcg@10") ?? .nan,
                        precisionAt10: result.value("precision@10") ?? .nan,
                        recallAt10: result.value("recall@10") ?? .nan,
                        fitSeconds: seconds))
                Self.progress(
                    "\(name)\(parameters["alpha"].map { " alpha \($0)" } ?? "") seed \(seed) u1 implicit: NDCG@10 "
                        + "\(Self.format(runs.last!.ndcgAt10)), fit \(Self.format(seconds, digits: 3)) s")
            }
            ranking.append(
                Self.rankingSummary(
                    name, note: note, parameters: parameters.mapValues(\.description), usersEvaluated: usersEvaluated,
                    runs: runs))
        }

        var (peers, notes) =
            includePeers
            ? measurePeers(usersEvaluated: ranking[0].usersEvaluated) : (nil, ["peers skipped (--no-peers)"])
        if let check = peers?.protocolCheck, abs(check.popularity.ndcgAt10 - ranking[0].ndcgAt10.mean) > 1e-6 {
            notes.append(
                "protocol mismatch: popularity NDCG@10 is \(check.popularity.ndcgAt10) in the Python leg, "
                    + "\(ranking[0].ndcgAt10.mean) in crossrec")
        }
        for note in notes { Self.progress("note: \(note)") }
        let configuration = BenchmarkSupport.buildConfiguration
        var report = Report(
            buildConfiguration: configuration, folder: folder, seeds: seeds, rating: rating, tunedMF: tuned,
            orderValidation: orders, implicitProtocol: Self.implicitProtocol, implicitU1: ranking, peers: peers, peerNotes: notes, ratios: [:],
            goals: [])
        report.ratios = Self.ratios(report)
        report.goals = Self.goals(report)
        return report
    }

    /// One model and seed fitted and tested on every fold, with `parameters[k]` on fold k.
    func ratingRun(
        _ name: String, _ parameters: [[String: ParameterValue]], seed: UInt64, folds: [Split], data: [TrainingData]
    ) throws -> RatingRun {
        var results: [RatingFold] = []
        for (k, (fold, data)) in zip(folds, data).enumerated() {
            var model = try ModelRegistry.make(name, parameters: parameters[k], seed: seed)
            let start = ContinuousClock.now
            try model.fit(data)
            let seconds = Self.seconds(since: start)
            let trained = model
            let evaluation = RatingEvaluator().evaluate(fold) { user, item in
                trained.predictRating(user: user, item: item)
            }
            results.append(RatingFold(fold: fold.name, rmse: evaluation.rmse, mae: evaluation.mae, fitSeconds: seconds))
            Self.progress(
                "\(name) seed \(seed) \(fold.name): RMSE \(Self.format(evaluation.rmse)), fit \(Self.format(seconds, digits: 3)) s"
            )
        }
        return RatingRun(seed: seed, folds: results)
    }

    static func rankingSummary(
        _ model: String, note: String?, parameters: [String: String], usersEvaluated: Int, runs: [RankingRun]
    ) -> RankingSummary {
        RankingSummary(
            model: model, note: note, parameters: parameters, usersEvaluated: usersEvaluated, runs: runs,
            ndcgAt10: SeedStatistics(runs.map(\.ndcgAt10)), precisionAt10: SeedStatistics(runs.map(\.precisionAt10)),
            recallAt10: SeedStatistics(runs.map(\.recallAt10)), fitSeconds: SeedStatistics(runs.map(\.fitSeconds)))
    }

    /// crossrec's figure over the peer's, both from this run (nil when the peer was not measured).
    static func ratios(_ report: Report) -> [String: Double?] {
        let mf = report.rating.first { $0.model == "mf" }!, baseline = report.rating.first { $0.model == "baseline" }!
        let svd = report.peers?.surprise?.svd, baselineOnly = report.peers?.surprise?.baselineOnly
        let als = report.implicitU1.first { $0.model == "als" && $0.parameters["alpha"] == "0.0" }!
        let als1 = report.implicitU1.first { $0.model == "als" && $0.parameters["alpha"] == "1.0" }!
        let implicit = report.peers?.implicit
        return [
            "surpriseSVDFitOverMFFit (speed-up, mean over seeds and folds)": svd.map {
                $0.meanFitSeconds / mf.meanFitSeconds
            },
            "mfMeanRMSEMinusSurpriseSVD (mean over seeds)": svd.map { mf.meanRMSE.mean - $0.meanRMSE.mean },
            "surpriseBaselineOnlyFitOverBaselineFit (speed-up)": baselineOnly.map {
                $0.meanFitSeconds / baseline.meanFitSeconds
            },
            "baselineMeanRMSEMinusSurpriseBaselineOnly": baselineOnly.map { baseline.meanRMSE.mean - $0.meanRMSE.mean },
            "alsAlpha0FitOverImplicitOneThreadFit": implicit.map {
                als.fitSeconds.mean / $0.alsOneThread.fitSeconds.mean
            },
            "alsAlpha0FitOverImplicitDefaultThreadsFit": implicit.map {
                als.fitSeconds.mean / $0.alsDefaultThreads.fitSeconds.mean
            },
            "alsAlpha0NDCG10MinusImplicit (means over seeds)": implicit.map {
                als.ndcgAt10.mean - $0.alsOneThread.ndcgAt10.mean
            },
            "alsAlpha1FitOverImplicitAlpha2OneThreadFit": implicit.map {
                als1.fitSeconds.mean / $0.alsAlpha2OneThread.fitSeconds.mean
            },
            "alsAlpha1NDCG10MinusImplicitAlpha2 (means over seeds)": implicit.map {
                als1.ndcgAt10.mean - $0.alsAlpha2OneThread.ndcgAt10.mean
            },
        ]
    }

    /// The issue's goals, each judged on the mean over seeds.
    static func goals(_ report: Report) -> [Goal] {
        var goals: [Goal] = []
        let mf = report.rating.first { $0.model == "mf" }!
        goals.append(
            Goal(
                goal: "MF at Surprise's defaults: mean RMSE u1..u5 ≤ 0.9385 (the issue's Surprise figure)",
                measured: mf.meanRMSE.mean, target: 0.9385, met: mf.meanRMSE.mean <= 0.9385))
        if let svd = report.peers?.surprise?.svd {
            goals.append(
                Goal(
                    goal: "MF at Surprise's defaults: mean RMSE ≤ Surprise SVD's in this run, same seeds",
                    measured: mf.meanRMSE.mean, target: svd.meanRMSE.mean, met: mf.meanRMSE.mean <= svd.meanRMSE.mean))
            let speedUp = svd.meanFitSeconds / mf.meanFitSeconds
            goals.append(
                Goal(
                    goal: "MF at Surprise's defaults fits ≥ 4× faster than Surprise SVD in this run",
                    measured: speedUp, target: 4, met: speedUp >= 4))
        }
        if let tuned = report.tunedMF {
            goals.append(
                Goal(
                    goal: "MF tuned on validation splits: mean test RMSE u1..u5 ≤ 0.905",
                    measured: tuned.test.meanRMSE.mean,
                    target: 0.905, met: tuned.test.meanRMSE.mean <= 0.905))
        }
        let als = report.implicitU1.first { $0.model == "als" && $0.parameters["alpha"] == "0.0" }!
        goals.append(
            Goal(
                goal: "ALS with implicit's formulation (alpha 0, init uniform) NDCG@10 ≥ 0.351",
                measured: als.ndcgAt10.mean, target: 0.351,
                met: als.ndcgAt10.mean >= 0.351))
        if let implicit = report.peers?.implicit {
            goals.append(
                Goal(
                    goal: "ALS NDCG@10 ≥ implicit's in this run, same seeds", measured: als.ndcgAt10.mean,
                    target: implicit.alsOneThread.ndcgAt10.mean,
                    met: als.ndcgAt10.mean >= implicit.alsOneThread.ndcgAt10.mean))
            for (label, peer) in [("1 thread", implicit.alsOneThread), ("default threads", implicit.alsDefaultThreads)]
            {
                goals.append(
                    Goal(
                        goal: "ALS fit seconds ≤ implicit's (\(label)) in this run", measured: als.fitSeconds.mean,
                        target: peer.fitSeconds.mean, met: als.fitSeconds.mean <= peer.fitSeconds.mean))
            }
        }
        for (model, target) in [("ease", 0.378), ("itemknn", 0.378), ("bpr", 0.30)] {
            let summary = report.implicitU1.first { $0.model == model }!
            goals.append(
                Goal(
                    goal: "\(model) NDCG@10 ≥ \(target)", measured: summary.ndcgAt10.mean, target: target,
                    met: summary.ndcgAt10.mean >= target))
        }
        return goals
    }

    static func progress(_ line: String) { FileHandle.standardError.write(Data("\(line)\n".utf8)) }

    static func format(_ value: Double, digits: Int = 4) -> String { String(format: "%.\(digits)f", value) }

    static func seconds(since start: ContinuousClock.Instant) -> Double { BenchmarkSupport.seconds(since: start) }
}
