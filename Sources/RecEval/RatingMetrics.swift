/// Rating-prediction error metrics over paired predictions `p_i` and true ratings `r_i`, i = 1…n.
///
/// Sums are accumulated in `Double` (see ``RatingErrorAccumulator``). Both metrics are NaN when
/// n = 0 (no rating to average).
/// - Complexity: O(n) time, no allocation.
public enum RatingMetrics {
    /// RMSE = sqrt( (1/n) Σ (p_i − r_i)² ).
    public static func rmse(predicted: [Float], actual: [Float]) -> Double {
        accumulate(predicted, actual).rmse
    }

    /// MAE = (1/n) Σ |p_i − r_i|.
    public static func mae(predicted: [Float], actual: [Float]) -> Double {
        accumulate(predicted, actual).mae
    }

    static func accumulate(_ predicted: [Float], _ actual: [Float]) -> RatingErrorAccumulator {
        precondition(
            predicted.count == actual.count,
            "rating metrics: \(predicted.count) predictions for \(actual.count) ratings")
        var accumulator = RatingErrorAccumulator()
        for index in predicted.indices { accumulator.add(predicted: predicted[index], actual: actual[index]) }
        return accumulator
    }
}
