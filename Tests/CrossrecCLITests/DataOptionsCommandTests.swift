import Foundation
import RecData
import Testing

/// Issue 14's data options end to end: fixed split files on any scale, implicit feedback, data-set
/// names in the data folder, and bad values named by file, line and field.
@Suite("crossrec train and data inspect: data options")
struct DataOptionsCommandTests {
    static func metrics(_ result: CLI.Result) throws -> [String: Double] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?["metrics"] as? [String: Double], "\(result.stdout) \(result.stderr)")
    }

    /// A generic pair with half stars, a test user and a test item the training file lacks.
    static func writePair(in folder: TemporaryFolder) throws {
        var train = ["user,item,rating"], test = ["user,item,rating"]
        for user in 0..<20 {
            for item in 0..<10 where (user + item) % 3 != 0 {
                let row = "u\(user),i\(item),\(Double((user * 7 + item) % 10) / 2 + 0.5)"
                if (user + item) % 5 == 0 { test.append(row) } else { train.append(row) }
            }
        }
        test.append("newcomer,i1,4.5")
        test.append("u1,unseen-item,5")
        try folder.write("pair/train.csv", train.joined(separator: "\n") + "\n")
        try folder.write("pair/test.csv", test.joined(separator: "\n") + "\n")
    }

    @Test func filesSplitReadsAPairWithHalfStarsFoundBesideTheDataSet() throws {
        let folder = try TemporaryFolder()
        try Self.writePair(in: folder)
        let result = try CLI.run([
            "train", folder.file("pair/train.csv"), "--split", "files:train.csv,test.csv", "--model", "mf", "--param",
            "epochs=2", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let metrics = try Self.metrics(result)
        #expect(metrics["rmse"].map { $0.isFinite && $0 > 0 } == true)
        #expect((metrics["users_evaluated"] ?? 0) > 0)
        // A different pair is a different result: the split is read, not ignored.
        let whole = try CLI.run(["train", folder.file("pair/train.csv"), "--model", "mf", "--param", "epochs=2", "--json"])
        #expect(try Self.metrics(whole)["rmse"] != metrics["rmse"])
    }

    @Test func missingSplitFileNamesWhereItLooked() throws {
        let folder = try TemporaryFolder()
        try Self.writePair(in: folder)
        let result = try CLI.run([
            "train", folder.file("pair/train.csv"), "--split", "files:train.csv,nope.csv", "--model", "popularity",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope.csv: no such file or folder; looked in"), "\(result.stderr)")
        #expect(result.stderr.contains("(beside the data set)"), "\(result.stderr)")
    }

    static let sharedML100KAbsent = !FileManager.default.fileExists(atPath: CLI.sharedDataFolder + "/ml-100k/u1.base")

    @Test(.disabled(if: sharedML100KAbsent, "../shared/data/ml-100k absent: skipped"))
    func implicitAnyIsTheBenchProtocolAndThresholdsDiffer() throws {
        func ndcg(_ extra: [String]) throws -> Double {
            let result = try CLI.run(["train", "ml-100k", "--model", "ease", "--json"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try Self.metrics(result)["ndcg@10"])
        }
        let explicit = try ndcg([]), any = try ndcg(["--implicit", "any"]), four = try ndcg(["--implicit", "4"])
        #expect(Set([explicit, any, four]).count == 3)
        // The official fold named as a file pair is the official fold.
        #expect(try ndcg(["--split", "files:u1.base,u1.test"]) == explicit)
        let bad = try CLI.run(["train", "ml-100k", "--model", "ease", "--implicit", "high"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--implicit must be a rating threshold"), "\(bad.stderr)")
    }

    @Test func aMissingCatalogueNameSaysWhichFetchGetsIt() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(
            ["train", "ml-1m", "--model", "popularity"], currentDirectory: folder.path,
            environment: ["CROSSREC_DATA": ""])
        #expect(result.status == 1)
        #expect(result.stderr.contains("get it with `crossrec data fetch ml-1m`"), "\(result.stderr)")
    }

    @Test func theDataFolderCatalogueIsTheFetchCatalogue() throws {
        let help = try CLI.run(["data", "fetch", "--help"])
        // Help wraps lines: join them, then take 'Names: a, b, c.'
        let text = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let start = try #require(text.range(of: "Names: "))
        let end = try #require(text[start.upperBound...].firstIndex(of: "."))
        let listed = text[start.upperBound..<end].components(separatedBy: ", ")
        #expect(listed == DataFolder.fetchableNames, "\(text)")
    }

    @Test func nonFiniteRatingFailsInspectAndReportWithFileLineAndField() throws {
        let folder = try TemporaryFolder()
        try folder.write("r.csv", "user,item,rating\n1,10,4\n2,10,1e308\n3,11,5\n")
        for command in [["data", "inspect"], ["data", "report"]] {
            let result = try CLI.run(command + [folder.file("r.csv")], currentDirectory: folder.path)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("r.csv:3: field 3 'rating'"), "\(command): \(result.stderr)")
        }
    }

    @Test(arguments: [
        ["train"], ["compare"], ["analyze"], ["recommend"], ["embed"], ["topics"], ["data", "inspect"], ["data", "report"],
    ])
    func everyCommandThatReadsADataSetHasTheSameDataOptions(command: [String]) throws {
        let help = try CLI.run(command + ["--help"])
        #expect(help.status == 0, "\(help.stderr)")
        for option in [
            "--layout", "--user-column", "--item-column", "--value-column", "--timestamp-column", "--header",
            "--domain-name", "--feedback", "--duplicates", "--with", "--links", "--domain-split", "--implicit",
        ] {
            #expect(help.stdout.contains(option + " "), "\(command) lacks \(option)")
        }
        let text = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("values: auto, movielens, mind, linked, generic"), "\(command)")
    }

    @Test func trainReadsAGenericFileByColumnName() throws {
        let folder = try TemporaryFolder()
        var lines = ["when;stars;iid;uid"]
        for user in 0..<20 {
            for item in 0..<10 where (user + item) % 3 != 0 { lines.append("\(user * 10 + item);\((user * item) % 5 + 1);i\(item);u\(user)") }
        }
        try folder.write("odd.csv", lines.joined(separator: "\n") + "\n")
        let columns = ["--user-column", "uid", "--item-column", "iid", "--value-column", "stars", "--timestamp-column", "when"]
        let result = try CLI.run(["train", folder.file("odd.csv"), "--model", "mf", "--param", "epochs=2", "--json"] + columns)
        #expect(result.status == 0, "\(result.stderr)")
        let rmse = try Self.metrics(result)["rmse"]
        #expect(rmse.map(\.isFinite) == true)
        // Without the columns the file is misread (a time as the user): the options were used.
        let misread = try CLI.run(["train", folder.file("odd.csv"), "--model", "mf", "--param", "epochs=2", "--json"])
        let misreadRMSE = misread.status == 0 ? try Self.metrics(misread)["rmse"] : nil
        #expect(misreadRMSE != rmse)
    }

    @Test func trainJoinsASecondDataSetWithLinks() throws {
        let folder = try TemporaryFolder()
        var books = ["user,item,rating"], games = ["user,item,rating"], links = [String]()
        for user in 0..<20 {
            for item in 0..<8 where (user + item) % 3 != 0 { books.append("b\(user),book\(item),\((user + item) % 5 + 1)") }
            for item in 0..<6 where (user * item) % 4 != 1 { games.append("g\(user),game\(item),\((user * item) % 5 + 1)") }
            links.append("b\(user),g\(user)")
        }
        try folder.write("books.csv", books.joined(separator: "\n") + "\n")
        try folder.write("games.csv", games.joined(separator: "\n") + "\n")
        try folder.write("links.csv", links.joined(separator: "\n") + "\n")
        let result = try CLI.run([
            "train", folder.file("books.csv"), "--with", folder.file("games.csv"), "--links", folder.file("links.csv"),
            "--domain-name", "books", "--model", "popularity", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let inspect = try CLI.run([
            "data", "inspect", folder.file("books.csv"), "--with", folder.file("games.csv"), "--links",
            folder.file("links.csv"), "--domain-name", "books",
        ])
        #expect(inspect.stdout.contains("domain 'books'") && inspect.stdout.contains("domain 'books-2'"), "\(inspect.stdout)")
    }

    @Test func implicitOnInspectReadsRatingsAsEvents() throws {
        let folder = try TemporaryFolder()
        try folder.write("r.csv", "user,item,rating\n1,10,4\n2,10,2\n3,11,5\n3,10,3.5\n")
        let plain = try CLI.run(["data", "inspect", folder.file("r.csv")])
        #expect(plain.stdout.contains("explicit ratings"), "\(plain.stdout)")
        let four = try CLI.run(["data", "inspect", folder.file("r.csv"), "--implicit", "4"])
        #expect(four.status == 0, "\(four.stderr)")
        #expect(four.stdout.contains("implicit events"), "\(four.stdout)")
        #expect(four.stdout.contains("interactions 2"), "\(four.stdout)")
        let any = try CLI.run(["data", "inspect", folder.file("r.csv"), "--implicit", "any"])
        #expect(any.stdout.contains("interactions 4"), "\(any.stdout)")
    }

    @Test func fetchSaysVerifiedOnlyAfterVerifyingAndUsesTheDataFolder() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(
            ["data", "fetch", "ml-100k", "--base-url", "http://127.0.0.1:9/"], currentDirectory: folder.path,
            environment: ["CROSSREC_DATA": ""])
        #expect(result.status == 1)
        // It used to print "ml-100k.zip: verified against the MD5 …" before anything was downloaded.
        #expect(!result.stderr.contains("verified"), "\(result.stderr)")
        #expect(result.stderr.contains("error: "), "\(result.stderr)")
        #expect(result.stderr.contains(folder.path + "/data") || result.stderr.contains("data/"), "\(result.stderr)")
    }
}
