import RecData
import Testing

@testable import RecModels

@Suite("ALS fold-in for impressions")
struct ALSFoldInTests {
    /// Folding in a user from their own training items is one more training user step against the
    /// final item factors: the same Cholesky system, so the same vector and the same scores.
    @Test func foldingInAUsersOwnItemsIsATrainingUserStep() throws {
        let data = DeterminismTests.fixture.implicitData
        var model = ALSModel(hyperparameters: .init(factors: 8, iterations: 3, solver: .cholesky), seed: 3)
        try model.fit(data)
        var users = model.userFactors
        let h = model.hyperparameters
        let confidence = data.byUser.values.map { 1 + h.alpha * $0 }
        try ALSModel.solve(&users, fixed: model.itemFactors, gram: model.itemFactors.gram(), data.byUser, confidence, h)
        let candidates = (0..<Int32(data.itemCount)).map { $0 }
        let stride = model.itemFactors.stride
        for user in [0, 7, 30] {
            let history = data.byUser.rowRange(user).map { data.byUser.columns[$0] }
            var folded = [Float](repeating: .nan, count: candidates.count)
            folded.withUnsafeMutableBufferPointer {
                model.scoreCandidates(user: 0, history: history[...], candidates: candidates[...], itemCount: data.itemCount, into: $0)
            }
            let expected = candidates.map { item -> Float in
                (0..<stride).reduce(Float(0)) { $0 + users.values[user * stride + $1] * model.itemFactors.values[Int(item) * stride + $1] }
            }
            let worst = zip(folded, expected).map { abs($0 - $1) }.max()!
            let largest = expected.map(abs).max()!
            #expect(worst <= 1e-5 * max(largest, 1), "user \(user): largest gap \(worst), largest score \(largest)")
        }
        var empty = [Float](repeating: .nan, count: 2)
        empty.withUnsafeMutableBufferPointer {
            model.scoreCandidates(user: 0, history: [], candidates: [0, 1], itemCount: data.itemCount, into: $0)
        }
        let popularity = scores(try trained("popularity", on: data), user: 0, itemCount: data.itemCount)
        #expect(empty == Array(popularity[0..<2]))
    }
}
