import Foundation
import RecData
import RecNN
import Testing

@testable import RecModels

@Suite("Two-tower like head")
struct TwoTowerLikeHeadTests {
    /// The head's hand-written gradients (M, w, c, and the user and item vectors they flow into)
    /// against central differences of its loss, at a random point with every part nonzero.
    @Test func theLikeHeadGradientsMatchFiniteDifferences() {
        var rng = NNRandom(seed: 5)
        let (b, d) = (5, 4)
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in rng.normal(std: 0.6) } }
        var head = LikeHead(dimension: d)
        head.matrix.value = random(d * d)
        head.user.value = random(d)
        head.bias.value = [0.3]
        let users = Matrix(rows: b, columns: d, values: random(b * d))
        let items = Matrix(rows: b, columns: d, values: random(b * d))
        let rows = [0, 2, 3, 4]  // row 1 is not a rated row of the evaluated domain
        let liked = [true, false, true, false]
        let weight: Float = 1.5

        func loss(_ head: LikeHead, _ users: Matrix, _ items: Matrix) -> Float {
            var copy = head
            var gu = Matrix(zeros: b, columns: d)
            var gv = Matrix(zeros: b, columns: d)
            return copy.loss(
                rows: rows, users: users, items: items, liked: liked, weight: weight, userGradient: &gu, itemGradient: &gv)
        }
        var analytic = head
        var userGradient = Matrix(zeros: b, columns: d)
        var itemGradient = Matrix(zeros: b, columns: d)
        let value = analytic.loss(
            rows: rows, users: users, items: items, liked: liked, weight: weight, userGradient: &userGradient,
            itemGradient: &itemGradient)
        #expect(value > 0 && value.isFinite)
        let h: Float = 1e-2
        func check(_ name: String, _ analytic: Float, _ plus: Float, _ minus: Float) {
            let numeric = (plus - minus) / (2 * h)
            #expect(abs(analytic - numeric) < 2e-3 + 0.02 * abs(numeric), "\(name): analytic \(analytic), numeric \(numeric)")
        }
        for k in [0, 5, 10, 15] {
            var up = head
            up.matrix.value[k] += h
            var down = head
            down.matrix.value[k] -= h
            check("M[\(k)]", analytic.matrix.gradient[k], loss(up, users, items), loss(down, users, items))
        }
        for k in 0..<d {
            var up = head
            up.user.value[k] += h
            var down = head
            down.user.value[k] -= h
            check("w[\(k)]", analytic.user.gradient[k], loss(up, users, items), loss(down, users, items))
        }
        var up = head
        up.bias.value[0] += h
        var down = head
        down.bias.value[0] -= h
        check("c", analytic.bias.gradient[0], loss(up, users, items), loss(down, users, items))
        for entry in [0, 3, 6, 9, 14, 19] {
            var upUsers = users
            upUsers.values[entry] += h
            var downUsers = users
            downUsers.values[entry] -= h
            check("u[\(entry)]", userGradient.values[entry], loss(head, upUsers, items), loss(head, downUsers, items))
            var upItems = items
            upItems.values[entry] += h
            var downItems = items
            downItems.values[entry] -= h
            check("v[\(entry)]", itemGradient.values[entry], loss(head, users, upItems), loss(head, users, downItems))
        }
        // Row 1 is not in `rows`: no gradient reaches it.
        #expect(userGradient.values[d..<(2 * d)].allSatisfy { $0 == 0 })
        #expect(itemGradient.values[d..<(2 * d)].allSatisfy { $0 == 0 })
    }

    @Test func logSigmoidIsStableAndCorrect() {
        for x: Float in [-30, -2, 0, 0.5, 3, 40] {
            let expected = Float(-log1p(exp(-Double(x))))
            #expect(abs(LikeHead.logSigmoid(x) - expected) < 1e-5, "log σ(\(x))")
        }
        #expect(LikeHead.logSigmoid(-200).isFinite)
    }

    static func fitted(_ extra: [String: ParameterValueLiteral] = [:], seed: UInt64 = 1) throws -> TwoTowerModel {
        var parameters = TwoTowerModelTests.small([
            "text": "tfidf", "weighting": "centered", "like_weight": 1, "rating_weight": 0,
        ])
        for (name, value) in extra { parameters[name] = value }
        let values = try ModelParameters(
            model: TwoTowerModel.name, specs: TwoTowerModel.parameterSpecs, values: parameters.mapValues(\.value))
        var model = TwoTowerModel(parameters: values, seed: seed)
        try model.fit(TwoTowerModelTests.wordData(explicitDislikes: true)) { _ in .proceed }
        return model
    }

    /// The evaluated domain's score is u · v + τ log σ(uᵀ M v + w · u + c) from the fitted vectors and
    /// head, and the head learned to tell the liked rows (5 stars) from the disliked ones (1 star).
    @Test func theLikeHeadJoinsTheScoreAndLearnsWhatIsLiked() throws {
        let model = try Self.fitted()
        let head = try #require(model.network?.like)
        let d = model.network!.dimension
        let data = TwoTowerModelTests.wordData(explicitDislikes: true)
        var liked: [Float] = []
        var disliked: [Float] = []
        var largestTerm: Float = 0
        for user in 0..<80 {
            let query = head.query(model.userVectors[(user * d)..<((user + 1) * d)])
            let actual = scores(model, user: user, itemCount: 44)
            for item in 0..<44 {
                var dot: Float = 0
                for j in 0..<d { dot += model.userVectors[user * d + j] * model.itemVectors[item * d + j] }
                let logit = LikeHead.logit(query, model.itemVectors, start: item * d)
                let term = model.hyperparameters.temperature * LikeHead.logSigmoid(logit)
                largestTerm = max(largestTerm, abs(term))
                #expect(abs(actual[item] - (dot + term)) < 1e-5, "user \(user) item \(item)")
            }
        }
        for k in 0..<data.interactions.count {
            let user = Int(data.interactions.users[k])
            let query = head.query(model.userVectors[(user * d)..<((user + 1) * d)])
            let p = 1 / (1 + expf(-LikeHead.logit(query, model.itemVectors, start: Int(data.interactions.items[k]) * d)))
            if data.interactions.values[k] >= 4 { liked.append(p) } else { disliked.append(p) }
        }
        let meanLiked = liked.reduce(0, +) / Float(liked.count)
        let meanDisliked = disliked.reduce(0, +) / Float(disliked.count)
        #expect(meanLiked > meanDisliked + 0.3, "P(like) liked rows \(meanLiked), disliked rows \(meanDisliked)")
        #expect(largestTerm > 0.01, "the like term never moved a score (largest \(largestTerm))")
        // Cold items 40..<44 are still placed by their words: the user's own group first.
        var right = 0
        for user in 0..<80 {
            let cold = Array(scores(model, user: user, itemCount: 44)[40..<44])
            if cold.firstIndex(of: cold.max()!)! == user % 4 { right += 1 }
        }
        #expect(right >= 70, "own group's cold item first for \(right) of 80")
    }

    @Test func theSameSeedGivesTheSameNumbersWithALikeHead() throws {
        let first = try Self.fitted(seed: 9)
        let second = try Self.fitted(seed: 9)
        #expect(scores(first, user: 3, itemCount: 44) == scores(second, user: 3, itemCount: 44))
        #expect(first.network!.like!.matrix.value == second.network!.like!.matrix.value)
    }

    @Test func aLikeHeadNeedsExplicitRatings() {
        #expect {
            try trained(
                "twotower", on: TwoTowerModelTests.wordData(explicitDislikes: false),
                parameters: TwoTowerModelTests.small(["like_weight": 1]))
        } throws: { error in
            "\(error)".contains("like_weight") && "\(error)".contains("explicit")
        }
    }
}
