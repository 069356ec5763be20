import Foundation

/// The JSON that `crossrec-bench models` prints.
extension ModelBenchmark {
    /// One figure over seeds: the values in seed order, their mean, sample standard deviation
    /// (n − 1; 0 for one seed), minimum and maximum.
    struct SeedStatistics: Codable {
        var perSeed: [Double]
        var mean: Double
        var standardDeviation: Double
        var min: Double
        var max: Double

        init(_ values: [Double]) {
            perSeed = values
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            self.mean = mean
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = values.count > 1 ? (squares / (n - 1)).squareRoot() : 0
            min = values.min() ?? .nan
            max = values.max() ?? .nan
        }
    }

    struct RatingFold: Codable { var fold: String; var rmse: Double; var mae: Double; var fitSeconds: Double }

    /// One model and seed over u1…u5.
    struct RatingRun: Codable {
        var seed: UInt64
        var folds: [RatingFold]
        var meanRMSE: Double
        var meanMAE: Double
        var meanFitSeconds: Double

        init(seed: UInt64, folds: [RatingFold]) {
            self.seed = seed
            self.folds = folds
            let n = Double(folds.count)
            meanRMSE = folds.map(\.rmse).reduce(0, +) / n
            meanMAE = folds.map(\.mae).reduce(0, +) / n
            meanFitSeconds = folds.map(\.fitSeconds).reduce(0, +) / n
        }
    }

    /// One model over seeds: each seed's mean over u1…u5, and statistics of those means over the
    /// seeds. `meanFitSeconds` averages every (seed, fold) fit.
    struct RatingSummary: Codable {
        var model: String
        var parameters: [String: String]
        var runs: [RatingRun]
        var meanRMSE: SeedStatistics
        var meanMAE: SeedStatistics
        var meanFitSeconds: Double

        init(model: String, parameters: [String: String], runs: [RatingRun]) {
            self.model = model
            self.parameters = parameters
            self.runs = runs
            meanRMSE = SeedStatistics(runs.map(\.meanRMSE))
            meanMAE = SeedStatistics(runs.map(\.meanMAE))
            meanFitSeconds = runs.map(\.meanFitSeconds).reduce(0, +) / Double(max(1, runs.count))
        }
    }

    /// One stage of the search on one fold: every point's validation curve and the one kept.
    struct TunedStage: Codable {
        var stage: String
        var points: [ValidationCurve]
        var chosenIndex: Int
    }

    /// The selection on one fold's validation split.
    struct TunedFold: Codable {
        var fold: String
        var trainRows: Int
        var validationRows: Int
        var stages: [TunedStage]
        /// The configuration refitted on all of the fold's base file (epochs = the best epoch).
        var chosen: [String: String]
        var chosenValidationRMSE: Double
    }

    struct TunedMF: Codable {
        var selection: String
        var search: [String]
        var maxEpochs: Int
        var patience: Int
        var selectionSeed: UInt64
        var folds: [TunedFold]
        /// Test figures of the chosen configuration, retrained on all of u*.base, per seed.
        var test: RatingSummary
        var tuningSeconds: Double
    }

    struct RankingRun: Codable {
        var seed: UInt64
        var ndcgAt10: Double
        var precisionAt10: Double
        var recallAt10: Double
        var fitSeconds: Double
    }

    struct RankingSummary: Codable {
        var model: String
        var note: String?
        var parameters: [String: String]
        var usersEvaluated: Int
        var runs: [RankingRun]
        var ndcgAt10: SeedStatistics
        var precisionAt10: SeedStatistics
        var recallAt10: SeedStatistics
        var fitSeconds: SeedStatistics
    }

    /// A goal of issue #3 checked against this run's figures.
    struct Goal: Codable {
        var goal: String
        var measured: Double
        var target: Double
        var met: Bool
    }

    struct Report: Encodable {
        var benchmark = "models-ml100k"
        var buildConfiguration: String
        var folder: String
        var seeds: [UInt64]
        var rating: [RatingSummary]
        var tunedMF: TunedMF?
        /// The evidence for biased MF's default `order`, on validation splits only.
        var orderValidation: OrderComparison
        var implicitProtocol: String
        var implicitU1: [RankingSummary]
        /// Surprise and implicit in the same run; nil (JSON null) when not measured, with the reason in `notes`.
        var peers: PeerReport?
        var peerNotes: [String]
        /// Ratios of this run's figures; nil when the peer was not measured.
        var ratios: [String: Double?]
        var goals: [Goal]
        /// The issue's peer figures, for reference only: the `peers` block is this run's measurement.
        var peerFiguresFromIssue: [String: Double] = [
            "surprise_svd_mean_rmse": 0.9385, "surprise_svd_fit_seconds": 0.40,
            "surprise_baselineonly_mean_rmse": 0.9449,
            "implicit_als_ndcg10": 0.351, "implicit_als_fit_seconds": 0.24, "popularity_ndcg10": 0.245,
            "itemknn_all_ndcg10": 0.378,
        ]

        enum CodingKeys: String, CodingKey {
            case benchmark, buildConfiguration, folder, seeds, rating, tunedMF, orderValidation, implicitProtocol
            case implicitU1, peers
            case peerNotes, ratios, goals, peerFiguresFromIssue
        }

        /// Writes every key, nil ones as JSON null (the synthesised encoder would drop them).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(benchmark, forKey: .benchmark)
            try container.encode(buildConfiguration, forKey: .buildConfiguration)
            try container.encode(folder, forKey: .folder)
            try container.encode(seeds, forKey: .seeds)
            try container.encode(rating, forKey: .rating)
            try container.encode(tunedMF, forKey: .tunedMF)
            try container.encode(orderValidation, forKey: .orderValidation)
            try container.encode(implicitProtocol, forKey: .implicitProtocol)
            try container.encode(implicitU1, forKey: .implicitU1)
            try container.encode(peers, forKey: .peers)
            try container.encode(peerNotes, forKey: .peerNotes)
            try container.encode(ratios, forKey: .ratios)
            try container.encode(goals, forKey: .goals)
            try container.encode(peerFiguresFromIssue, forKey: .peerFiguresFromIssue)
        }
    }
}
