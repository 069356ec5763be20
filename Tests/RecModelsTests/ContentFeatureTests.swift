import Testing

@testable import RecData
@testable import RecModels

/// The content model's feature kinds beside TF-IDF: a sentence encoder's vectors (`minilm`,
/// through ``ItemTextEmbedder``), MIND's entity vectors (`entities`), and their combinations.
@Suite("Content model features")
struct ContentFeatureTests {
    /// A stand-in encoder: a text about space points one way, about cooking another, about both
    /// in between; it counts its calls.
    final class TopicEmbedder: ItemTextEmbedder, @unchecked Sendable {
        let name = "topic-embedder"
        let dimension = 3
        private(set) var calls = 0
        private(set) var textsSeen = 0

        func embed(_ texts: [String]) throws -> [Float] {
            calls += 1
            textsSeen += texts.count
            return texts.flatMap { text -> [Float] in
                let lower = text.lowercased()
                let space: Float = ["galax", "rocket", "space", "astro", "telescope"].contains { lower.contains($0) } ? 1 : 0
                let food: Float = ["pasta", "bread", "kitchen", "recipe", "cook"].contains { lower.contains($0) } ? 1 : 0
                if space == 0 && food == 0 { return text.isEmpty ? [0, 0, 0] : [0, 0, 1] }
                let norm = (space * space + food * food).squareRoot()
                return [space / norm, food / norm, 0]
            }
        }
    }

    struct BrokenEmbedder: ItemTextEmbedder {
        let name = "broken"
        let dimension = 4
        func embed(_ texts: [String]) throws -> [Float] { [1, 2, 3] }
    }

    static func data(embedder: (any ItemTextEmbedder)? = nil) -> TrainingData {
        var data = ContentModelTests.data()
        data.textEmbedder = embedder
        return data
    }

    @Test func minilmFeaturesRankByTheEncodersVectors() throws {
        let embedder = TopicEmbedder()
        let model = try trained("content", on: Self.data(embedder: embedder), parameters: ["features": "minilm"])
        #expect(embedder.calls == 1 && embedder.textsSeen == 8, "the catalog is encoded once")
        let space = scores(model, user: 0, itemCount: 8)
        #expect(space[2] > 0.99 && space[3] < 0.01 && space[5] < 0.01, "\(space)")
        #expect(space[6] > 0.5 && space[6] < 0.9, "the mixed item scores in between: \(space)")
        #expect(space[7] == 0, "an item without text has a zero vector")
        let cooking = scores(model, user: 1, itemCount: 8)
        #expect(cooking[5] > cooking[0] && cooking[5] > cooking[2])
        // The impression protocol builds the profile from the history alone.
        var candidateScores = [Float](repeating: 0, count: 2)
        candidateScores.withUnsafeMutableBufferPointer {
            model.scoreCandidates(user: 1, history: [0, 1], candidates: [2, 5], itemCount: 8, into: $0)
        }
        #expect(candidateScores[0] > candidateScores[1], "a space history ranks the space item first: \(candidateScores)")
    }

    @Test func combinedFeaturesAverageTheirCosines() throws {
        let data = Self.data(embedder: TopicEmbedder())
        let tfidf = scores(try trained("content", on: data, parameters: ["min_df": 1]), user: 0, itemCount: 8)
        let minilm = scores(
            try trained("content", on: data, parameters: ["features": "minilm"]), user: 0, itemCount: 8)
        let both = scores(
            try trained("content", on: data, parameters: ["features": "tfidf+minilm", "min_df": 1]), user: 0, itemCount: 8)
        for item in 0..<8 {
            #expect(abs(both[item] - (tfidf[item] + minilm[item]) / 2) < 1e-5, "item \(item): \(both) \(tfidf) \(minilm)")
        }
    }

    @Test func theHybridsValidationFitKeepsTheEncoder() throws {
        let embedder = TopicEmbedder()
        let data = Self.data(embedder: embedder)
        // The stacked hybrid fits its parts on a holdout first, then on everything: both see the encoder.
        _ = try trained(
            "hybrid", on: data, parameters: ["cf": "itemknn", "content.features": "minilm", "combination": "stack", "holdout": 0.5])
        #expect(embedder.calls == 2, "validation fit and final fit each encode the catalog: \(embedder.calls)")
    }

    @Test func vocabularySettingsApplyOnlyToFeaturesBuiltFromWords() throws {
        let specs = Dictionary(uniqueKeysWithValues: ContentModel.parameterSpecs.map { ($0.name, $0) })
        for name in ["min_df", "max_df", "max_terms", "stem"] {
            let condition = try #require(specs[name]?.appliesWhen, "\(name)")
            #expect(condition.values.contains("tfidf") && condition.values.contains("lda"))
            #expect(!condition.values.contains("minilm") && !condition.values.contains("entities+minilm"))
        }
        let sublinear = try #require(specs["sublinear_tf"]?.appliesWhen)
        #expect(sublinear.values.contains("tfidf+minilm") && !sublinear.values.contains("lda"))
    }

    /// 41 items: 20 about space, 20 about cooking (seeded draws from two word lists), one without
    /// text; user 0 read three space items, user 1 three cooking ones.
    static func plantedTopics() -> TrainingData {
        let space = ["rocket", "galaxy", "orbit", "planet", "astronaut", "telescope", "comet", "nebula"]
        let cooking = ["pasta", "bread", "oven", "recipe", "kitchen", "butter", "flour", "sauce"]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var records: [ItemRecord?] = (0..<40).map { item in
            let words = item < 20 ? space : cooking
            return ItemRecord(title: (0..<6).map { _ in words[next(words.count)] }.joined(separator: " "))
        }
        records.append(nil)
        var interactions = Interactions()
        for (user, items) in [(Int32(0), [0, 1, 2]), (1, [20, 21, 22])] {
            for item in items { interactions.append(user: user, item: Int32(item), value: 1, timestamp: 0) }
        }
        return TrainingData(
            interactions: interactions, userCount: 2, itemCount: 41, isExplicit: false,
            catalog: ItemCatalog(records: records))
    }

    @Test func ldaFeaturesRecoverPlantedTopicsAndAreSeeded() throws {
        let data = Self.plantedTopics()
        let parameters: [String: ParameterValueLiteral] = [
            "features": "lda", "lda_topics": 2, "lda_passes": 20, "min_df": 1, "stem": false,
        ]
        let model = try trained("content", on: data, parameters: parameters, seed: 3)
        let space = scores(model, user: 0, itemCount: 41)
        let cooking = scores(model, user: 1, itemCount: 41)
        // Every unread space item outranks every cooking item for the space reader, and the reverse.
        #expect(space[3..<20].min()! > space[20..<40].max()!, "\(space)")
        #expect(cooking[23..<40].min()! > cooking[0..<20].max()!, "\(cooking)")
        #expect(space[40] == 0 && cooking[40] == 0, "an item without text has a zero topic vector")
        let again = scores(try trained("content", on: data, parameters: parameters, seed: 3), user: 0, itemCount: 41)
        #expect(again == space, "the same seed gives the same numbers")
    }

    @Test func ldaWithoutAnyTermNamesMinDF() {
        #expect(throws: ModelError.self) {
            try trained("content", on: Self.plantedTopics(), parameters: ["features": "lda", "min_df": 1000])
        }
    }

    @Test func withoutAnEncoderMinilmSaysHowToGetOne() {
        #expect(throws: ModelError.self) { try trained("content", on: Self.data(), parameters: ["features": "minilm"]) }
        do {
            _ = try trained("content", on: Self.data(), parameters: ["features": "tfidf+minilm"])
        } catch {
            #expect("\(error)".contains("crossrec models fetch all-MiniLM-L6-v2") && "\(error)".contains("--model-dir"))
        }
        do {
            _ = try trained("content", on: Self.data(embedder: BrokenEmbedder()), parameters: ["features": "minilm"])
            Issue.record("an encoder returning the wrong number of values was accepted")
        } catch {
            #expect("\(error)".contains("returned 3 numbers for 8 texts"))
        }
    }

    @Test func entityFeaturesAverageTheEntitiesVectors() throws {
        var embeddings = MINDEmbeddings(dimension: 2)
        for (id, vector) in [("Q1", [Float(1), 0]), ("Q2", [0, 1]), ("Q3", [1, 1])] {
            vector.withUnsafeBufferPointer { _ = embeddings.add(id: id, vector: $0) }
        }
        var catalog = ContentModelTests.catalog
        catalog.records[0]!.entities = ["Q1"]
        catalog.records[1]!.entities = ["Q1", "Q9"]  // Q9 has no vector: ignored
        catalog.records[2]!.entities = ["Q1", "Q3"]
        catalog.records[3]!.entities = ["Q2"]
        catalog.records[5]!.entities = ["Q2"]
        var data = ContentModelTests.data()
        data.catalog = catalog
        data.entityEmbeddings = embeddings
        let model = try trained("content", on: data, parameters: ["features": "entities"])
        let space = scores(model, user: 0, itemCount: 8)
        #expect(space[2] > space[5] && space[5] < 0.01, "\(space)")
        #expect(space[4] == 0 && space[6] == 0, "items without entities score 0: \(space)")
        data.entityEmbeddings = nil
        #expect(throws: ModelError.self) { try trained("content", on: data, parameters: ["features": "entities"]) }
    }

    @Test func theFeaturesParameterAcceptsEveryCombinationInCanonicalOrderOnly() {
        #expect(ItemFeatureKind.combinations.count == 15)
        #expect(ItemFeatureKind.combinations.first == "tfidf" && ItemFeatureKind.combinations.contains("tfidf+minilm+lda+entities"))
        #expect(ItemFeatureKind.parse("minilm+tfidf") == [.tfidf, .minilm])
        #expect(ItemFeatureKind.parse("tfidf+tfidf") == nil && ItemFeatureKind.parse("bert") == nil)
        #expect(throws: ModelError.self) { try trained("content", on: Self.data(), parameters: ["features": "bert"]) }
        #expect(throws: ModelError.self) {
            try trained("content", on: Self.data(), parameters: ["features": "tfidf", "lda_topics": 5])
        }
    }
}
