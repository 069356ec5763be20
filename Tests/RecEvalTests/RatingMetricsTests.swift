import RecEval
import Testing

@Suite("Rating metrics")
struct RatingMetricsTests {
    @Test("errors 0.5, −0.5, −1: RMSE = sqrt(1.5/3), MAE = 2/3")
    func handComputed() {
        let predicted: [Float] = [3.5, 2, 4], actual: [Float] = [3, 2.5, 5]
        #expect(close(RatingMetrics.rmse(predicted: predicted, actual: actual), 0.7071067811865476))
        #expect(close(RatingMetrics.mae(predicted: predicted, actual: actual), 2.0 / 3))
    }

    @Test("perfect predictions give 0; no rows give NaN")
    func edges() {
        #expect(RatingMetrics.rmse(predicted: [1, 2], actual: [1, 2]) == 0)
        #expect(RatingMetrics.mae(predicted: [], actual: []).isNaN)
        #expect(RatingErrorAccumulator().rmse.isNaN)
    }

    @Test("the accumulator sums in Double")
    func accumulator() {
        var accumulator = RatingErrorAccumulator()
        accumulator.add(predicted: 4, actual: 1)
        accumulator.add(predicted: 1, actual: 1)
        #expect(accumulator.count == 2)
        #expect(accumulator.sumOfSquares == 9)
        #expect(close(accumulator.rmse, 4.5.squareRoot()))
        #expect(accumulator.mae == 1.5)
    }
}
