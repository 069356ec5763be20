import Foundation
import Testing

@testable import RecData

@Suite("MovieLens loader")
struct MovieLensLoaderTests {
    static let genreLines = MovieLensLayout.genres100K.enumerated().map { "\($1)|\($0)" }.joined(separator: "\n") + "\n"

    static func flags(_ genres: [Int]) -> String {
        (0..<19).map { genres.contains($0) ? "1" : "0" }.joined(separator: "|")
    }

    /// A 100K-layout folder: 3 users, 3 movies (one Latin-1 title), 5 ratings, fold u1.
    static func make100K() throws -> FixtureFolder {
        let folder = try FixtureFolder("ml100k")
        try folder.write("u.genre", genreLines)
        var item = Array("1|Toy Story (1995)|01-Jan-1995||http://x|\(flags([3, 4, 5]))\n".utf8)
        item += Array("2|Caf".utf8) + [0xE9] + Array(" Society (1994)|01-Jan-1994||http://y|\(flags([8]))\n".utf8)
        item += Array("3|unknown||||\(flags([0]))\n".utf8)
        try folder.write("u.item", bytes: item)
        try folder.write("u.data", "196\t1\t3\t881250949\n186\t2\t5\t891717742\n22\t1\t1\t878887116\n196\t3\t4\t881250950\n22\t2\t2\t878887117\n")
        try folder.write("u.user", "196|49|M|writer|55105\n186|39|F|executive|00000\n22|25|M|writer|40206\n")
        try folder.write("u1.base", "196\t1\t3\t881250949\n186\t2\t5\t891717742\n22\t1\t1\t878887116\n")
        try folder.write("u1.test", "196\t3\t4\t881250950\n22\t2\t2\t878887117\n")
        return folder
    }

    @Test func loads100KLayout() throws {
        let folder = try Self.make100K()
        let dataset = try MovieLensLoader().load(folder: folder.path)
        #expect(dataset.layout == MovieLensLayout.ml100k.rawValue)
        #expect(dataset.users.count == 3)
        let movies = try #require(dataset.domain("movies"))
        #expect(movies.items.count == 3)
        #expect(movies.interactions.count == 5)
        #expect(movies.catalog.categories.count == 19)
        #expect(movies.catalog.records[1]?.title == "Café Society (1994)")
        #expect(movies.catalog.records[0]?.year == 1995)
        #expect(movies.catalog.categoryNames(of: 0) == ["Animation", "Children's", "Comedy"])
        #expect(movies.catalog.records[2]?.year == nil)
        #expect(dataset.users[movies.interactions.users[1]] == "186")
        #expect(movies.interactions.values == [3, 5, 1, 4, 2])
        #expect(movies.interactions.timestamps[0] == 881_250_949)
        #expect(dataset.userAttributes["occupation"] == ["writer", "executive", "writer"])
        let fold = try MovieLensLoader().officialFold("u1", folder: folder.path, dataset: dataset)
        #expect(fold.train.count == 3 && fold.test.count == 2)
        #expect(fold.test.items == [movies.items.index(of: "3")!, movies.items.index(of: "2")!])
        #expect(try MovieLensLoader().officialFolds(folder: folder.path, dataset: dataset).map(\.name) == ["u1"])
    }

    @Test func loads1MLayoutWithLatin1Titles() throws {
        let folder = try FixtureFolder("ml1m")
        try folder.write("movies.dat", bytes: Array("1::Toy Story (1995)::Animation|Children's|Comedy\n2::M".utf8) + [0xFC] + Array("nchen (2005)::Drama\n".utf8))
        try folder.write("ratings.dat", "1::1::5::978300760\n1::2::3::978302109\n2::1::4::978301968\n")
        try folder.write("users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n")
        let dataset = try MovieLensLoader().load(folder: folder.path)
        #expect(dataset.layout == MovieLensLayout.ml1m.rawValue)
        let movies = try #require(dataset.domain("movies"))
        #expect((dataset.users.count, movies.items.count, movies.interactions.count) == (2, 2, 3))
        #expect(movies.catalog.records[1]?.title == "München (2005)")
        #expect(movies.catalog.categories == ["Animation", "Children's", "Comedy", "Drama"])
        #expect(dataset.userAttributes["Gender"] == ["F", "M"])
    }

    @Test func loads10MLayoutWithTags() throws {
        let folder = try FixtureFolder("ml10m")
        try folder.write("movies.dat", "1::Toy Story (1995)::Adventure|Animation\n2::Jumanji (1995)::Adventure\n")
        try folder.write("ratings.dat", "1::1::4.5::838985046\n1::2::3::838983525\n5::1::0.5::838983392\n")
        try folder.write("tags.dat", "15::1::pixar::1138537770\n20::1::pixar::1188263880\n15::2::board game::1138537771\n15::99::orphan::1138537772\n")
        let dataset = try MovieLensLoader().load(folder: folder.path)
        #expect(dataset.layout == MovieLensLayout.ml10m.rawValue)
        let movies = try #require(dataset.domain("movies"))
        #expect(movies.interactions.values == [4.5, 3, 0.5])
        #expect(movies.catalog.records[0]?.tags == ["pixar"])
        #expect(dataset.report.rowsRead["tags.dat"] == 4)
        #expect(dataset.report.skipped["tags.dat"]?["tag of a movie missing from the catalog"] == 1)
        #expect(movies.catalog.text(of: 0) == "Toy Story (1995) Adventure Animation pixar")
    }

    @Test func loadsCSVLayoutWithQuotesAndGenome() throws {
        let folder = try FixtureFolder("mlcsv")
        try folder.write(
            "movies.csv",
            "movieId,title,genres\r\n1,Toy Story (1995),Adventure|Animation\r\n11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n12,\"Dracula: Dead and Loving It (1995) \",(no genres listed)\r\n13,\"Say \"\"Hi\"\" (2001)\",Comedy\r\n")
        try folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,4.5,964981247\n2,12,0.5,964982224\n2,13,5.0,964983815\n3,1,3.5,964982931\n")
        try folder.write("tags.csv", "userId,movieId,tag,timestamp\n2,11,\"politics, US\",1445714994\n2,1,funny,1445714996\n")
        try folder.write("links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n")
        try folder.write("genome-tags.csv", "tagId,tag\n1,007\n2,feel-good\n")
        try folder.write("genome-scores.csv", "movieId,tagId,relevance\n1,1,0.02\n1,2,0.91\n11,1,0.5\n11,2,0.4\n")
        var loader = MovieLensLoader()
        let plain = try loader.load(folder: folder.path)
        #expect(plain.layout == MovieLensLayout.csv.rawValue)
        #expect(plain.report.notes.contains { $0.contains("genome-scores.csv present") })
        loader.includeGenome = true
        loader.genomeTopTags = 1
        let dataset = try loader.load(folder: folder.path)
        let movies = try #require(dataset.domain("movies"))
        #expect((dataset.users.count, movies.items.count, movies.interactions.count) == (3, 4, 5))
        #expect(movies.catalog.records[1]?.title == "American President, The (1995)")
        #expect(movies.catalog.records[3]?.title == "Say \"Hi\" (2001)")
        #expect(movies.catalog.records[2]?.year == 1995)
        #expect(movies.catalog.records[2]?.categories == [])
        #expect(movies.catalog.records[1]?.tags == ["politics, US", "007"])
        #expect(movies.catalog.records[0]?.tags == ["funny", "feel-good"])
        #expect(movies.interactions.values == [4, 4.5, 0.5, 5, 3.5])
    }

    @Test func reportsAndRemovesDuplicateRatings() throws {
        let folder = try FixtureFolder("dups")
        try folder.write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n")
        try folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,1,2.0,20\n1,2,3.0,5\n1,1,1.0,15\n")
        var loader = MovieLensLoader()
        let dataset = try loader.load(folder: folder.path)
        let movies = try #require(dataset.domain("movies"))
        #expect(dataset.report.duplicatesRemoved["ratings.csv"] == 2)
        #expect(movies.interactions.values == [2, 3])
        loader.duplicates = .keepAll
        #expect(try loader.load(folder: folder.path).interactionCount == 4)
        loader.duplicates = .reject
        let error = try #require(throws: DataError.self) { try loader.load(folder: folder.path) }
        #expect(error.kind == .duplicate)
        #expect(error.description.contains("ratings.csv") && error.description.contains("user '1', item '1'"))
    }

    @Test func ratingsOfUncataloguedMoviesAreKeptAndCounted() throws {
        let folder = try FixtureFolder("orphan")
        try folder.write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n")
        try folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,7,2.0,20\n")
        let dataset = try MovieLensLoader().load(folder: folder.path)
        #expect(dataset.interactionCount == 2)
        #expect(dataset.report.skipped["ratings.csv"]?.values.first == 1)
        #expect(dataset.domains[0].catalog.records.count == 2 && dataset.domains[0].catalog.records[1] == nil)
    }

    // MARK: Malformed input

    struct Malformed: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        var bytes: [UInt8]
        var kind: DataError.Kind
        var line: Int?
        var fieldIndex: Int?
        var description: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "bad field count", file: "ratings.csv", bytes: Array("userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,4.0\n".utf8), kind: .wrongFieldCount, line: 3),
        Malformed(name: "bad number", file: "ratings.csv", bytes: Array("userId,movieId,rating,timestamp\n1,1,x,10\n".utf8), kind: .badNumber, line: 2, fieldIndex: 3),
        Malformed(name: "rating out of range", file: "ratings.csv", bytes: Array("userId,movieId,rating,timestamp\n1,1,7,10\n".utf8), kind: .badValue, line: 2, fieldIndex: 3),
        Malformed(name: "bad timestamp", file: "ratings.csv", bytes: Array("userId,movieId,rating,timestamp\n1,1,4,10\n1,1,4,2019-01-01\n".utf8), kind: .badNumber, line: 3, fieldIndex: 4),
        Malformed(name: "empty ratings", file: "ratings.csv", bytes: [], kind: .emptyFile),
        Malformed(name: "wrong encoding", file: "movies.csv", bytes: Array("movieId,title,genres\n1,Caf".utf8) + [0xE9] + Array(" (1990),Drama\n".utf8), kind: .encoding, line: 2, fieldIndex: 2),
        Malformed(name: "unclosed quote", file: "movies.csv", bytes: Array("movieId,title,genres\n1,\"A (1990),Drama\n".utf8), kind: .badValue, line: 2),
        Malformed(name: "duplicate movie", file: "movies.csv", bytes: Array("movieId,title,genres\n1,A (1990),Drama\n1,B (1990),Drama\n".utf8), kind: .duplicate, line: 3, fieldIndex: 1),
    ]

    @Test(arguments: malformed)
    func malformedFilesGiveDocumentedErrors(_ case_: Malformed) throws {
        let folder = try FixtureFolder("bad")
        try folder.write("movies.csv", "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Drama\n")
        try folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n")
        try folder.write(case_.file, bytes: case_.bytes)
        let error = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: folder.path) }
        #expect(error.kind == case_.kind)
        #expect(error.line == case_.line)
        if let field = case_.fieldIndex { #expect(error.fieldIndex == field) }
        #expect(error.description.contains(case_.file), "description names the file: \(error)")
    }

    @Test func malformed100KItemFlag() throws {
        let folder = try Self.make100K()
        try folder.write("u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|\(Self.flags([3]).replacingOccurrences(of: "1", with: "2"))\n")
        let error = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: folder.path) }
        #expect(error.kind == .badValue && error.line == 1 && error.fieldIndex == 9)
        #expect(error.description.hasPrefix("\((folder.path as NSString).lastPathComponent)/u.item:1: field 9 'genre flag 'Animation''"))
    }

    @Test func missingFolderAndUnknownLayoutSayWhatWasExpected() throws {
        let missing = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: "/nonexistent/ml") }
        #expect(missing.kind == .missingFile && missing.description.contains("crossrec data fetch"))
        let folder = try FixtureFolder("empty")
        try folder.write("README", "nothing")
        let unknown = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: folder.path) }
        #expect(unknown.kind == .unknownLayout && unknown.description.contains("u.data"))
        let noItems = try FixtureFolder("noitem")
        try noItems.write("u.data", "1\t1\t5\t1\n")
        let missingItem = try #require(throws: DataError.self) { try MovieLensLoader().load(folder: noItems.path) }
        #expect(missingItem.kind == .missingFile && missingItem.description.contains("u.item") && missingItem.description.contains("100K"))
    }

    @Test func foldWithUnknownIDIsAnError() throws {
        let folder = try Self.make100K()
        try folder.write("u1.test", "999\t1\t4\t1\n")
        let dataset = try MovieLensLoader().load(folder: folder.path)
        let error = try #require(throws: DataError.self) { try MovieLensLoader().officialFold("u1", folder: folder.path, dataset: dataset) }
        #expect(error.kind == .unknownID && error.line == 1 && error.fieldIndex == 1)
    }

    // MARK: Real data (skipped visibly when ../shared/data is absent)

    @Test(.enabled(if: SharedData.exists("ml-100k/u.data"), "../shared/data/ml-100k absent: skipped"))
    func realML100K() throws {
        let folder = SharedData.path("ml-100k")
        let dataset = try MovieLensLoader().load(folder: folder)
        let movies = try #require(dataset.domain("movies"))
        #expect(movies.interactions.count == 100_000)
        #expect(dataset.users.count == 943)
        #expect(movies.items.count == 1_682)
        #expect(movies.catalog.categories.count == 19)
        #expect(dataset.report.duplicatesRemoved.isEmpty)
        let u1 = try MovieLensLoader().officialFold("u1", folder: folder, dataset: dataset)
        #expect(u1.train.count == 80_000 && u1.test.count == 20_000)
        let folds = try MovieLensLoader().officialFolds(folder: folder, dataset: dataset)
        #expect(folds.map(\.name) == ["u1", "u2", "u3", "u4", "u5", "ua", "ub"])
        #expect(folds.allSatisfy { $0.train.count + $0.test.count == 100_000 })
        #expect(folds.last!.test.count == 9_430)  // ub: 10 ratings per user
    }
}
