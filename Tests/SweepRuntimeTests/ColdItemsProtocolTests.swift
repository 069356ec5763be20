import Foundation
import RecData
import RecEval
import RecModels
import Sweep
import Testing

@testable import SweepRuntime

/// The cold-items split through the code path of sweeps, `crossrec train` and `crossrec compare`:
/// PreparedData applies it and restricts top-K to the held-out items.
@Suite("Cold-items split in trials")
struct ColdItemsProtocolTests {
    /// Items c0, c1, c2 get indices 0–2 (first seen) and arrive last (first rows at 1000+); w3–w9
    /// (indices 3–9) arrive at 10–70. Users u0–u3 (indices 0–3) each train on warm items and have
    /// their cold-item rows in test: u0 → c0, u1 → c1, u2 → c2, u3 → c2.
    static let ratings = """
        user,item,rating,timestamp
        u0,c0,5,1000
        u1,c1,5,1001
        u2,c2,5,1002
        u3,w3,5,10
        u0,w4,5,20
        u0,w5,5,30
        u1,w6,5,40
        u1,w7,5,50
        u2,w8,5,60
        u3,w9,5,70
        u2,w3,5,15
        u3,c2,5,1003
        u1,w4,5,25

        """

    /// Scores item i with i: the larger index first, whatever the user.
    struct ScoreByIndex: Recommender {
        static let name = "score-by-index"
        var seed: UInt64 = 0
        mutating func fit(_ data: TrainingData, progress: (EpochProgress) -> TrainingDecision) throws(ModelError) {}
        func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
            for i in 0..<scores.count { scores[i] = Float(i) }
        }
    }

    static func prepared() throws -> (PreparedData, cleanup: () -> Void) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-cold-items-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("ratings.csv")
        try ratings.write(to: file, atomically: true, encoding: .utf8)
        let request = DatasetSpec(
            source: .path(file.path, layout: .generic), split: .coldItems(testFraction: 0.3, seed: 1, by: .time))
        return (try PreparedData.prepare(request), { try? FileManager.default.removeItem(at: folder) })
    }

    @Test func preparedDataHoldsOutTheColdItemsAndNamesThemAsTheCandidates() throws {
        let (data, cleanup) = try Self.prepared()
        defer { cleanup() }
        #expect(data.candidateItems == [0, 1, 2], "round(10 × 0.3) = 3 latest items")
        #expect(data.training.interactions.items.allSatisfy { $0 >= 3 }, "no training row of a cold item")
        #expect(data.test.items == [0, 1, 2, 2] && data.test.users == [0, 1, 2, 3])
    }

    /// Ranked among the cold items only, every user sees c2, c1, c0: u0's c0 is third (nDCG
    /// 1/log₂4), u1's c1 second (1/log₂3), u2's and u3's c2 first (1). Among the items seen in
    /// training (the default protocol) no cold item is a candidate and nobody can be evaluated;
    /// among all items the warm ones come first and the cold ones fall out of the top 5.
    @Test func topKRanksOnlyTheColdItems() throws {
        let (data, cleanup) = try Self.prepared()
        defer { cleanup() }
        let model = AnyRecommender(ScoreByIndex())
        let cold = try #require(TrialRunner.evaluations(model, on: data).topK)
        #expect(cold.candidatePolicy == .stated([0, 1, 2]))
        #expect(cold.counts.usersEvaluated == 4 && cold.counts.candidateItems == 3)
        let expectedNDCG: Double = (1 / log2(4.0) + 1 / log2(3.0) + 1 + 1) / 4
        let expectedMRR: Double = (1.0 / 3 + 1.0 / 2 + 1 + 1) / 4
        let ndcg = try #require(cold.value("ndcg@5")), mrr = try #require(cold.value("mrr"))
        #expect(abs(ndcg - expectedNDCG) < 1e-12, "\(ndcg)")
        #expect(abs(mrr - expectedMRR) < 1e-12, "\(mrr)")

        var unrestricted = data
        unrestricted.candidateItems = nil
        let warm = try #require(TrialRunner.evaluations(model, on: unrestricted).topK)
        #expect(warm.counts.usersEvaluated == 0 && warm.counts.relevantOutsideCandidateSet == 4)

        let split = Split(name: "all", train: data.training.interactions, test: data.test)
        let all = try TopKEvaluator(ks: [5], relevanceThreshold: 4, candidatePolicy: .allItems)
            .evaluate(split, userCount: data.userCount, itemCount: data.itemCount) { _, scores in
                model.scoreAll(user: 0, into: scores)
            }
        #expect(all.counts.usersEvaluated == 4 && all.value("ndcg@5") == 0, "every cold item is below 5 warm ones")
    }

    /// Popularity has no training row for any cold item: every score is 0, finite, and the tie is
    /// broken by item index (TopKSelector), so it ranks c0, c1, c2 for everyone.
    @Test func popularityTiesOnColdItemsAndIsRankedByIndex() throws {
        let (data, cleanup) = try Self.prepared()
        defer { cleanup() }
        var model = try ModelRegistry.make("popularity", parameters: [:], seed: 1)
        try model.fit(data.training)
        let evaluation = try #require(TrialRunner.evaluations(model, on: data).topK)
        #expect(evaluation.counts.nanScores == 0 && evaluation.counts.usersEvaluated == 4)
        let expected: Double = (1 + 1 / log2(3.0) + 1 / log2(4.0) + 1 / log2(4.0)) / 4
        let ndcg = try #require(evaluation.value("ndcg@5"))
        #expect(abs(ndcg - expected) < 1e-12, "\(ndcg)")
    }

    @Test(arguments: [
        ("cold-items", SplitSpec.coldItems(testFraction: 0.2, seed: 1, by: .random)),
        ("cold-items:0.3", .coldItems(testFraction: 0.3, seed: 1, by: .random)),
        ("cold-items:0.3:7", .coldItems(testFraction: 0.3, seed: 7, by: .random)),
        ("cold-items-time", .coldItems(testFraction: 0.2, seed: 1, by: .time)),
        ("cold-items-time:0.1", .coldItems(testFraction: 0.1, seed: 1, by: .time)),
    ])
    func commandLineForms(text: String, expected: SplitSpec) throws {
        #expect(try SplitParsing.parse(text) == expected)
    }

    @Test(arguments: [
        ("cold-items:1", "split 'cold-items:1': expected a test fraction in (0, 1), e.g. cold-items:0.2"),
        ("cold-items:0.2:x", "split 'cold-items:0.2:x': seed must be a non-negative integer"),
        ("cold-items:0.2:1:2", "split 'cold-items:0.2:1:2': expected cold-items:0.2 or cold-items:0.2:SEED"),
        ("cold-items-time:0.2:3", "split 'cold-items-time:0.2:3': expected cold-items-time:0.2 (the latest items are held out; no seed)"),
        ("cold-item:0.2", "unknown split 'cold-item:0.2'; use official:u1"),
    ])
    func commandLineErrors(text: String, message: String) {
        #expect(throws: (any Error).self) { try SplitParsing.parse(text) }
        do {
            _ = try SplitParsing.parse(text)
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }
}

/// `candidates: cold` on MIND impressions: only candidates with no training row are scored.
@Suite("Cold impression candidates")
struct ColdImpressionCandidateTests {
    /// Train: U1 clicks N1 and skips N2. Dev: U1 is shown N1 (trained), N3 (clicked) and N4; then
    /// N1 (clicked) and N5; then N2 (clicked: shown in train but never clicked, so no training row)
    /// and N6.
    static func writeFixture(to root: URL) throws {
        func tsv(_ fields: String...) -> String { fields.joined(separator: "\t") }
        let news = (1...6).map { tsv("N\($0)", "news", "world", "Story \($0)", "About \($0).", "", "[]", "[]") }
        let train = [tsv("1", "U1", "11/14/2019 9:00:00 AM", "", "N1-1 N2-0")]
        let dev = [
            tsv("11", "U1", "11/15/2019 9:00:00 AM", "", "N1-0 N3-1 N4-0"),
            tsv("12", "U1", "11/15/2019 9:05:00 AM", "", "N1-1 N5-0"),
            tsv("13", "U1", "11/15/2019 9:10:00 AM", "", "N2-1 N6-0"),
        ]
        for (folder, lines) in [("train", train), ("dev", dev)] {
            let url = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try (news.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("news.tsv"), atomically: true, encoding: .utf8)
            try (lines.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("behaviors.tsv"), atomically: true, encoding: .utf8)
        }
    }

    @Test func onlyCandidatesWithoutATrainingRowAreKept() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-cold-candidates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.writeFixture(to: root)
        func prepared(cold: Bool) throws -> PreparedData {
            try PreparedData.prepare(
                DatasetSpec(
                    source: .path(root.path, layout: .mind), split: .mind(train: "train", evaluate: "dev"),
                    coldCandidatesOnly: cold))
        }
        let all = try #require(try prepared(cold: false).impressions)
        #expect(all.count == 3 && all.candidates.count == 7)
        let data = try prepared(cold: true)
        let log = try #require(data.impressions)
        #expect(data.impressionsDroppedWithoutColdCandidates == 1, "N1-1 N5-0 keeps no click")
        #expect(log.count == 2 && log.candidates.count == 4, "N3, N4; N2, N6")
        let trained = Set(data.training.interactions.items)
        #expect(log.candidates.allSatisfy { !trained.contains($0) })
        #expect(log.impressionID(at: 0) == all.impressionID(at: 0) && log.impressionID(at: 1) == all.impressionID(at: 2))
        // The filter applies to impressions only.
        let error = try #require(throws: (any Error).self) {
            try PreparedData.prepare(
                DatasetSpec(
                    source: .synthetic(SyntheticDatasetSpec(users: 40, movies: 20, news: 20)),
                    split: .perUser(testFraction: 0.2, seed: 1), coldCandidatesOnly: true))
        }
        #expect("\(error)".contains("'candidates: cold' filters MIND impressions"), "\(error)")
    }

    /// `cold-items` with `candidates: cold` on generated MIND news: every impression of both parts
    /// is scored among its held-out candidates only, from a history without held-out articles;
    /// each clicked candidate is a test row of that user. On movies (no impression log) it is an error.
    @Test func coldItemsWithColdCandidatesScoresImpressionsOfHeldOutNews() throws {
        let synthetic = SyntheticDatasetSpec(users: 120, movies: 60, news: 80)
        let data = try PreparedData.prepare(
            DatasetSpec(
                source: .synthetic(synthetic), split: .coldItems(testFraction: 0.3, seed: 2, by: .random), domain: "news",
                coldCandidatesOnly: true))
        let log = try #require(data.impressions)
        #expect(log.count > 20, "\(log.count) impressions kept")
        let trained = Set(data.training.interactions.items)
        let heldOut = Set(data.test.items)
        #expect(!heldOut.isEmpty && heldOut.isDisjoint(with: trained))
        #expect(log.candidates.allSatisfy { heldOut.contains($0) }, "a candidate with a training row was kept")
        #expect(log.history.allSatisfy { !heldOut.contains($0) }, "a held-out article is in a history")
        #expect(log.history.contains { trained.contains($0) }, "histories keep the trained articles")
        var testRows = Set<[Int32]>()
        for k in 0..<data.test.count { testRows.insert([data.test.users[k], data.test.items[k]]) }
        for k in 0..<log.count {
            let labels = Array(log.labels(of: k))
            #expect(labels.contains(1) && labels.contains(0), "impression \(k) has nothing to rank")
            for (item, label) in zip(log.candidates(of: k), labels) where label == 1 {
                #expect(testRows.contains([log.users[k], item]), "a clicked held-out candidate is not a test row")
            }
        }
        // The click loss's training impressions never show a held-out article, as candidate or history.
        let training = try #require(data.training.trainingImpressions)
        #expect(training.count > 20, "\(training.count) training impressions")
        #expect(training.candidates.allSatisfy { !heldOut.contains($0) }, "a held-out article is a training candidate")
        #expect(training.history.allSatisfy { !heldOut.contains($0) }, "a held-out article is in a training history")
        let error = try #require(throws: (any Error).self) {
            try PreparedData.prepare(
                DatasetSpec(
                    source: .synthetic(synthetic), split: .coldItems(testFraction: 0.3, seed: 2, by: .random),
                    domain: "movies", coldCandidatesOnly: true))
        }
        #expect("\(error)".contains("has no impression log"), "\(error)")
    }
}
