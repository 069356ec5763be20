import Foundation
import Testing

@testable import RecData

/// A temporary folder of MIND files written from string literals. Tests `defer { fixture.remove() }`.
struct MINDFixture {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-mind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    var path: String { root.path }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Writes `lines` joined by `lineEnd`, with a final line end.
    func write(_ relative: String, _ lines: [String], lineEnd: String = "\n") throws {
        try write(relative, bytes: Array((lines.map { $0 + lineEnd }.joined()).utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
}

/// One tab-separated line.
func tsv(_ fields: String...) -> String { fields.joined(separator: "\t") }

enum MINDFixtures {
    static let bills =
        #"[{"Label": "Buffalo Bills", "Type": "O", "WikidataId": "Q221626", "Confidence": 1.0, "OccurrenceOffsets": [0], "SurfaceForms": ["Bills"]}]"#
    static let billsAndBuffalo =
        #"[{"Label": "Buffalo Bills", "Type": "O", "WikidataId": "Q221626", "Confidence": 1.0, "OccurrenceOffsets": [4], "SurfaceForms": ["Bills"]}, {"Label": "Buffalo, New York", "Type": "G", "WikidataId": "Q40435", "Confidence": 0.99, "OccurrenceOffsets": [], "SurfaceForms": []}]"#

    static let trainNews = [
        tsv(
            "N1", "sports", "football_nfl", "Bills win", "The Bills won.", "https://assets.msn.com/labs/mind/AA1.html",
            bills, billsAndBuffalo),
        tsv("N2", "news", "newsus", "Storm hits coast", "", "https://assets.msn.com/labs/mind/AA2.html", "[]", ""),
        tsv(
            "N3", "sports", "golf", "Open ends", "Golf open ends.", "https://assets.msn.com/labs/mind/AA3.html", "",
            "[]"),
        tsv("N4", "finance", "finance-companies", "Stocks rise", "Markets up.", "", "[]", "[]"),
        tsv("N2", "news", "newsus", "Storm hits coast (repeated row)", "", "https://x/AA2.html", "[]", "[]"),
    ]
    // U1 twice with the same history, U2 with none; impression id 3 repeats.
    static let trainBehaviors = [
        tsv("1", "U1", "11/15/2019 8:55:22 AM", "N1 N2", "N3-1 N4-0 N5-0"),
        tsv("2", "U2", "11/15/2019 12:05:00 AM", "", "N1-0 N3-1 N6-1"),
        tsv("3", "U1", "11/15/2019 12:30:00 PM", "N1 N2", "N4-1 N7-0"),
        tsv("3", "U3", "11/14/2019 11:59:59 PM", "N8", "N1-0 N2-0"),
    ]
    static let devNews = [
        tsv("N5", "lifestyle", "lifestyleroyals", "Royal news", "A royal story.", "https://x/AA5.html", "[]", "[]"),
        tsv("N1", "sports", "football_nfl", "Bills win", "The Bills won.", "https://x/AA1.html", "[]", "[]"),
    ]
    static let devBehaviors = [
        tsv("10", "U2", "11/16/2019 1:00:00 PM", "N3 N9", "N5-1 N1-0"),
        tsv("11", "U4", "11/16/2019 9:00:00 AM", "N1", "N9-0 N10-1"),
    ]

    /// `train/` and `dev/` subfolders.
    static func trainDev(lineEnd: String = "\n") throws -> MINDFixture {
        let fixture = try MINDFixture()
        try fixture.write("train/news.tsv", trainNews, lineEnd: lineEnd)
        try fixture.write("train/behaviors.tsv", trainBehaviors, lineEnd: lineEnd)
        try fixture.write("dev/news.tsv", devNews, lineEnd: lineEnd)
        try fixture.write("dev/behaviors.tsv", devBehaviors, lineEnd: lineEnd)
        return fixture
    }
}

@Suite("MIND loader on well-formed files")
struct MINDLoaderTests {
    // Times of the fixture's impressions, checked with `date -u -d … +%s`.
    static let t1: Int64 = 1_573_808_122  // 11/15/2019 8:55:22 AM
    static let t2: Int64 = 1_573_776_300  // 11/15/2019 12:05:00 AM (00:05)
    static let t3: Int64 = 1_573_821_000  // 11/15/2019 12:30:00 PM
    static let t4: Int64 = 1_573_775_999  // 11/14/2019 11:59:59 PM
    static let t10: Int64 = 1_573_909_200  // 11/16/2019 1:00:00 PM
    static let t11: Int64 = 1_573_894_800  // 11/16/2019 9:00:00 AM

    @Test("train and dev folders: counts, shared indices, logs")
    func trainAndDev() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)

        #expect(mind.splits == ["train", "dev"])
        #expect(mind.dataset.layout == "MIND split folders (train, dev)")
        #expect(mind.dataset.users.ids == ["U1", "U2", "U3", "U4"])
        #expect(mind.news.items.ids == ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N10"])
        #expect(mind.news.isExplicit == false)
        #expect(mind.news.name == "news")

        let train = try #require(mind.logs["train"])
        #expect(train.count == 4)
        #expect(train.users == [0, 1, 0, 2])
        #expect(train.times == [Self.t1, Self.t2, Self.t3, Self.t4])
        #expect((0..<4).map { train.impressionID(at: $0) } == [.number(1), .number(2), .number(3), .number(3)])
        #expect(train.candidates.count == 10)
        #expect(train.labels == [1, 0, 0, 0, 1, 1, 1, 0, 0, 0])
        #expect(train.clickCount == 4)
        #expect(train.isLabeled)
        #expect((0..<4).map { train.history(of: $0).count } == [2, 0, 2, 1])
        #expect(Array(train.history(of: 0)) == [0, 1])
        #expect(Array(train.history(of: 2)) == [0, 1])
        #expect(Array(train.history(of: 3)) == [7])
        #expect(train.totalHistoryLength == 5)
        // U1's repeated history is stored once.
        #expect(train.history.count == 3)
        #expect(train.historyRange(of: 0) == train.historyRange(of: 2))
        #expect(Array(train.candidates(of: 1)) == [0, 2, 5])
        #expect(Array(train.labels(of: 1)) == [0, 1, 1])
        #expect(mind.duplicateImpressionIDs == ["train": 1, "dev": 0])
        #expect(
            mind.dataset.report.notes.contains { $0.contains("train/behaviors.tsv") && $0.contains("1 impression ids") }
        )

        let dev = try #require(mind.logs["dev"])
        #expect(dev.count == 2)
        #expect(dev.users == [1, 3])  // U2 keeps its train index
        #expect(Array(dev.history(of: 0)) == [2, 8])  // N3 keeps its train index, N9 is new
        #expect(Array(dev.candidates(of: 0)) == [4, 0])  // N5 from train's impressions, N1 from train news
        #expect(dev.labels == [1, 0, 0, 1])
        #expect(dev.clickCount == 2)
    }

    @Test("news rows: catalog fields, categories, entities, repeated rows counted")
    func catalog() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        let catalog = mind.news.catalog
        let report = mind.dataset.report

        #expect(catalog.records.count == 10)
        #expect(catalog.describedCount == 5)  // N1…N4 from train, N5 from dev
        #expect(catalog.categories == ["sports", "news", "finance", "lifestyle"])
        let n1 = try #require(catalog.records[0])
        #expect(n1.title == "Bills win")
        #expect(n1.abstract == "The Bills won.")
        #expect(n1.subcategory == "football_nfl")
        #expect(n1.url == "https://assets.msn.com/labs/mind/AA1.html")
        #expect(n1.categories == [0])
        #expect(n1.entities == ["Q221626", "Q40435"])  // both lists, each id once
        let n2 = try #require(catalog.records[1])
        #expect(n2.title == "Storm hits coast")  // first row kept
        #expect(n2.abstract == nil)
        #expect(n2.entities.isEmpty)
        #expect(catalog.records[3]?.url == nil)
        #expect(catalog.categoryNames(of: 4) == ["lifestyle"])
        #expect(catalog.records[5] == nil)

        #expect(report.rowsRead["train/news.tsv"] == 5)
        #expect(report.rowsRead["dev/news.tsv"] == 2)
        #expect(report.rowsRead["train/behaviors.tsv"] == 4)
        #expect(report.rowsRead["dev/behaviors.tsv"] == 2)
        #expect(report.duplicatesRemoved["train/news.tsv"] == 1)
        #expect(report.duplicatesRemoved["dev/news.tsv"] == nil)
        #expect(report.skipped["dev/news.tsv"]?.values.reduce(0, +) == 1)  // N1 again in dev
    }

    @Test("coverage per split: pooled catalog and own news.tsv")
    func coverage() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        // train references N1…N8; N1…N5 have rows (N5 only in dev/news.tsv); own file has N1…N4.
        #expect(mind.coverage["train"] == MINDDataset.Coverage(referenced: 8, missing: 3, missingFromOwnNews: 4))
        // dev references N1, N3, N5, N9, N10; N9 and N10 have no row anywhere; own file has N5 and N1.
        #expect(mind.coverage["dev"] == MINDDataset.Coverage(referenced: 5, missing: 2, missingFromOwnNews: 3))
        let dev = try #require(mind.coverage["dev"])
        #expect(dev.described == 3)
        #expect(dev.missingFraction == 0.4)
        #expect(dev.describedFraction == 0.6)
    }

    @Test("interactions: impression clicks with their times, then deduplicated history")
    func interactions() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        let rows = mind.news.interactions
        #expect(mind.impressionClickCount == 6)
        #expect(rows.count == 11)
        #expect(rows.values.allSatisfy { $0 == 1 })
        // Clicks in split and file order.
        #expect(Array(rows.users[0..<6]) == [0, 1, 1, 0, 1, 3])
        #expect(Array(rows.items[0..<6]) == [2, 2, 5, 3, 4, 9])
        #expect(Array(rows.timestamps[0..<6]) == [Self.t1, Self.t2, Self.t2, Self.t3, Self.t10, Self.t11])
        // History by user: U1 N1 N2 (once, though on two impressions); U2 N9 (N3 is already a click);
        // U3 N8; U4 N1. Each at the user's earliest impression time minus one second.
        let history = mind.historyInteractions
        #expect(history.users == [0, 0, 1, 2, 3])
        #expect(history.items == [0, 1, 8, 7, 0])
        #expect(history.timestamps == [Self.t1 - 1, Self.t1 - 1, Self.t2 - 1, Self.t4 - 1, Self.t11 - 1])

        let without = try MINDLoader.load(folder: fixture.path, options: .init(includeHistory: false))
        #expect(without.news.interactions.count == 6)
        #expect(without.historyInteractions.isEmpty)
        #expect(without.logs == mind.logs)
    }

    @Test("click split: train log clicks against dev log clicks")
    func clickSplit() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        let split = try mind.clickSplit()
        #expect(split.train.count == 4)
        #expect(split.train.items == [2, 2, 5, 3])
        #expect(split.test.count == 2)
        #expect(split.test.users == [1, 3])
        #expect(split.test.items == [4, 9])
        #expect(split.test.timestamps == [Self.t10, Self.t11])
        #expect(try mind.clickSplit(includeHistory: true).train.count == 9)
        #expect(throws: DataError.self) { try mind.clickSplit(train: "train", test: "test") }
    }

    @Test("CRLF line ends give the same result")
    func crlf() throws {
        let unixFixture = try MINDFixtures.trainDev()
        defer { unixFixture.remove() }
        let windowsFixture = try MINDFixtures.trainDev(lineEnd: "\r\n")
        defer { windowsFixture.remove() }
        let unix = try MINDLoader.load(folder: unixFixture.path)
        let windows = try MINDLoader.load(folder: windowsFixture.path)
        #expect(unix.logs == windows.logs)
        #expect(unix.news == windows.news)
        #expect(unix.coverage == windows.coverage)
    }

    @Test("a test-set folder: unlabeled candidates, split named from the folder, text impression ids")
    func testSet() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write(
            "MINDlarge_test/news.tsv",
            [tsv("N11", "video", "animals", "Cat video", "", "https://x/AA11.html", "[]", "[]")])
        try fixture.write(
            "MINDlarge_test/behaviors.tsv",
            [
                tsv("i-20", "U5", "11/22/2019 10:00:00 AM", "N1", "N2 N11"),
                tsv("21", "U6", "11/22/2019 10:01:00 AM", "N11 N1", "N11"),
            ])
        let mind = try MINDLoader.load(folder: fixture.path("MINDlarge_test"))
        #expect(mind.splits == ["test"])
        #expect(mind.dataset.layout == "MIND single split folder (test)")
        #expect(mind.dataset.name == "MINDlarge_test")
        let log = try #require(mind.logs["test"])
        #expect(log.count == 2)
        #expect(log.labels == [-1, -1, -1])
        #expect(!log.isLabeled)
        #expect(log.clickCount == 0)
        #expect(log.impressionID(at: 0) == .text("i-20"))
        #expect(log.impressionID(at: 1) == .text("21"))
        #expect(mind.impressionClickCount == 0)
        // Histories are still clicks: U5 N1; U6 N11, N1.
        #expect(mind.news.interactions.count == 3)
        #expect(mind.coverage["test"] == MINDDataset.Coverage(referenced: 3, missing: 2, missingFromOwnNews: 2))
        #expect(mind.dataset.report.rowsRead["behaviors.tsv"] == 2)

        let named = try MINDLoader.load(folder: fixture.path("MINDlarge_test"), options: .init(splitName: "dev"))
        #expect(named.splits == ["dev"])
    }

    @Test("repeated impression ids are counted, small and large")
    func duplicateImpressionIDs() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("dev/news.tsv", MINDFixtures.devNews)
        try fixture.write(
            "dev/behaviors.tsv",
            [
                tsv("7", "U1", "11/15/2019 8:55:22 AM", "", "N1-1"),
                tsv("123456789012", "U1", "11/15/2019 8:55:22 AM", "", "N1-1"),
                tsv("7", "U2", "11/15/2019 8:55:22 AM", "", "N1-0"),
                tsv("123456789012", "U2", "11/15/2019 8:55:22 AM", "", "N1-0"),
                tsv("123456789012", "U3", "11/15/2019 8:55:22 AM", "", "N1-0"),
                tsv("8", "U3", "11/15/2019 8:55:22 AM", "", "N1-0"),
            ])
        let mind = try MINDLoader.load(folder: fixture.path("dev"))
        #expect(mind.duplicateImpressionIDs == ["dev": 3])
        #expect(mind.logs["dev"]?.count == 6)
        #expect(mind.logs["dev"]?.impressionID(at: 1) == .number(123_456_789_012))
        #expect(mind.dataset.report.notes.contains { $0.hasPrefix("behaviors.tsv: 3 impression ids") })
    }

    @Test("official release folder names as split subfolders; unknown subfolders noted")
    func releaseFolders() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("MINDsmall_train/news.tsv", MINDFixtures.trainNews)
        try fixture.write("MINDsmall_train/behaviors.tsv", MINDFixtures.trainBehaviors)
        try fixture.write("MINDsmall_dev/news.tsv", MINDFixtures.devNews)
        try fixture.write("MINDsmall_dev/behaviors.tsv", MINDFixtures.devBehaviors)
        try fixture.write("derived/behaviors.tsv", MINDFixtures.devBehaviors)
        let mind = try MINDLoader.load(folder: fixture.path)
        #expect(mind.splits == ["train", "dev"])
        #expect(mind.logs["dev"]?.count == 2)
        #expect(mind.dataset.report.rowsRead["MINDsmall_dev/behaviors.tsv"] == 2)
        #expect(mind.dataset.report.notes.contains { $0.hasPrefix("derived/") })
    }

    @Test("embeddings: noted unless asked for, then read with trailing tabs")
    func embeddings() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        try fixture.write(
            "train/entity_embedding.vec",
            ["Q221626\t0.5\t-1.25\t2\t", "Q40435\t2.5e-1\t0\t-0.5\t", "Q221626\t9\t9\t9\t"])
        try fixture.write("dev/entity_embedding.vec", ["Q40435\t7\t7\t7\t", "Q42\t1\t2\t3"])
        try fixture.write("relation_embedding.vec", ["P31\t0.1\t0.2\t"])

        let plain = try MINDLoader.load(folder: fixture.path)
        #expect(plain.entityEmbeddings == nil)
        #expect(plain.relationEmbeddings == nil)
        let notes = plain.dataset.report.notes
        #expect(notes.contains { $0.hasPrefix("train/entity_embedding.vec: present, not loaded") })
        #expect(notes.contains { $0.hasPrefix("dev/entity_embedding.vec: present, not loaded") })
        #expect(notes.contains { $0.hasPrefix("relation_embedding.vec: present, not loaded") })

        let mind = try MINDLoader.load(folder: fixture.path, options: .init(loadEmbeddings: true))
        let entities = try #require(mind.entityEmbeddings)
        #expect(entities.dimension == 3)
        #expect(entities.count == 3)
        #expect(entities.vector(for: "Q221626").map(Array.init) == [0.5, -1.25, 2])
        #expect(entities.vector(for: "Q40435").map(Array.init) == [0.25, 0, -0.5])  // first file wins
        #expect(entities.vector(for: "Q42").map(Array.init) == [1, 2, 3])
        #expect(entities.vector(for: "Q1") == nil)
        let relations = try #require(mind.relationEmbeddings)
        #expect(relations.dimension == 2)
        #expect(relations.vector(for: "P31").map(Array.init) == [0.1, 0.2])
        let report = mind.dataset.report
        #expect(report.rowsRead["train/entity_embedding.vec"] == 3)
        #expect(report.duplicatesRemoved["train/entity_embedding.vec"] == 1)
        #expect(report.skipped["dev/entity_embedding.vec"]?.values.reduce(0, +) == 1)
    }

    @Test("the id interner gives the indices IDMap would give")
    func interner() throws {
        let ids = ["N5", "N12", "N5", "U3", "N007", "N7", "7", "N0", "N12", "Nx", "N", "N16777216", "N7"]
        var interner = MINDIDInterner()
        var reference = IDMap()
        for id in ids {
            let fast = Array(id.utf8).withUnsafeBufferPointer { interner.intern($0) }
            #expect(fast == reference.intern(id), "id \(id)")
        }
        #expect(interner.map == reference)
        let invalid: [UInt8] = [0x4E, 0xFF]
        #expect(invalid.withUnsafeBufferPointer { interner.intern($0) } == nil)
    }
}

@Suite("MIND time split and candidate filtering")
struct MINDTimeSplitTests {
    @Test("the last calendar day is evaluated; earlier clicks train; impressions without a click or a skip dropped")
    func lastDay() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        let (split, evaluated, cutoff) = try mind.timeSplit(part: "train", testDays: 1)
        #expect(cutoff == 1_573_776_000)  // 11/15/2019 00:00:00 UTC
        #expect(split.name == "mind-time-train-1d")
        // 11/15 holds impressions 1, 2 and the first 3; the 11/14 one (no click) is before the cutoff.
        #expect(evaluated.count == 3)
        #expect(evaluated.times == [MINDLoaderTests.t1, MINDLoaderTests.t2, MINDLoaderTests.t3])
        #expect(Array(evaluated.history(of: 0)) == [0, 1])
        #expect(evaluated.historyRange(of: 0) == evaluated.historyRange(of: 2))
        // The only earlier impression has no click, so nothing trains; the test holds 11/15's clicks.
        #expect(split.train.count == 0)
        #expect(split.test.count == 4)
        #expect(split.test.items.sorted() == [2, 2, 3, 5])
    }

    @Test("a part spanning fewer days than asked, the unlabeled test part, or a missing part is refused")
    func refusals() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        #expect(throws: DataError.self) { try mind.timeSplit(part: "train", testDays: 2) }
        #expect(throws: DataError.self) { try mind.timeSplit(part: "dev", testDays: 1) }  // one day only
        do {
            _ = try mind.timeSplit(part: "test")
            Issue.record("a missing part was accepted")
        } catch {
            #expect(error.message.contains("no 'test' part"))
        }
    }

    @Test("filtering candidates keeps impressions that still have a click and a skip")
    func filtering() throws {
        let fixture = try MINDFixtures.trainDev()
        defer { fixture.remove() }
        let mind = try MINDLoader.load(folder: fixture.path)
        let train = try #require(mind.logs["train"])
        let (kept, dropped) = train.filtered(impressions: { _ in true }, candidates: { $0 < 4 })  // N1…N4
        #expect(dropped == 2)  // impression 3 (U1) keeps only a click; the 11/14 one has no click
        #expect(kept.count == 2)
        #expect(Array(kept.candidates(of: 0)) == [2, 3])
        #expect(Array(kept.labels(of: 0)) == [1, 0])
        #expect(Array(kept.candidates(of: 1)) == [0, 2])
        #expect(Array(kept.labels(of: 1)) == [0, 1])
        #expect(Array(kept.history(of: 0)) == [0, 1])
        #expect(kept.history(of: 1).isEmpty)
        #expect(kept.impressionID(at: 1) == .number(2))
    }
}
