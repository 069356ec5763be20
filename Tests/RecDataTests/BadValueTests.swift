import Foundation
import Testing

@testable import RecData

/// Issue 14's bad inputs: values a 32-bit float cannot hold, absurd but finite values, and
/// negative ids, each named by file, line and field.
@Suite("Bad values and ids")
struct BadValueTests {
    @Test(arguments: ["1e308", "-1e39", "inf", "nan", "-infinity"])
    func nonFiniteRatingIsAnErrorNamingLineAndField(value: String) throws {
        let folder = try FixtureFolder("bad-values")
        let file = try folder.write("ratings.csv", "user,item,rating\n1,10,4\n2,10,\(value)\n3,11,5\n")
        let error = try #require(throws: DataError.self) { try GenericInteractionsLoader().load(file: file) }
        #expect(error.kind == .badNumber)
        #expect(error.line == 3)
        #expect(error.fieldIndex == 3)
        #expect(error.fieldName == "rating")
        #expect(error.description.contains("ratings.csv:3: field 3 'rating'"), "\(error)")
        #expect(error.description.contains("finite"), "\(error)")
    }

    @Test func absurdButFiniteRatingIsAWarningAndStatisticsSurviveIt() throws {
        let folder = try FixtureFolder("bad-values")
        let file = try folder.write("ratings.csv", "user,item,rating\n1,10,4\n2,10,1e30\n3,11,5\n1,11,-3e38\n")
        let dataset = try GenericInteractionsLoader().load(file: file)
        #expect(dataset.report.warnings.count == 1)
        let warning = try #require(dataset.report.warnings.first)
        #expect(warning.contains("ratings.csv:3: field 3 'rating'"), "\(warning)")
        #expect(warning.contains("2 such rows"), "\(warning)")
        // Used to trap converting 1e30 to Int.
        let statistics = DatasetStatistics(dataset)
        #expect(statistics.warnings == dataset.report.warnings)
        #expect(statistics.domains[0].valueHistogram.keys.sorted() == ["-3e+38", "1e+30", "4", "5"])
        let text = statistics.render()
        #expect(text.contains("warning: \(file):3"), "\(text)")
    }

    @Test func ordinaryRatingsGiveNoWarning() throws {
        let folder = try FixtureFolder("bad-values")
        let file = try folder.write("ratings.csv", "user,item,rating\n1,10,4\n2,10,16777216\n3,11,0.5\n")
        #expect(try GenericInteractionsLoader().load(file: file).report.warnings.isEmpty)
    }

    @Test(arguments: ["-5\t2\t3\t876893171", "1\tx7\t3\t876893171", "u1\t2\t3\t876893171"])
    func nonNumericIdInAMovieLensFileIsAnError(line: String) throws {
        let folder = try FixtureFolder("bad-ids")
        let flags = [String](repeating: "0", count: 19).joined(separator: "|")
        try folder.write("ml/u.item", "1|A (1995)|01-Jan-1995||http://x|\(flags)\n2|B (1995)|01-Jan-1995||http://x|\(flags)\n")
        try folder.write("ml/u.data", "1\t1\t5\t874965758\n\(line)\n")
        let error = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: folder.url("ml")) }
        #expect(error.description.hasPrefix("ml/u.data:2: field "), "\(error)")
        #expect(error.description.contains("non-negative integer id"), "\(error)")
    }

    @Test func negativeIdInAGenericFileIsAStringId() throws {
        let folder = try FixtureFolder("bad-ids")
        let file = try folder.write("x.csv", "5,1,3\n-5,1,4\n")
        let dataset = try GenericInteractionsLoader().load(file: file)
        #expect(dataset.users.ids == ["5", "-5"])
    }
}

@Suite("Data folder")
struct DataFolderTests {
    @Test func environmentVariableMovesTheFolder() {
        #expect(DataFolder(environment: [:], currentDirectory: "/x").path == "data")
        #expect(DataFolder(environment: ["CROSSREC_DATA": ""], currentDirectory: "/x").path == "data")
        let moved = DataFolder(environment: ["CROSSREC_DATA": "/srv/data"], currentDirectory: "/x")
        #expect(moved.path == "/srv/data")
        #expect(moved.fromEnvironment)
    }

    @Test func existingPathWinsThenTheDataFolder() throws {
        let folder = try FixtureFolder("data-folder")
        try folder.write("ml-100k/u.data", "1\t1\t5\t1\n")
        try folder.write("data/ml-100k/u.data", "1\t1\t5\t1\n")
        try folder.write("data/only-here/u.data", "1\t1\t5\t1\n")
        let data = DataFolder(environment: [:], currentDirectory: folder.path)
        #expect(try data.resolve("ml-100k") == "ml-100k")
        #expect(try data.resolve("only-here") == "data/only-here")
        #expect(try data.resolve("only-here/u.data") == "data/only-here/u.data")
        let elsewhere = DataFolder(environment: ["CROSSREC_DATA": folder.url("data")], currentDirectory: "/")
        #expect(try elsewhere.resolve("only-here") == folder.url("data/only-here"))
    }

    @Test func missingCatalogueNameSaysWhichFetchGetsIt() throws {
        let folder = try FixtureFolder("data-folder")
        let data = DataFolder(environment: [:], currentDirectory: folder.path)
        let error = try #require(throws: DataError.self) { try data.resolve("ml-1m") }
        #expect(error.kind == .missingFile)
        #expect(error.description.contains("`crossrec data fetch ml-1m`"), "\(error)")
        #expect(error.description.contains("data/ml-1m"), "\(error)")
    }

    @Test func missingOtherNameListsWhereItLooked() throws {
        let folder = try FixtureFolder("data-folder")
        let data = DataFolder(environment: ["CROSSREC_DATA": "/nowhere"], currentDirectory: folder.path)
        let error = try #require(throws: DataError.self) { try data.resolve("books.csv") }
        #expect(error.description.contains("looked in books.csv (from \(folder.path)) and /nowhere/books.csv ($CROSSREC_DATA)"), "\(error)")
        #expect(!error.description.contains("crossrec data fetch books"), "\(error)")
    }

    @Test func anEarlierCacheIsNamedWithTheMove() throws {
        let folder = try FixtureFolder("data-folder")
        try folder.write("crossrec-cache/ml-100k/u.data", "1\t1\t5\t1\n")
        let error = try #require(throws: DataError.self) {
            try DataFolder(environment: [:], currentDirectory: folder.path).resolve("ml-100k")
        }
        #expect(error.description.contains("mv crossrec-cache/ml-100k data/"), "\(error)")
    }
}
