import RecData
import RecModels
import Sweep
import Testing

@Suite("Hybrid model")
struct HybridModelTests {
    static let fixture = StructureTests.fixture

    /// The grouped fixture's rows with item text that ignores the groups: every title draws 6 of
    /// all groups' 48 words at random, so content carries no signal.
    static var uninformativeText: TrainingData {
        var data = fixture.implicitData
        var generator = SeededGenerator(seed: 7)
        let words = (0..<GroupedInteractions.groups).flatMap { g in (0..<12).map { "g\(g)word\($0)" } }
        data.catalog = ItemCatalog(
            records: (0..<data.itemCount).map { _ in
                ItemRecord(title: (0..<6).map { _ in words[generator.next(below: words.count)] }.joined(separator: " "))
            })
        return data
    }

    static func hybrid(_ model: AnyRecommender) throws -> HybridModel {
        try #require(model.unwrap(as: HybridModel.self))
    }

    @Test func standardizesOverTheCandidatesOnly() {
        var scores: [Float] = [1, 2, 3, 100]
        ScoreBlend.standardize(&scores, excluded: [false, false, false, true])
        // mean 2, population std √(2/3) over the first three; the excluded item is mapped too.
        let std = (2.0 / 3.0).squareRoot()
        #expect(abs(Double(scores[0]) + 1 / std) < 1e-6 && scores[1] == 0 && abs(Double(scores[2]) - 1 / std) < 1e-6)
        #expect(abs(Double(scores[3]) - 98 / std) < 1e-4, "\(scores)")
        var constant: [Float] = [5, 5, 5, 9]
        ScoreBlend.standardize(&constant, excluded: [false, false, false, true])
        #expect(constant == [0, 0, 0, 0])
        var all: [Float] = [0, 2]
        ScoreBlend.standardize(&all, excluded: nil)
        #expect(all == [-1, 1])
    }

    /// Standardizing is a positive affine map per user, so weight 0 ranks exactly as the CF model
    /// and weight 1 exactly as the content model.
    @Test func weightZeroRanksAsTheCFModelAndWeightOneAsTheContentModel() throws {
        let data = Self.fixture.implicitData
        let cfOnly = try trained("hybrid", on: data, parameters: ["combination": "blend", "content_weight": 0.0])
        let contentOnly = try trained("hybrid", on: data, parameters: ["combination": "blend", "content_weight": 1.0])
        let ease = Self.fixture.evaluate(try trained("ease", on: data), on: data)
        let content = Self.fixture.evaluate(try trained("content", on: data), on: data)
        #expect("\(Self.fixture.evaluate(cfOnly, on: data))" == "\(ease)")
        #expect("\(Self.fixture.evaluate(contentOnly, on: data))" == "\(content)")
        #expect(try Self.hybrid(cfOnly).fitSummary == ["content_weight": 0])
    }

    /// Recorded: test NDCG@10 popularity 0.044, content 0.44; on validation popularity 0.339 (the
    /// held-out training rows include the popular noise items), content 0.274, and the weight
    /// 0.5 learned by the stack 0.414.
    @Test func stackLeansOnContentWhenTheCFPartIsWeak() throws {
        let data = Self.fixture.implicitData
        let model = try trained("hybrid", on: data, parameters: ["cf": "popularity"])
        let summary = try Self.hybrid(model).fitSummary
        let weight = try #require(summary["content_weight"])
        #expect(weight >= 0.5, "\(summary)")
        let popularity = Self.fixture.evaluate(try trained("popularity", on: data), on: data)
        let metrics = Self.fixture.evaluate(model, on: data)
        #expect(metrics.ndcg > popularity.ndcg + 0.2, "hybrid \(metrics); popularity \(popularity)")
    }

    /// With text unrelated to the groups, the stack keeps the weight low and loses little to EASE
    /// alone. Recorded: validation NDCG@10 EASE 0.410, content 0.065, weight 0 chosen.
    @Test func stackLeansOnCFWhenTheTextIsNoise() throws {
        let data = Self.uninformativeText
        let model = try trained("hybrid", on: data)
        let summary = try Self.hybrid(model).fitSummary
        #expect(summary["content_weight"]! <= 0.3, "\(summary)")
        let ease = Self.fixture.evaluate(try trained("ease", on: data), on: data)
        let metrics = Self.fixture.evaluate(model, on: data)
        #expect(metrics.ndcg >= ease.ndcg - 0.03, "hybrid \(metrics); ease \(ease)")
    }

    /// The chosen weight's validation score is the grid's best, so at least both endpoints.
    @Test func theChosenWeightIsTheBestOfTheGridOnValidation() throws {
        for data in [Self.fixture.implicitData, Self.uninformativeText] {
            let summary = try Self.hybrid(try trained("hybrid", on: data, parameters: ["holdout": 0.3])).fitSummary
            let best = try #require(summary["validation_ndcg@10"])
            #expect(best >= summary["validation_ndcg@10_cf"]! && best >= summary["validation_ndcg@10_content"]!)
            #expect(ScoreBlend.weightGrid.contains(summary["content_weight"]!))
            #expect(summary["validation_users"]! >= 1 && summary["validation_users"]! <= Double(data.userCount))
        }
    }

    @Test func componentParametersReachTheComponents() throws {
        let model = try ModelRegistry.make(
            "hybrid", parameters: ["cf": .string("als"), "als.factors": .int(8), "content.min_df": .int(1)])
        let hybrid = try Self.hybrid(model)
        #expect(hybrid.collaborative.unwrap(as: ALSModel.self)?.hyperparameters.factors == 8)
        #expect(hybrid.content.unwrap(as: ContentModel.self)?.hyperparameters.minimumDocumentFrequency == 1)
        #expect(hybrid.hyperparameters.combination == .stack)
    }

    @Test func parameterErrorsNameTheParameterAndTheFix() throws {
        let inactive = try #require(throws: ModelError.self) {
            try ModelRegistry.make("hybrid", parameters: ["als.factors": .int(8)])
        }
        #expect(
            inactive.description
                == "hybrid: 'als.factors' applies only when 'cf' is als, but 'cf' is ease; set 'cf' or drop 'als.factors'")
        let blendOnly = try #require(throws: ModelError.self) {
            try ModelRegistry.make("hybrid", parameters: ["content_weight": .double(0.3)])
        }
        #expect(blendOnly.message.contains("applies only when 'combination' is blend"), "\(blendOnly)")
        let unknown = try #require(throws: ModelError.self) {
            try ModelRegistry.make("hybrid", parameters: ["ease.lamda": .double(3)])
        }
        #expect(unknown.message.hasPrefix("unknown parameter 'ease.lamda'; accepted: "), "\(unknown)")
        let component = try #require(throws: ModelError.self) {
            try ModelRegistry.make("hybrid", parameters: ["cf": .string("mf")])
        }
        #expect(component.message == "'cf' must be one of popularity, als, bpr, itemknn, ease, got 'mf'", "\(component)")
    }

    @Test func impressionCandidatesAtWeightZeroRankAsTheCFModel() throws {
        let data = Self.fixture.implicitData
        let hybrid = try trained("hybrid", on: data, parameters: ["combination": "blend", "content_weight": 0.0])
        let ease = try trained("ease", on: data)
        let history: [Int32] = [0, 1, 2]
        let candidates: [Int32] = [3, 30, 60, 100, 4, 5]
        func ranking(_ model: AnyRecommender) -> [Int32] {
            var scores = [Float](repeating: .nan, count: candidates.count)
            scores.withUnsafeMutableBufferPointer {
                model.scoreCandidates(
                    user: 0, history: history[...], candidates: candidates[...], itemCount: data.itemCount, into: $0)
            }
            return zip(candidates, scores).sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.map(\.0)
        }
        #expect(ranking(hybrid) == ranking(ease))
    }

    @Test func stopFromProgressEndsTheFitEarly() throws {
        var model = try ModelRegistry.make("hybrid", parameters: ["cf": .string("als")])
        var stages: [String] = []
        try model.fit(Self.fixture.implicitData) { epoch in
            stages.append(epoch.values.keys.sorted().first ?? "")
            return .stop
        }
        #expect(stages.count == 1 && stages[0].hasPrefix("validation.als."), "\(stages)")
    }

    @Test func stackWithoutRelevantHeldOutRowsIsAClearError() throws {
        // Two users with one row each: nothing can be held out.
        var interactions = Interactions()
        interactions.append(user: 0, item: 0, value: 1, timestamp: 0)
        interactions.append(user: 1, item: 1, value: 1, timestamp: 0)
        let data = TrainingData(
            interactions: interactions, userCount: 2, itemCount: 2, isExplicit: false,
            catalog: ItemCatalog(records: [ItemRecord(title: "rocket galaxy"), ItemRecord(title: "rocket kitchen")]))
        let error = try #require(throws: ModelError.self) {
            _ = try trained("hybrid", on: data, parameters: ["content.min_df": 1])
        }
        #expect(error.message.contains("use combination=blend or a larger holdout"), "\(error)")
    }
}

@Suite("Hybrid model errors")
struct HybridModelErrorTests {
    /// A part that fails is named, with what to change (EASE refuses λ ≤ 0 only at fit time: the
    /// spec allows 0.001…; here a 1-item data set with a content part that has no terms).
    @Test func aFailingPartIsNamed() throws {
        var interactions = Interactions()
        for user in 0..<4 { interactions.append(user: Int32(user), item: 0, value: 1, timestamp: 0) }
        let data = TrainingData(
            interactions: interactions, userCount: 4, itemCount: 1, isExplicit: false,
            catalog: ItemCatalog(records: [ItemRecord(title: "rocket")]))
        let error = try #require(throws: ModelError.self) {
            _ = try trained("hybrid", on: data, parameters: ["combination": "blend", "content.min_df": 5])
        }
        #expect(error.message.hasPrefix("the content part failed: content: no term occurs"), "\(error)")
    }

    /// EASE refuses a dense matrix above its memory limit (here 1 MB; 600² floats are 1.44 MB).
    @Test func aFailingCFPartSuggestsAnother() throws {
        var interactions = Interactions()
        for user in 0..<4 { interactions.append(user: Int32(user), item: Int32(user), value: 1, timestamp: 0) }
        let catalog = ItemCatalog(records: (0..<600).map { ItemRecord(title: "item \($0)") })
        let data = TrainingData(
            interactions: interactions, userCount: 4, itemCount: 600, isExplicit: false, catalog: catalog)
        let error = try #require(throws: ModelError.self) {
            _ = try trained("hybrid", on: data, parameters: ["combination": "blend", "ease.max_memory_gb": 0.001])
        }
        #expect(error.message.hasPrefix("the cf part (cf=ease) failed: ease: 600 items need"), "\(error)")
        #expect(error.message.hasSuffix("; or choose another cf (popularity, als, bpr, itemknn)"), "\(error)")
    }

    /// Without item text the content part is named before the CF part is fitted (EASE would have
    /// refused first here).
    @Test func missingItemTextFailsBeforeTheCFFit() throws {
        var interactions = Interactions()
        for user in 0..<4 { interactions.append(user: Int32(user), item: Int32(user), value: 1, timestamp: 0) }
        let data = TrainingData(interactions: interactions, userCount: 4, itemCount: 600, isExplicit: false)
        let error = try #require(throws: ModelError.self) {
            _ = try trained("hybrid", on: data, parameters: ["ease.max_memory_gb": 0.001])
        }
        #expect(error.message.hasPrefix("the content part failed: content: this data set has no item text"), "\(error)")
    }
}
