extension BootstrapInterval {
    /// The percentile interval of already sorted bootstrap statistics, exactly as this type takes
    /// its own: with α = 1 − confidence, [q(α/2), q(1 − α/2)], q the linear-interpolation quantile
    /// at position q · (B − 1) (numpy's default `percentile`). For statistics other than a mean
    /// difference (a ratio of resampled sums, several estimators on one set of draws) that must
    /// give the same kind of interval.
    /// - Precondition: `sorted` is non-empty and ascending; `confidence` in (0, 1).
    /// - Complexity: O(1).
    public static func percentiles(sorted: [Double], confidence: Double) -> (lower: Double, upper: Double) {
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1), got \(confidence)")
        let alpha = 1 - confidence
        return (
            SpecialFunctions.quantile(sorted: sorted, alpha / 2), SpecialFunctions.quantile(sorted: sorted, 1 - alpha / 2)
        )
    }
}
