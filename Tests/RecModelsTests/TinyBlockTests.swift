import RecData
import RecModels
import Testing

/// Two obvious blocks: every model must put a user's missing in-block item above every item of
/// the other block.
@Suite struct TinyBlockTests {
    @Test(arguments: [
        ("als", ["factors": 4] as [String: ParameterValueLiteral]),
        ("als", ["factors": 4, "solver": "cholesky"]),
        ("bpr", ["factors": 4, "epochs": 300]),
        ("itemknn", [:]),
        ("itemknn", ["neighbors": 3, "shrink": 1]),
        ("ease", ["lambda": 10]),
        ("ease", [:]),
    ])
    func implicitModelRanksTheMissingBlockItemFirst(name: String, parameters: [String: ParameterValueLiteral]) throws {
        let data = Fixtures.tinyBlocks(explicit: false)
        let model = try trained(name, on: data, parameters: parameters)
        for user in 0..<8 {
            let s = scores(model, user: user, itemCount: 8)
            let heldOut = s[Fixtures.tinyHeldOut(user)]
            let bestOther = Fixtures.tinyOtherBlock(user).map { s[$0] }.max()!
            #expect(
                heldOut > bestOther,
                "\(name) user \(user): held-out \(heldOut), other block up to \(bestOther), scores \(s)")
        }
    }

    @Test func itemKNNKeepsTheTopNeighbors() throws {
        // Each item shares users with the 3 other items of its block, all equally similar.
        let data = Fixtures.tinyBlocks(explicit: false)
        var all = ItemKNNModel()
        try all.fit(data)
        #expect(all.neighbourCount == 8 * 3)
        var pruned = ItemKNNModel(hyperparameters: .init(neighbors: 2))
        try pruned.fit(data)
        #expect(pruned.neighbourCount == 8 * 2)
        // Ties go to the smaller index: nobody keeps item 3, so user 3 (items 0, 1, 2) scores it 0.
        #expect(scores(pruned, user: 3, itemCount: 8)[3] == 0)
        #expect(scores(pruned, user: 0, itemCount: 8)[0] > 0)
    }

    @Test func biasedMFPredictsTheBlockStructure() throws {
        let data = Fixtures.tinyBlocks(explicit: true)
        var model = BiasedMF(
            hyperparameters: .init(factors: 4, epochs: 300, learningRate: 0.05, regularization: 0.02), seed: 3)
        try model.fit(data)
        for user in 0..<8 {
            let liked = try #require(model.predictRating(user: Int32(user), item: Int32(Fixtures.tinyHeldOut(user))))
            for item in Fixtures.tinyOtherBlock(user) where item % 4 != user % 4 {
                let other = try #require(model.predictRating(user: Int32(user), item: Int32(item)))
                #expect(liked > other + 1, "user \(user): held-out \(liked), other-block item \(item) \(other)")
            }
            #expect(liked >= 4, "user \(user): held-out in-block item predicted \(liked)")
        }
    }

    @Test func popularityCountsRowsAndIgnoresValues() throws {
        let data = Fixtures.data(
            [(0, 2, 5), (1, 2, 1), (2, 2, 3), (0, 0, 4), (1, 0, 4), (2, 3, 2)], users: 4, items: 5, explicit: true)
        var model = PopularityModel()
        try model.fit(data)
        #expect(scores(model, user: 0, itemCount: 5) == [2, 0, 3, 1, 0])
        #expect(scores(model, user: 3, itemCount: 5) == [2, 0, 3, 1, 0], "same scores for everyone, even without rows")
    }

    @Test func baselineMatchesTheClosedFormOnOneEpoch() throws {
        // μ = 3; one epoch: b_i = Σ(r − μ)/(λ_i + n_i), then b_u = Σ(r − μ − b_i)/(λ_u + n_u).
        let data = Fixtures.data(
            [(0, 0, 5), (0, 1, 3), (1, 0, 4), (1, 1, 1), (2, 1, 2)], users: 3, items: 2, explicit: true)
        var model = BaselineModel(hyperparameters: .init(userRegularization: 1, itemRegularization: 2, epochs: 1))
        try model.fit(data)
        #expect(model.globalMean == 3)
        let item0: Float = (2 + 1) / (2 + 2), item1: Float = (0 - 2 - 1) / (2 + 3)
        #expect(model.itemBias == [item0, item1])
        let user0: Float = ((2 - item0) + (0 - item1)) / (1 + 2)
        #expect(abs(model.userBias[0] - user0) < 1e-6)
        let predicted = try #require(model.predictRating(user: 0, item: 0))
        #expect(abs(predicted - min(3 + user0 + item0, 5)) < 1e-6)
        #expect(
            model.predictRating(user: 2, item: 0)! <= 5 && model.predictRating(user: 2, item: 0)! >= 1, "clamped to 1…5"
        )
    }
}
