import Foundation
import Testing

@Suite("crossrec topics")
struct TopicsCommandTests {
    /// The generator's sports words (`SyntheticVocabulary.topicWords[1]`), as the analyzer shows them.
    static let sportsWords: Set<String> = [
        "coach", "quarterback", "season", "playoff", "touchdown", "league", "championship", "injury", "roster",
        "draft", "victory", "stadium", "rookie", "defense", "scores",
    ]

    /// The cells of the markdown table row that starts with `| first |`.
    static func row(_ output: String, startingWith first: String) -> [String]? {
        output.split(separator: "\n").first { $0.hasPrefix("| \(first) |") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test func findsTheGeneratedNewsTopicsFromTheWordsAlone() throws {
        let folder = try TemporaryFolder()
        let generated = try CLI.run(["data", "generate", "--output", folder.file("data"), "--users", "300"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let result = try CLI.run(["topics", folder.file("data"), "--k", "14", "--passes", "10", "--seed", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout
        #expect(output.hasPrefix("14 topics over ") && output.contains(" item texts (movies 3"), "\(output)")
        #expect(output.contains(", news 500), "), "every generated news item has words")
        #expect(output.contains("held-out perplexity "), "\(output)")
        #expect(output.contains("| topic | share | movies | news | top words |"))
        #expect(output.contains("topics per category (movies):") && output.contains("topics per category (news):"))

        // The sports category's main topic is made of the generated sports words and holds most of it.
        let sports = try #require(Self.row(output, startingWith: "sports"), "\(output)")
        let topTopic = try #require(sports[2].split(separator: " ").first.map(String.init))
        let share = Double(sports[2].split(separator: "(")[1].prefix { $0 != "%" })!
        #expect(share > 50, "\(sports)")
        let topic = try #require(Self.row(output, startingWith: topTopic))
        let words = topic.last!.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(words.filter(Self.sportsWords.contains).count >= 7, "topic \(topTopic): \(words)")
    }

    @Test func jsonOneDomainAndTheSameSeedGiveTheSameTopics() throws {
        let arguments = ["topics", "--synthetic", "--domain", "news", "--k", "5", "--passes", "3", "--format", "json"]
        let first = try CLI.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run(arguments)
        #expect(first.stdout == second.stdout, "a seed gives identical figures")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any], "\(first.stdout)")
        let topics = try #require(report["topics"] as? [[String: Any]])
        #expect(topics.count == 5)
        #expect((report["domains"] as? [[String: Any]])?.map { $0["name"] as? String } == ["news"])
        #expect((report["heldOutPerplexity"] as? Double ?? 0) > 1)
        #expect((report["heldOutDocumentPerplexity"] as? Double ?? 0) > 1)
    }

    @Test func wrongDomainsAndSettingsAreClearErrors() throws {
        let domain = try CLI.run(["topics", "--synthetic", "--domain", "books"])
        #expect(domain.status == 1)
        #expect(domain.stderr.contains("has no domain 'books'; it has movies, news"), "\(domain.stderr)")
        let k = try CLI.run(["topics", "--synthetic", "--k", "0"])
        #expect(k.status != 0 && k.stderr.contains("--k must be at least 1, got 0"), "\(k.stderr)")
        let holdout = try CLI.run(["topics", "--synthetic", "--holdout", "1"])
        #expect(
            holdout.status != 0 && holdout.stderr.contains("--holdout must be in [0, 1), got 1.0"), "\(holdout.stderr)")
        let minDf = try CLI.run(["topics", "--synthetic", "--min-df", "100000"])
        #expect(minDf.status == 1)
        #expect(
            minDf.stderr.contains("lda: none of the 900 items has text with a term in at least 100000 items"),
            "\(minDf.stderr)")
    }
}
