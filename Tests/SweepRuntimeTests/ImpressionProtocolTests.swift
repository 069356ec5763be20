import Foundation
import ParameterSpecs
import RecData
import Sweep
import Testing

@testable import SweepRuntime

/// The MIND impression protocol through the same code path as sweeps and `crossrec train`.
@Suite("MIND impressions in trials")
struct ImpressionProtocolTests {
    /// Six space stories (N1–N6) and six cooking stories (N7–N12). In train, space readers U1–U3
    /// click N1 and cooking readers U4–U6 click N7, so N1 and N7 are the popular ones. In dev each
    /// user is shown the other topic's popular story and an unseen story of their own topic, and
    /// clicks their own topic: popularity ranks the wrong one first, a text profile the right one.
    static func writeFixture(to root: URL) throws {
        func tsv(_ fields: String...) -> String { fields.joined(separator: "\t") }
        let space = ["Rocket launch to orbit", "Galaxy seen by telescope", "Astronaut on the space station",
                     "Mars rover finds water", "New rocket engine tested", "Telescope maps a distant galaxy"]
        let cooking = ["Pasta recipe for dinner", "Baking bread at home", "Kitchen tricks for soup",
                       "Chocolate cake recipe", "Cooking rice the right way", "Dinner recipe with pasta and bread"]
        var news: [String] = []
        for (k, title) in space.enumerated() { news.append(tsv("N\(k + 1)", "science", "space", title, title + ".", "", "[]", "[]")) }
        for (k, title) in cooking.enumerated() { news.append(tsv("N\(k + 7)", "food", "recipes", title, title + ".", "", "[]", "[]")) }
        var train: [String] = []
        var dev: [String] = []
        for user in 1...6 {
            let isSpace = user <= 3
            let history = isSpace ? "N2 N3" : "N8 N9"
            train.append(tsv("\(user)", "U\(user)", "11/14/2019 9:00:00 AM", history, isSpace ? "N1-1 N5-0" : "N7-1 N11-0"))
            let own = isSpace ? "N\(3 + user)" : "N\(6 + user)"  // N4–N6 for space readers, N10–N12 for cooks
            dev.append(tsv("\(10 + user)", "U\(user)", "11/15/2019 9:00:00 AM", history, (isSpace ? "N7-0 " : "N1-0 ") + own + "-1"))
        }
        for (folder, lines) in [("train", train), ("dev", dev)] {
            let url = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try (news.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("news.tsv"), atomically: true, encoding: .utf8)
            try (lines.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("behaviors.tsv"), atomically: true, encoding: .utf8)
        }
    }

    @Test func modelsSeeTheTrainingPeriodsImpressionsNeverTheEvaluatedOnes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-impressions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.writeFixture(to: root)
        let mind = try PreparedData.prepare(
            DatasetSpec(source: .path(root.path, layout: .mind), split: .mind(train: "train", evaluate: "dev")))
        let training = try #require(mind.training.trainingImpressions)
        let evaluated = try #require(mind.impressions)
        #expect(training.count == 6 && evaluated.count == 6)
        #expect(Set((0..<6).map { training.impressionID(at: $0) }).isDisjoint(with: (0..<6).map { evaluated.impressionID(at: $0) }))
        #expect(training.times.max()! < evaluated.times.min()!)
        // Splits that are not MIND's have no impressions to learn from.
        let other = try PreparedData.prepare(DatasetSpec(source: .path(root.path, layout: .mind), split: .perUser(testFraction: 0.2, seed: 1)))
        #expect(other.training.trainingImpressions == nil)
    }

    @Test func aMINDSplitAddsImpressionMetricsScoredFromEachImpressionsHistory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-impressions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.writeFixture(to: root)
        let request = DatasetSpec(source: .path(root.path, layout: .mind), split: .mind(train: "train", evaluate: "dev"))
        let runner = TrialRunner()
        func metrics(_ model: String, _ parameters: [String: ParameterValue] = [:]) throws -> [String: Double] {
            let result = runner.run(TrialConfig(model: model, parameters: parameters, seed: 1), dataset: request, cancel: CancellationFlag()) { _ in }
            return try result.get().values
        }
        let popularity = try metrics("popularity")
        let content = try metrics("content", ["min_df": .int(1)])
        for name in ["mind_auc", "mind_mrr", "mind_ndcg@5", "mind_ndcg@10"] {
            #expect(popularity[name] != nil && content[name] != nil, "\(name) missing")
        }
        #expect(popularity["mind_impressions"] == 6 && content["mind_impressions"] == 6)
        // Two candidates per impression, the clicked one ranked second by popularity: AUC 0,
        // MRR 1/2; first by the history profile: AUC 1, MRR 1.
        #expect(popularity["mind_auc"] == 0 && popularity["mind_mrr"] == 0.5, "\(popularity)")
        #expect(content["mind_auc"] == 1 && content["mind_mrr"] == 1, "\(content)")
    }

    @Test func theMINDSplitOnLinkedDataRenumbersTheMINDUsersIntoTheJoinedOnes() throws {
        let synthetic = SyntheticDatasetSpec(users: 60, movies: 20, news: 30)
        let request = DatasetSpec(source: .synthetic(synthetic), split: .mind(train: "train", evaluate: "dev"))
        let data = try PreparedData.prepare(request)
        #expect(data.domainName == "news", "the mind split picks the MIND domain")
        let log = try #require(data.impressions)
        #expect(!log.isEmpty)
        // Every training click is a (user, news) row of the joined data set's news domain.
        var locator = DatasetLocator()
        locator.kind = .linked
        let joined = try locator.open(path: try SyntheticCache.folder(for: synthetic)).dataset
        let news = try #require(joined.domain("news")).interactions
        var rows = Set<[Int32]>()
        for k in 0..<news.count { rows.insert([news.users[k], news.items[k]]) }
        let train = data.training.interactions
        #expect(train.count > 0)
        for k in 0..<train.count { #expect(rows.contains([train.users[k], train.items[k]]), "row \(k) is not a joined news click") }
        #expect(log.users.allSatisfy { $0 >= 0 && Int($0) < joined.users.count })
        let metrics = try TrialRunner().run(
            TrialConfig(model: "content", parameters: [:], seed: 1), dataset: request, cancel: CancellationFlag()
        ) { _ in }.get().values
        let scored = try #require(metrics["mind_impressions"])
        #expect(scored > 0 && scored <= Double(log.count))
        #expect(metrics["mind_auc"] != nil)
    }

    @Test func theMINDSplitNeedsMINDDataAndTheMINDDomain() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-generic-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: root) }
        try "user,item,rating\nu1,i1,5\nu2,i1,3\nu2,i2,4\n".write(to: root, atomically: true, encoding: .utf8)
        func failure(_ request: DatasetSpec) -> String? {
            let result = TrialRunner().run(
                TrialConfig(model: "popularity", parameters: [:], seed: 1), dataset: request, cancel: CancellationFlag()) { _ in }
            if case .failure(let failure) = result { return failure.message }
            return nil
        }
        let generic = failure(DatasetSpec(source: .path(root.path, layout: .generic), split: .mind(train: "train", evaluate: "dev")))
        #expect(generic?.contains("split 'mind' needs MIND data") == true, "\(generic ?? "accepted")")
        let movies = failure(
            DatasetSpec(
                source: .synthetic(SyntheticDatasetSpec(users: 20, movies: 10, news: 10)), split: .mind(train: "train", evaluate: "dev"),
                domain: "movies"))
        #expect(movies?.contains("split 'mind' evaluates the 'news' domain, not 'movies'") == true, "\(movies ?? "accepted")")
    }
}
