import Foundation
import Testing

@testable import RecData

@Suite("MIND loader on malformed files")
struct MINDMalformedFileTests {
    static let goodNews = [tsv("N1", "sports", "golf", "Title", "Abstract", "https://x/1.html", "[]", "[]")]
    static let goodBehaviors = [
        tsv("1", "U1", "11/15/2019 8:55:22 AM", "N1", "N1-1 N2-0"),
        tsv("2", "U2", "11/15/2019 9:00:00 AM", "", "N2-1"),
    ]

    /// Loads a one-split folder `train/` holding the given files; returns the error thrown.
    static func loadError(
        news: [String] = goodNews, behaviors: [String] = goodBehaviors, newsBytes: [UInt8]? = nil,
        behaviorsBytes: [UInt8]? = nil
    ) throws -> DataError {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        if let newsBytes {
            try fixture.write("train/news.tsv", bytes: newsBytes)
        } else {
            try fixture.write("train/news.tsv", news)
        }
        if let behaviorsBytes {
            try fixture.write("train/behaviors.tsv", bytes: behaviorsBytes)
        } else {
            try fixture.write("train/behaviors.tsv", behaviors)
        }
        return try loadError(folder: fixture.path("train"))
    }

    static func loadError(folder: String) throws -> DataError {
        let result = Result { () throws(DataError) in try MINDLoader.load(folder: folder) }
        switch result {
        case .failure(let error):
            return error
        case .success(let loaded):
            Issue.record("expected an error, loaded \(loaded.splits)")
            throw CancellationError()
        }
    }

    @Test("the fixture itself loads")
    func control() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("train/news.tsv", Self.goodNews)
        try fixture.write("train/behaviors.tsv", Self.goodBehaviors)
        #expect(try MINDLoader.load(folder: fixture.path("train")).logs["train"]?.count == 2)
    }

    @Test("behaviors.tsv with a wrong field count")
    func behaviorsFieldCount() throws {
        let error = try Self.loadError(behaviors: [
            Self.goodBehaviors[0], tsv("2", "U2", "11/15/2019 9:00:00 AM", "N2-1"),
        ])
        #expect(error.kind == .wrongFieldCount)
        #expect(error.line == 2)
        #expect(error.fieldIndex == nil)
        #expect(error.file.hasSuffix("train/behaviors.tsv"))
        #expect(error.description.contains("behaviors.tsv:2: expected 5 tab-separated fields"))
        #expect(error.description.contains("got 4"))
    }

    @Test("news.tsv with a wrong field count")
    func newsFieldCount() throws {
        let error = try Self.loadError(news: [
            Self.goodNews[0], tsv("N2", "news", "newsus", "Title", "https://x/2.html", "[]", "[]"),
        ])
        #expect(error.kind == .wrongFieldCount)
        #expect(error.line == 2)
        #expect(error.description.contains("news.tsv:2:"))
        #expect(error.description.contains("got 7"))
    }

    @Test("a bad time", arguments: ["13/15/2019 8:55:22 AM", "11/15/2019 08:55:22", "2019-11-15 08:55:22"])
    func badDate(time: String) throws {
        let error = try Self.loadError(behaviors: [
            Self.goodBehaviors[0], tsv("2", "U2", time, "", "N2-1"),
        ])
        #expect(error.kind == .badDate)
        #expect(error.line == 2)
        #expect(error.fieldIndex == 3)
        #expect(error.fieldName == "time")
        #expect(error.message == "expected M/D/YYYY h:mm:ss AM|PM, got '\(time)'")
        #expect(error.description.contains("behaviors.tsv:2: field 3 'time':"))
    }

    @Test(
        "a bad impression token",
        arguments: [
            "N1-1 N2-2", "N1-1 N2", "N1-1 N2-", "N1-1 -1", "N1-1 N2-10", "N2-x", "N2-1-",
        ])
    func badImpressionLabel(impressions: String) throws {
        let error = try Self.loadError(behaviors: [
            Self.goodBehaviors[0], tsv("2", "U2", "11/15/2019 9:00:00 AM", "N1", impressions),
        ])
        #expect(error.kind == .badValue)
        #expect(error.line == 2)
        #expect(error.fieldIndex == 5)
        #expect(error.fieldName == "impressions")
        #expect(error.description.contains("behaviors.tsv:2: field 5 'impressions': expected 'N123-1'"))
    }

    @Test("labeled candidates in a file that began without labels")
    func mixedLabels() throws {
        let error = try Self.loadError(behaviors: [
            tsv("1", "U1", "11/15/2019 8:55:22 AM", "N1", "N1 N2"),
            tsv("2", "U2", "11/15/2019 9:00:00 AM", "", "N2 N1-1"),
        ])
        #expect(error.kind == .badValue)
        #expect(error.line == 2)
        #expect(error.fieldIndex == 5)
        #expect(error.description.contains("behaviors.tsv:2:"))
    }

    @Test("an impression without candidates")
    func noCandidates() throws {
        let error = try Self.loadError(behaviors: [tsv("1", "U1", "11/15/2019 8:55:22 AM", "N1", "")])
        #expect(error.kind == .badValue)
        #expect(error.line == 1)
        #expect(error.fieldIndex == 5)
    }

    @Test(
        "a bad JSON entity list",
        arguments: [
            (#"[{"Label": "X", "WikidataId": "Q1""#, 7),  // cut short
            (#"{"WikidataId": "Q1"}"#, 7),  // not a list
            (#"[{"Label": "X"}]"#, 8),  // no WikidataId
            (#"["Q1"]"#, 8),  // element not an object
            (#"[{"WikidataId": 42}]"#, 7),  // id not a string
        ])
    func badJSON(entities: String, field: Int) throws {
        let title = field == 7 ? entities : "[]"
        let abstract = field == 8 ? entities : "[]"
        let error = try Self.loadError(news: [
            Self.goodNews[0], tsv("N2", "news", "newsus", "Title", "Abstract", "https://x/2.html", title, abstract),
        ])
        #expect(error.kind == .badJSON)
        #expect(error.line == 2)
        #expect(error.fieldIndex == field)
        #expect(error.fieldName == (field == 7 ? "title_entities" : "abstract_entities"))
        #expect(error.description.contains("news.tsv:2: field \(field) '"))
    }

    @Test("invalid UTF-8 in a news title")
    func invalidUTF8Title() throws {
        var bytes = Array((Self.goodNews[0] + "\n").utf8)
        bytes += Array("N2\tnews\tnewsus\tBad ".utf8) + [0xFF, 0xFE] + Array(" title\t\thttps://x\t[]\t[]\n".utf8)
        let error = try Self.loadError(newsBytes: bytes)
        #expect(error.kind == .encoding)
        #expect(error.line == 2)
        #expect(error.fieldIndex == 4)
        #expect(error.fieldName == "title")
        #expect(error.description.contains("news.tsv:2: field 4 'title': not valid UTF-8"))
    }

    @Test("invalid UTF-8 in a user id and in a news id")
    func invalidUTF8IDs() throws {
        var user = Array("1\tU".utf8) + [0xC3, 0x28] + Array("\t11/15/2019 8:55:22 AM\tN1\tN1-1\n".utf8)
        var error = try Self.loadError(behaviorsBytes: user)
        #expect(error.kind == .encoding)
        #expect(error.line == 1)
        #expect(error.fieldIndex == 2)
        #expect(error.description.contains("behaviors.tsv:1: field 2 'user_id'"))

        user = Array((Self.goodBehaviors[0] + "\n").utf8)
        user += Array("2\tU2\t11/15/2019 9:00:00 AM\tN1\tN".utf8) + [0xE2, 0x82] + Array("-1\n".utf8)
        error = try Self.loadError(behaviorsBytes: user)
        #expect(error.kind == .encoding)
        #expect(error.line == 2)
        #expect(error.fieldIndex == 5)
    }

    @Test("an empty file", arguments: ["behaviors", "news"])
    func emptyFile(which: String) throws {
        let error =
            which == "news"
            ? try Self.loadError(newsBytes: []) : try Self.loadError(behaviorsBytes: [])
        #expect(error.kind == .emptyFile)
        #expect(error.line == nil)
        #expect(error.description.contains("train/\(which).tsv: "))
    }

    @Test("a file of blank lines only")
    func blankLines() throws {
        let error = try Self.loadError(behaviorsBytes: Array("\n\n\r\n".utf8))
        #expect(error.kind == .emptyFile)
        #expect(error.description.contains("behaviors.tsv"))
    }

    @Test("a missing folder")
    func missingFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-mind-absent-\(UUID())")
            .path
        let error = try Self.loadError(folder: folder)
        #expect(error.kind == .missingFile)
        #expect(error.file == folder)
        #expect(error.description.contains(folder))
        #expect(error.description.contains("crossrec data fetch mind-small"))
    }

    @Test("a folder with neither behaviors.tsv nor split folders")
    func unknownLayout() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("readme.txt", ["not MIND"])
        try fixture.write("other/news.tsv", Self.goodNews)
        let error = try Self.loadError(folder: fixture.path)
        #expect(error.kind == .unknownLayout)
        #expect(error.description.contains(fixture.path))
        #expect(error.description.contains("behaviors.tsv"))
        #expect(error.description.contains("crossrec data fetch mind-small"))
    }

    @Test("a split folder without news.tsv")
    func missingNews() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("dev/behaviors.tsv", Self.goodBehaviors)
        let error = try Self.loadError(folder: fixture.path)
        #expect(error.kind == .missingFile)
        #expect(error.file.hasSuffix("dev/news.tsv"))
        #expect(error.description.contains("crossrec data fetch mind-small"))
    }

    @Test("an embedding file whose vectors differ in length")
    func embeddingDimension() throws {
        let fixture = try MINDFixture()
        defer { fixture.remove() }
        try fixture.write("train/news.tsv", Self.goodNews)
        try fixture.write("train/behaviors.tsv", Self.goodBehaviors)
        try fixture.write("train/entity_embedding.vec", ["Q1\t0.1\t0.2\t0.3\t", "Q2\t0.1\t0.2\t"])
        #expect(throws: Never.self) { try MINDLoader.load(folder: fixture.path("train")) }
        do {
            _ = try MINDLoader.load(folder: fixture.path("train"), options: .init(loadEmbeddings: true))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .wrongFieldCount)
            #expect(error.line == 2)
            #expect(error.description.contains("entity_embedding.vec:2:"))
        }
    }
}
