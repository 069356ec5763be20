import RecData
import RecModels
import Testing

@Suite("Content model")
struct ContentModelTests {
    /// Items 0–2 are about space, 3–5 about cooking, 6 about both; texts are in the catalog.
    static let catalog = ItemCatalog(
        categories: ["Science", "Food"],
        records: [
            ItemRecord(title: "Rocket launch to the galaxy", categories: [0]),
            ItemRecord(title: "Galaxies and rockets", categories: [0], abstract: "Astronomers watch a rocket."),
            ItemRecord(title: "Space telescope sees a new galaxy", categories: [0]),
            ItemRecord(title: "Pasta recipe for the kitchen", categories: [1]),
            ItemRecord(title: "Kitchen tricks: baking bread", categories: [1], abstract: "A recipe for bread."),
            ItemRecord(title: "Bread and pasta cooking", categories: [1]),
            ItemRecord(title: "Cooking in space: an astronaut's kitchen", categories: [0, 1]),
            nil,  // an item without text
        ])

    /// User 0 read space items 0 and 1; user 1 cooking items 3 and 4; user 2 nothing; user 3 read
    /// item 0 long ago and item 3 recently (timestamps in seconds).
    static func data(explicit: Bool = false, values: [Float]? = nil) -> TrainingData {
        var interactions = Interactions()
        let rows: [(Int32, Int32, Int64)] = [(0, 0, 0), (0, 1, 0), (1, 3, 0), (1, 4, 0), (3, 0, 0), (3, 3, 30 * 86_400)]
        for (k, row) in rows.enumerated() {
            interactions.append(user: row.0, item: row.1, value: values?[k] ?? 1, timestamp: row.2)
        }
        return TrainingData(interactions: interactions, userCount: 4, itemCount: 8, isExplicit: explicit, catalog: catalog)
    }

    @Test func itemsSharingTheUsersWordsRankFirst() throws {
        let model = try trained("content", on: Self.data(), parameters: ["min_df": 1])
        let space = scores(model, user: 0, itemCount: 8)
        #expect(space[2] > space[3] && space[2] > space[4] && space[2] > space[5], "\(space)")
        #expect(space[6] > space[5], "the mixed item shares 'space'/'rocket' words: \(space)")
        #expect(space[7] == 0, "an item without text scores 0")
        let cooking = scores(model, user: 1, itemCount: 8)
        #expect(cooking[5] > cooking[0] && cooking[5] > cooking[1] && cooking[5] > cooking[2], "\(cooking)")
        #expect(space.allSatisfy(\.isFinite) && cooking.allSatisfy(\.isFinite))
    }

    @Test func aUserWithoutRowsGetsPopularity() throws {
        let data = Self.data()
        let model = try trained("content", on: data, parameters: ["min_df": 1])
        let popularity = try trained("popularity", on: data)
        #expect(scores(model, user: 2, itemCount: 8) == scores(popularity, user: 2, itemCount: 8))
    }

    @Test func aHalfLifeMakesTheRecentInterestWin() throws {
        let data = Self.data()
        let flat = scores(try trained("content", on: data, parameters: ["min_df": 1]), user: 3, itemCount: 8)
        let decayed = scores(
            try trained("content", on: data, parameters: ["min_df": 1, "half_life_days": 7]), user: 3, itemCount: 8)
        // Without decay the space item 2 and the cooking item 5 are both one step from the history;
        // a 7-day half-life makes the 30-day-old space read weigh 0.05 of the recent cooking read.
        #expect(decayed[5] - decayed[2] > flat[5] - flat[2], "flat \(flat), decayed \(decayed)")
        #expect(decayed[5] > decayed[2])
    }

    @Test func centeredWeightingPushesAwayFromDislikedItems() throws {
        // User 0 loved item 0 (5) and disliked item 1 (1): centered, item 1's words count against.
        let data = Self.data(explicit: true, values: [5, 1, 4, 4, 3, 3])
        let uniform = scores(try trained("content", on: data, parameters: ["min_df": 1]), user: 0, itemCount: 8)
        let centered = scores(
            try trained("content", on: data, parameters: ["min_df": 1, "weighting": "centered"]), user: 0, itemCount: 8)
        #expect(uniform[2] > 0)
        #expect(centered[1] < uniform[1], "the disliked item's own words now score lower: \(centered) vs \(uniform)")
    }

    @Test func dataWithoutTextIsAClearError() throws {
        var data = Self.data()
        data.catalog = nil
        let error = try #require(throws: ModelError.self) { _ = try trained("content", on: data) }
        #expect(error.description.hasPrefix("content: this data set has no item text"), "\(error)")
        let strict = try #require(throws: ModelError.self) {
            _ = try trained("content", on: Self.data(), parameters: ["min_df": 50])
        }
        #expect(strict.message.contains("lower min_df"), "\(strict)")
    }

    /// Recorded NDCG@10 / hit rate@10 on the grouped fixture with group vocabularies: content
    /// 0.44 / 0.99, popularity 0.044 / 0.27.
    @Test func beatsPopularityWhenTextFollowsTheGroups() throws {
        let fixture = StructureTests.fixture
        let data = fixture.implicitData
        let popularity = fixture.evaluate(try trained("popularity", on: data), on: data)
        let metrics = fixture.evaluate(try trained("content", on: data), on: data)
        #expect(metrics.hitRate >= 0.85, "\(metrics)")
        #expect(metrics.ndcg > popularity.ndcg + 0.1, "\(metrics); popularity \(popularity)")
        #expect(metrics.recall > popularity.recall + 0.1, "\(metrics); popularity \(popularity)")
    }
}

@Suite("Scoring impression candidates")
struct CandidateScoringTests {
    @Test func theContentModelBuildsTheProfileFromTheGivenHistoryOnly() throws {
        let data = ContentModelTests.data()
        let model = try trained("content", on: data, parameters: ["min_df": 1])
        var scores = [Float](repeating: .nan, count: 2)
        // User 1 trained on cooking, but this impression's history is two space stories.
        scores.withUnsafeMutableBufferPointer {
            model.scoreCandidates(user: 1, history: [0, 1], candidates: [2, 5], itemCount: 8, into: $0)
        }
        #expect(scores[0] > scores[1], "\(scores)")
        // No history: popularity of the candidates (items 0 and 3 have two rows, item 5 none).
        scores.withUnsafeMutableBufferPointer {
            model.scoreCandidates(user: 1, history: [], candidates: [0, 5], itemCount: 8, into: $0)
        }
        #expect(scores == [2, 0])
    }

    /// Popularity, BPR, MF and the baseline score only the candidates (O(candidates) per impression), with exactly
    /// the values of their full scoring: for a trained user, a user without rows (popularity
    /// fallback or biases only) and an index outside the catalog (0).
    @Test(arguments: ["popularity", "bpr", "mf", "baseline"])
    func otherModelsReadTheTrainedUsersScoresAtTheCandidates(name: String) throws {
        let data = explicitModels.contains(name) ? DeterminismTests.fixture.explicitData : DeterminismTests.fixture.implicitData
        let model = try trained(name, on: data, parameters: ["bpr", "mf"].contains(name) ? ["factors": 8, "epochs": 3] : [:])
        let candidates: [Int32] = [3, 0, 7, Int32(data.itemCount - 1), Int32(data.itemCount), -1]
        for user in [0, 5, data.userCount + 3] {
            var all = [Float](repeating: 0, count: data.itemCount)
            all.withUnsafeMutableBufferPointer { model.scoreAll(user: Int32(user), into: $0) }
            var picked = [Float](repeating: .nan, count: candidates.count)
            picked.withUnsafeMutableBufferPointer {
                model.scoreCandidates(
                    user: Int32(user), history: [5, 6], candidates: candidates[...], itemCount: data.itemCount, into: $0)
            }
            let expected = candidates.map { $0 >= 0 && Int($0) < data.itemCount ? all[Int($0)] : 0 }
            #expect(picked.map(\.bitPattern) == expected.map(\.bitPattern), "\(name) user \(user)")
        }
    }
}

@Suite("Item-based models score impressions from the history")
struct ItemBasedCandidateScoringTests {
    /// With the user's own training items as the history, the history-based score of every item
    /// is exactly the trained user's score (same terms, same order); with another history it is
    /// that history's score, whatever the user trained on.
    @Test(arguments: ["itemknn", "ease"])
    func theHistoryPlaysTheRoleOfTheUsersTrainingItems(name: String) throws {
        let data = DeterminismTests.fixture.implicitData
        let model = try trained(name, on: data, parameters: name == "ease" ? ["lambda": 50] : [:])
        let candidates = (0..<Int32(data.itemCount)).map { $0 }
        for user in [0, 5, 17] {
            let own = data.byUser.rowRange(user).map { data.byUser.columns[$0] }
            var fromHistory = [Float](repeating: .nan, count: candidates.count)
            fromHistory.withUnsafeMutableBufferPointer {
                model.scoreCandidates(
                    user: 0, history: own[...], candidates: candidates[...], itemCount: data.itemCount, into: $0)
            }
            let trained = scores(model, user: user, itemCount: data.itemCount)
            #expect(fromHistory.map(\.bitPattern) == trained.map(\.bitPattern), "\(name) user \(user)")
        }
        var empty = [Float](repeating: .nan, count: 3)
        empty.withUnsafeMutableBufferPointer {
            model.scoreCandidates(user: 0, history: [], candidates: [0, 1, 2], itemCount: data.itemCount, into: $0)
        }
        let popularity = scores(try trained("popularity", on: data), user: 0, itemCount: data.itemCount)
        #expect(empty == Array(popularity[0..<3]))
    }
}
