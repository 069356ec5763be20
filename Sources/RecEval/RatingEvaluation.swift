/// The result of ``RatingEvaluator``: RMSE, MAE, the per-row errors and what was skipped.
public struct RatingEvaluation: Sendable, Equatable {
    /// Where each test row went. `testRows = predictedRows + coldRowsSkipped + rowsWithoutPrediction
    /// + nonFinitePredictions`.
    public struct Counts: Sendable, Equatable, Codable {
        public var testRows = 0
        /// Rows in RMSE and MAE.
        public var predictedRows = 0
        /// Rows whose user has no training row.
        public var coldUserRows = 0
        /// Rows whose item has no training row.
        public var coldItemRows = 0
        /// Rows with a cold user or a cold item (or both).
        public var coldRows = 0
        /// Cold rows the model predicted (by its fallback).
        public var coldRowsPredicted = 0
        /// Cold rows left out by ``RatingEvaluator/ColdRowPolicy/skip``.
        public var coldRowsSkipped = 0
        /// Rows the model returned nil for.
        public var rowsWithoutPrediction = 0
        /// Rows the model returned NaN or ±∞ for (skipped).
        public var nonFinitePredictions = 0
        /// Users with at least one predicted row.
        public var usersEvaluated = 0
        /// Users with test rows but no predicted row.
        public var usersSkipped = 0

        public init() {}
    }

    public var splitName: String
    public var coldRowPolicy: RatingEvaluator.ColdRowPolicy
    /// sqrt(Σ e² / n) over predicted rows; NaN when none.
    public var rmse: Double
    /// Σ |e| / n over predicted rows; NaN when none.
    public var mae: Double
    /// Test-row indices that were predicted, ascending.
    public var rows: [Int]
    /// e = prediction − rating for each of `rows` (pair two models' `errors` row by row).
    public var errors: [Double]
    public var counts: Counts

    public init(
        splitName: String, coldRowPolicy: RatingEvaluator.ColdRowPolicy, rmse: Double, mae: Double, rows: [Int],
        errors: [Double], counts: Counts
    ) {
        self.splitName = splitName
        self.coldRowPolicy = coldRowPolicy
        self.rmse = rmse
        self.mae = mae
        self.rows = rows
        self.errors = errors
        self.counts = counts
    }

    public var report: MetricReport {
        var report = MetricReport(title: "ratings on \(splitName)")
        report.add("rmse", rmse)
        report.add("mae", mae)
        report.count("test rows", counts.testRows)
        report.count("rows predicted", counts.predictedRows)
        report.count("cold rows (user or item not in training)", counts.coldRows)
        report.count("cold rows: user not in training", counts.coldUserRows)
        report.count("cold rows: item not in training", counts.coldItemRows)
        report.count("cold rows predicted by fallback", counts.coldRowsPredicted)
        report.count("rows skipped: cold", counts.coldRowsSkipped)
        report.count("rows skipped: no prediction", counts.rowsWithoutPrediction)
        report.count("rows skipped: non-finite prediction", counts.nonFinitePredictions)
        report.count("users evaluated", counts.usersEvaluated)
        report.count("users skipped: no predicted row", counts.usersSkipped)
        report.notes = ["cold rows: \(coldRowPolicy.rawValue)"]
        return report
    }
}
