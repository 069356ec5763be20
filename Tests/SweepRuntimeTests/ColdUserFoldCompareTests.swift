import Foundation
import RecData
import RecEval
import Sweep
@testable import SweepRuntime
import Testing

/// `compare --all-folds`: a comparison pooled over every fold of a cold-users draw.
@Suite("Comparisons pooled over cold-user folds")
struct ColdUserFoldCompareTests {
    static let request = DatasetSpec(
        source: .synthetic(SyntheticDatasetSpec(users: 150, movies: 40, news: 40)), split: .coldUsers(testFraction: 0.25, seed: 3))
    static let unified = TrialConfig(model: "unified", parameters: ["factors": .int(8), "iterations": .int(4)], seed: 1)
    static let popularity = TrialConfig(model: "popularity", parameters: [:], seed: 1)

    /// Pooled units are every fold's users (each user once, all users the news domain knows); the
    /// pooled means are the unit-weighted means of the folds'; fold 0 is exactly the plain
    /// comparison on the draw; the result is the same with the folds run two at a time.
    @Test func poolingCoversEveryUserOnceAndFoldZeroIsThePlainComparison() throws {
        let runner = TrialRunner()
        let metrics = ["ndcg@10", "recall@10"]
        let pooled = try runner.compareColdUserFolds(
            Self.unified, against: [Self.popularity], dataset: Self.request, metrics: metrics, resamples: 200
        ).get()
        #expect(pooled.folds.count == 4, "round(n × 0.25) users per fold: 4 folds")
        #expect(pooled.folds.map(\.fold) == [0, 1, 2, 3])
        let comparison = try #require(pooled.comparisons.first)
        let ndcg = try #require(comparison.comparisons.first { $0.metric == "ndcg@10" })
        let units = pooled.folds.map(\.units)
        #expect(ndcg.count == units.reduce(0, +) && units.allSatisfy { $0 > 0 }, "\(units)")
        // The folds' cold users: disjoint, and together every movie user the news domain knows.
        var cold: [Set<Int32>] = []
        for fold in 0..<4 {
            var request = Self.request
            request.split = .coldUsers(testFraction: 0.25, seed: 3, fold: fold)
            cold.append(Set(try PreparedData.prepare(request).test.users))
        }
        let data = try PreparedData.prepare(Self.request)
        let eligible = Set(data.training.interactions.users).union(data.test.users)
            .intersection(data.training.otherDomains[0].interactions.users)
        #expect(cold.map(\.count).reduce(0, +) == eligible.count && cold.reduce(Set(), { $0.union($1) }) == eligible)
        #expect(ndcg.count <= eligible.count, "units are cold users with a relevant test row")
        let weighted = zip(pooled.folds, units).map { $0.meanA["ndcg@10"]! * Double($1) }.reduce(0, +) / Double(ndcg.count)
        #expect(abs(weighted - ndcg.meanA) < 1e-12)
        #expect(comparison.metricsA.values["ndcg@10"] == ndcg.meanA)
        #expect(comparison.metricsA.values["users_from_other_domains"] != nil, "the fit summary is carried (fold mean)")

        let plain = try runner.compare(Self.unified, Self.popularity, dataset: Self.request, metrics: metrics, resamples: 200).get()
        let plainNDCG = try #require(plain.comparisons.first { $0.metric == "ndcg@10" })
        #expect(plainNDCG.count == units[0] && plainNDCG.meanA == pooled.folds[0].meanA["ndcg@10"])
        #expect(plainNDCG.meanB == pooled.folds[0].meanB[0]["ndcg@10"])

        let twoAtOnce = try TrialRunner().compareColdUserFolds(
            Self.unified, against: [Self.popularity], dataset: Self.request, metrics: metrics, resamples: 200, jobs: 2
        ).get()
        #expect(twoAtOnce.comparisons[0].comparisons == comparison.comparisons)
        #expect(twoAtOnce.folds.map(\.meanA) == pooled.folds.map(\.meanA))
    }

    /// `resumeFolder`: every finished fold is kept; run again, kept folds are read, not trained
    /// (an edited value in one shows up in the pooled mean), a missing one is trained again, and
    /// files from another comparison or not from compare at all are refused with their name.
    @Test func keptFoldsAreReusedAndForeignFilesRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-folds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let metrics = ["ndcg@10"]
        func run(_ a: TrialConfig = Self.unified) -> Result<ColdUserFoldComparison, TrialFailure> {
            TrialRunner().compareColdUserFolds(
                a, against: [Self.popularity], dataset: Self.request, metrics: metrics, resamples: 200, resumeFolder: folder)
        }
        let first = try run().get()
        let files = (0..<4).map { (folder as NSString).appendingPathComponent("fold-\($0).json") }
        #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let plain = try TrialRunner().compareColdUserFolds(
            Self.unified, against: [Self.popularity], dataset: Self.request, metrics: metrics, resamples: 200
        ).get()
        #expect(first.comparisons[0].comparisons == plain.comparisons[0].comparisons)

        // Fold 3 lost (a crash before it was written): trained again, the same result.
        try FileManager.default.removeItem(atPath: files[3])
        #expect(try run().get().comparisons[0].comparisons == first.comparisons[0].comparisons)

        // Fold 2's A values edited on disk: the pooled mean moves by exactly that edit.
        var outcome = try JSONDecoder().decode(FoldOutcome.self, from: Data(contentsOf: URL(fileURLWithPath: files[2])))
        let units = Double(first.comparisons[0].comparisons[0].count)
        outcome.paired[0].values["ndcg@10"]!.a[0] += 1
        try JSONEncoder().encode(outcome).write(to: URL(fileURLWithPath: files[2]))
        let edited = try run().get().comparisons[0].comparisons[0]
        #expect(abs(edited.meanA - (first.comparisons[0].comparisons[0].meanA + 1 / units)) < 1e-12)

        // A kept fold damaged (B's values cut short): refused by name, not a trap in the paired test.
        outcome.paired[0].values["ndcg@10"]!.b.removeLast()
        try JSONEncoder().encode(outcome).write(to: URL(fileURLWithPath: files[2]))
        switch run() {
        case .success: Issue.record("a damaged fold was pooled")
        case .failure(let failure): #expect(failure.message.contains("fold-2.json: damaged"), "\(failure.message)")
        }

        switch run(TrialConfig(model: "unified", parameters: ["factors": .int(4), "iterations": .int(4)], seed: 1)) {
        case .success: Issue.record("folds of another comparison were pooled")
        case .failure(let failure): #expect(failure.message.contains("fold-0.json was written by another comparison"), "\(failure.message)")
        }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: files[0]))
        switch run() {
        case .success: Issue.record("a malformed fold file was pooled")
        case .failure(let failure): #expect(failure.message.contains("fold-0.json: not a fold written by compare --all-folds"), "\(failure.message)")
        }
    }

    @Test func onlyAColdUsersDrawWithoutAFoldCanBePooled() {
        var perUser = Self.request
        perUser.split = .perUser(testFraction: 0.2, seed: 1)
        var oneFold = Self.request
        oneFold.split = .coldUsers(testFraction: 0.25, seed: 3, fold: 2)
        for (request, message) in [(perUser, "needs a cold-users split"), (oneFold, "name the draw without a fold")] {
            switch TrialRunner().compareColdUserFolds(Self.popularity, against: [Self.popularity], dataset: request) {
            case .success: Issue.record("\(request.split!) was pooled")
            case .failure(let failure): #expect(failure.message.contains(message), "\(failure.message)")
            }
        }
    }

    @Test(arguments: [
        ("cold-users:0.2", SplitSpec.coldUsers(testFraction: 0.2, seed: 1)),
        ("cold-users:0.2:7", .coldUsers(testFraction: 0.2, seed: 7)),
        ("cold-users:0.2:7:0", .coldUsers(testFraction: 0.2, seed: 7)),
        ("cold-users:0.2:7:3", .coldUsersFold(testFraction: 0.2, seed: 7, fold: 3)),
    ])
    func commandLineForms(text: String, expected: SplitSpec) throws {
        #expect(try SplitParsing.parse(text) == expected)
    }

    @Test func aFoldHasItsOwnFingerprintAndFoldZeroKeepsTheDraws() {
        #expect(SplitSpec.coldUsers(testFraction: 0.2, seed: 7, fold: 0).canonicalText == "cold-users(test=0.2,seed=7)")
        #expect(SplitSpec.coldUsers(testFraction: 0.2, seed: 7, fold: 2).canonicalText == "cold-users(test=0.2,seed=7,fold=2)")
    }

    @Test(arguments: [
        ("cold-users:0.2:7:x", "split 'cold-users:0.2:7:x': the fold must be a whole number ≥ 0"),
        ("cold-users:0.2:7:1:2", "split 'cold-users:0.2:7:1:2': expected cold-users:0.2, cold-users:0.2:SEED or cold-users:0.2:SEED:FOLD"),
    ])
    func commandLineErrors(text: String, message: String) {
        do {
            _ = try SplitParsing.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }
}
