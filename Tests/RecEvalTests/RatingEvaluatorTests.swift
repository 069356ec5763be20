import RecData
import RecEval
import Testing

@Suite("Rating protocol")
struct RatingEvaluatorTests {
    /// Train: u0 rated i0, i1; u1 rated i0. Test: u0·i2 (cold item), u1·i1, u2·i0 (cold user),
    /// u2·i3 (cold user and item), u1·i0.
    let split = Split(
        name: "tiny",
        train: Interactions(users: [0, 0, 1], items: [0, 1, 0], values: [4, 3, 5], timestamps: [0, 0, 0]),
        test: Interactions(
            users: [0, 1, 2, 2, 1], items: [2, 1, 0, 3, 0], values: [2, 4, 3, 1, 5], timestamps: [0, 0, 0, 0, 0]))

    /// A model with a fallback for u2·i0 and none for u2·i3.
    func predict(_ user: Int32, _ item: Int32) -> Float? {
        switch (user, item) {
        case (0, 2): return 2.5
        case (1, 1): return 3
        case (2, 0): return 3.5
        case (2, 3): return nil
        case (1, 0): return 4.5
        default: return 0
        }
    }

    @Test("cold rows offered to the model: errors 0.5, −1, 0.5, −0.5; one row without prediction")
    func predictColdRows() {
        let result = RatingEvaluator().evaluate(split, predict: predict)
        #expect(close(result.rmse, 0.6614378277661477))
        #expect(close(result.mae, 0.625))
        #expect(result.rows == [0, 1, 2, 4])
        #expect(close(result.errors, [0.5, -1, 0.5, -0.5]))
        var expected = RatingEvaluation.Counts()
        expected.testRows = 5
        expected.predictedRows = 4
        expected.coldUserRows = 2
        expected.coldItemRows = 2
        expected.coldRows = 3
        expected.coldRowsPredicted = 2
        expected.rowsWithoutPrediction = 1
        expected.usersEvaluated = 3
        #expect(result.counts == expected)
    }

    @Test("cold rows skipped: only u1's two rows count; u0 and u2 are skipped users")
    func skipColdRows() {
        let result = RatingEvaluator(coldRows: .skip).evaluate(split, predict: predict)
        #expect(close(result.rmse, 0.7905694150420949))
        #expect(close(result.mae, 0.75))
        #expect(result.counts.coldRowsSkipped == 3)
        #expect(result.counts.predictedRows == 2)
        #expect(result.counts.usersEvaluated == 1)
        #expect(result.counts.usersSkipped == 2)
        #expect(result.report[count: "rows skipped: cold"] == 3)
    }

    @Test("non-finite predictions are skipped and counted; no prediction at all gives NaN")
    func nonFinite() {
        let result = RatingEvaluator().evaluate(split) { user, _ in user == 1 ? .nan : 3 }
        #expect(result.counts.nonFinitePredictions == 2)
        #expect(result.counts.predictedRows == 3)
        let none = RatingEvaluator().evaluate(split) { _, _ in nil }
        #expect(none.rmse.isNaN && none.counts.usersSkipped == 3 && none.counts.usersEvaluated == 0)
    }

    @Test("errors thrown by the model stop the evaluation")
    func throwsThrough() {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            _ = try RatingEvaluator().evaluate(split) { (_, _) throws(Boom) -> Float? in throw Boom() }
        }
    }
}
