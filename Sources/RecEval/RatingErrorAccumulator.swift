/// Running sums for RMSE and MAE: Σ e², Σ |e| and n over errors e = prediction − rating, in `Double`.
///
/// RMSE = sqrt(Σ e² / n), MAE = Σ |e| / n; both NaN when n = 0.
/// - Complexity: O(1) per added pair, no allocation.
public struct RatingErrorAccumulator: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var sumOfSquares = 0.0
    public private(set) var sumOfAbsolutes = 0.0

    public init() {}

    @inline(__always)
    public mutating func add(predicted: Float, actual: Float) {
        let error = Double(predicted) - Double(actual)
        count += 1
        sumOfSquares += error * error
        sumOfAbsolutes += abs(error)
    }

    /// sqrt(Σ e² / n); NaN when n = 0.
    public var rmse: Double { count == 0 ? .nan : (sumOfSquares / Double(count)).squareRoot() }
    /// Σ |e| / n; NaN when n = 0.
    public var mae: Double { count == 0 ? .nan : sumOfAbsolutes / Double(count) }
}
