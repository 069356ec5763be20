import Foundation
import Testing

@Suite("crossrec analyze")
struct AnalyzeCommandTests {
    @Test func recoversThePlantedAffinityOfTheSyntheticData() throws {
        let folder = try TemporaryFolder()
        let html = folder.file("affinity.html")
        let result = try CLI.run([
            "analyze", "--synthetic", "--users", "1500", "--permutations", "200", "--html", html,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("movies × news: "), "\(result.stdout)")
        #expect(result.stdout.contains("| movies | news | r | p |"))
        let truth = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("planted affinity (strength 0.80)") })
        // "…; F of the S planted pairs above the mean found significant and positive, E found among the others"
        let numbers = truth.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        let found = numbers[numbers.count - 3], strong = numbers[numbers.count - 2], elsewhere = numbers[numbers.count - 1]
        #expect(found >= strong / 2 && elsewhere <= 2, "\(truth)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("<title>Horror × sports: r = "), "the heatmap names its cells")
    }

    @Test func theNegativeControlFindsNothing() throws {
        let result = try CLI.run(["analyze", "--synthetic", "--users", "1500", "--affinity", "0", "--permutations", "200"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no significant positive pair"), "\(result.stdout)")
        #expect(result.stdout.contains("the negative control): no pair is significant, as it should be"), "\(result.stdout)")
    }

    @Test func aDataSetWithOneDomainIsAClearError() throws {
        let folder = try TemporaryFolder()
        try folder.write("ratings.csv", "user,item,rating\nu1,i1,5\nu2,i1,3\n")
        let result = try CLI.run(["analyze", folder.file("ratings.csv")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has one domain (items); analyze needs two"), "\(result.stderr)")
        let flags = try CLI.run(["analyze", folder.file("ratings.csv"), "--affinity", "0.5"])
        #expect(flags.stderr.contains("--users, --affinity and --groups describe the synthetic data; add --synthetic"))
    }

    @Test func rowsAndColumnsCanBeSwappedOrWrong() throws {
        let swapped = try CLI.run([
            "analyze", "--synthetic", "--users", "600", "--permutations", "50", "--rows", "news", "--columns", "movies",
        ])
        #expect(swapped.status == 0, "\(swapped.stderr)")
        #expect(swapped.stdout.hasPrefix("news × movies: "))
        let wrong = try CLI.run(["analyze", "--synthetic", "--users", "600", "--rows", "books"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("--rows and --columns must name two different domains of movies, news"), "\(wrong.stderr)")
    }
}
