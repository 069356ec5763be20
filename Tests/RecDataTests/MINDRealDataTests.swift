import Foundation
import Testing

@testable import RecData

/// The MIND sample in the shared data folder (`../shared/data/mind-sample` beside the checkout).
/// CI clones elsewhere, where it is absent: these tests then show as skipped.
enum MINDSharedData {
    static let folder: String = {
        // Tests/RecDataTests/<file> -> repository root -> ../shared/data/mind-sample
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/data/mind-sample").standardizedFileURL
            .path
    }()
    static var isPresent: Bool { FileManager.default.fileExists(atPath: folder + "/train/behaviors.tsv") }
}

// Expected numbers measured with shell tools on the files (wc -l, cut | sort -u, comm, awk):
// train: 5,097 behaviors lines, 4,716 users, 2,099 news rows, 193,090 candidates, 7,675 clicks,
// 163,532 history entries, 22,816 distinct referenced news ids of which 898 have a row (3.94 %);
// dev: 101 lines, 101 users, 101 news rows (79 also in train), 2,772 referenced, 9 in dev/news.tsv,
// 103 with train's pooled in; train + dev: 4,814 users, 24,442 news ids, 7,818 clicks and
// 142,650 distinct (user, news) history pairs that are not impression clicks of that user.
@Suite(
    "MIND sample from shared/data",
    .enabled(if: MINDSharedData.isPresent, "../shared/data/mind-sample absent: skipped"))
struct MINDRealDataTests {
    @Test("train folder alone: counts and coverage")
    func trainFolder() throws {
        let mind = try MINDLoader.load(folder: MINDSharedData.folder + "/train")
        #expect(mind.splits == ["train"])
        let log = try #require(mind.logs["train"])
        #expect(log.count == 5097)
        #expect(mind.dataset.report.rowsRead["behaviors.tsv"] == 5097)
        #expect(mind.dataset.users.count == 4716)
        #expect(Set(log.users).count == 4716)
        #expect(mind.dataset.report.rowsRead["news.tsv"] == 2099)
        #expect(mind.news.catalog.describedCount == 2099)
        #expect(mind.news.catalog.categories.count == 15)
        #expect(log.candidates.count == 193_090)
        #expect(log.clickCount == 7675)
        #expect(log.labels.filter { $0 == 0 }.count == 185_415)
        #expect(log.totalHistoryLength == 163_532)
        #expect((0..<log.count).filter { log.historyRange(of: $0).isEmpty }.count == 109)
        #expect(mind.duplicateImpressionIDs["train"] == 0)
        #expect(mind.dataset.report.duplicatesRemoved.isEmpty)

        let coverage = try #require(mind.coverage["train"])
        #expect(coverage.referenced == 22_816)
        #expect(coverage.described == 898)
        #expect(coverage.missing == 22_816 - 898)
        #expect(coverage.missingFromOwnNews == coverage.missing)
        #expect(abs(coverage.describedFraction - 0.0394) < 0.0001)
        // relation_embedding.vec sits one level up, outside this folder.
        #expect(!mind.dataset.report.notes.contains { $0.contains("embedding") })
    }

    @Test("release folder: train and dev share indices; embeddings noted, then read")
    func releaseFolder() throws {
        let mind = try MINDLoader.load(folder: MINDSharedData.folder)
        #expect(mind.splits == ["train", "dev"])
        #expect(mind.dataset.users.count == 4814)
        #expect(mind.news.items.count == 24_442)
        #expect(mind.logs["dev"]?.count == 101)
        #expect(mind.impressionClickCount == 7818)
        #expect(mind.news.interactions.count == 7818 + 142_650)
        #expect(mind.news.catalog.describedCount == 2121)
        #expect(mind.dataset.report.skipped["dev/news.tsv"]?.values.reduce(0, +) == 79)
        #expect(
            mind.coverage["dev"]
                == MINDDataset.Coverage(referenced: 2772, missing: 2772 - 103, missingFromOwnNews: 2772 - 9))
        #expect(mind.coverage["train"]?.described == 898)
        #expect(mind.dataset.report.notes.contains { $0.hasPrefix("consistent-derived/") })
        #expect(mind.dataset.report.notes.contains { $0.hasPrefix("relation_embedding.vec: present, not loaded") })
        let split = try mind.clickSplit()
        #expect(split.train.count == 7675)
        #expect(split.test.count == 143)
        // A dev user's index names the same person as in train.
        let devLog = try #require(mind.logs["dev"])
        let user = mind.dataset.users[devLog.users[0]]
        #expect(mind.dataset.users.index(of: user) == devLog.users[0])

        let withVectors = try MINDLoader.load(folder: MINDSharedData.folder, options: .init(loadEmbeddings: true))
        let relations = try #require(withVectors.relationEmbeddings)
        #expect(relations.count == 1091)
        #expect(relations.dimension == 100)
        #expect(relations.vector(for: "P31")?.first == -0.073467)
        #expect(withVectors.entityEmbeddings == nil)
    }

    @Test("the derived fully covered sample")
    func consistentDerived() throws {
        let mind = try MINDLoader.load(folder: MINDSharedData.folder + "/consistent-derived")
        let log = try #require(mind.logs["train"])
        #expect(log.count == 82)
        #expect(log.candidates.count == 300)
        #expect(log.clickCount == 86)
        #expect(mind.coverage["train"]?.referenced == 230)
        #expect(mind.coverage["train"]?.missing == 0)
    }
}
