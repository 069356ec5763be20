import Foundation
import Testing

@Suite("crossrec data")
struct DataCommandTests {
    @Test func helpExplainsEveryDataCommand() throws {
        let result = try CLI.run(["data", "--help"])
        #expect(result.status == 0)
        for command in ["inspect", "report", "generate", "fetch"] { #expect(result.stdout.contains(command)) }
        let top = try CLI.run(["--help"])
        #expect(top.status == 0 && top.stdout.contains("data"))
    }

    @Test func inspectPrintsLayoutCountsAndHistogram() throws {
        let folder = try TemporaryFolder()
        try folder.write("ml/movies.csv", "movieId,title,genres\n1,A (1990),Drama\n2,B (1991),Comedy|Drama\n")
        try folder.write("ml/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,3.5,20\n2,1,4.0,30\n2,1,5.0,40\n")
        let result = try CLI.run(["data", "inspect", folder.file("ml")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("MovieLens CSV"))
        #expect(result.stdout.contains("users 2, interactions 3"))
        #expect(result.stdout.contains("duplicates removed: ratings.csv 1"))
        #expect(result.stdout.contains("3.5"))
        let json = try CLI.run(["data", "inspect", "--format", "json", folder.file("ml")])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["interactions"] as? Int == 3)
    }

    /// The report's charts carry the counts: 3 rows after the duplicate is dropped, Drama on all
    /// of them, Comedy on one; the numbers in titles are not words.
    @Test func reportWritesChartsWithTheCounts() throws {
        let folder = try TemporaryFolder()
        try folder.write("ml/movies.csv", "movieId,title,genres\n1,Galaxy Quest (1990),Drama\n2,Galaxy Kitchen (1991),Comedy|Drama\n")
        try folder.write("ml/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,3.5,20\n2,1,4.0,30\n2,1,5.0,40\n")
        let file = folder.file("report.html")
        let result = try CLI.run(["data", "report", folder.file("ml"), "--output", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("wrote \(file): 1 domain(s), 2 users"))
        let html = try String(contentsOfFile: file, encoding: .utf8)
        func section(_ title: String) -> String {
            guard let start = html.range(of: title) else { return "" }
            let rest = html[start.upperBound...]
            return String(rest[..<(rest.range(of: "<h3>")?.lowerBound ?? rest.endIndex)])
        }
        let categories = section("Rows per category")
        #expect(categories.contains(">Drama</text>") && categories.contains(">3</text>"), "\(categories)")
        #expect(categories.contains(">Comedy</text>") && categories.contains(">1</text>"))
        let values = section("Rows per value")
        #expect(values.contains(">3.5</text>") && values.contains(">5</text>") && !values.contains(">4.0</text>"))
        let words = section("Most frequent words")
        #expect(words.contains("<title>galaxy: 2</title>") && !words.contains("1990"), "\(words)")
        #expect(html.contains("<p>3 rows from 2 users on 2 items.</p>"))
    }

    @Test func inspectOfAMalformedFileNamesFileLineAndFieldAndFails() throws {
        let folder = try TemporaryFolder()
        try folder.write("plays.csv", "user,item,rating\nu1,i1,4\nu2,i2,lots\n")
        let result = try CLI.run(["data", "inspect", folder.file("plays.csv")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("plays.csv:3: field 3 'rating': expected a number, got 'lots'"))
    }

    @Test func inspectJoinsLinkedDomainsAndSplitsByGenre() throws {
        let folder = try TemporaryFolder()
        try folder.write("ml/movies.csv", "movieId,title,genres\n1,A (1990),Action\n2,B (1991),Comedy\n")
        try folder.write("ml/ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,3.5,20\n2,1,4.0,30\n")
        let split = try CLI.run(["data", "inspect", folder.file("ml"), "--domain-split", "Action | Comedy"])
        #expect(split.status == 0, "\(split.stderr)")
        #expect(split.stdout.contains("domain 'Action'") && split.stdout.contains("domain 'Comedy'"))
        #expect(split.stdout.contains("users in all 2 domains: 1"))
        try folder.write("books.csv", "reader,book\nr1,b1\nr2,b2\n")
        try folder.write("links.csv", "1,r1\n")
        let linked = try CLI.run([
            "data", "inspect", folder.file("ml"), "--with", folder.file("books.csv"), "--links", folder.file("links.csv"),
            "--value-column", "none", "--header", "present",
        ])
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linked.stdout.contains("users in all 2 domains: 1"))
        #expect(linked.stdout.contains("users 3,"))
    }

    @Test func fetchOfAnUnknownNameListsTheKnownOnes() throws {
        let result = try CLI.run(["data", "fetch", "ml-7m"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("ml-100k") && result.stderr.contains("mind-small"))
    }
}
