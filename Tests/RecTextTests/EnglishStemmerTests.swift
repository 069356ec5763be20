import Foundation
import Testing

@testable import RecText

/// Snowball's English vocabulary and expected stems beside the repository (`../shared/testdata`,
/// BSD-licensed, not committed here).
enum SnowballReference {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/RecTextTests/file -> repo root
        return url.deletingLastPathComponent().appendingPathComponent("shared/testdata/snowball-english").path
    }()

    static var isPresent: Bool { FileManager.default.fileExists(atPath: folder + "/voc.txt") }
}

@Suite("Snowball English stemmer")
struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    /// Written for this test from the rules (each line exercises one), not taken from the
    /// reference files.
    @Test(arguments: [
        // Step 1a
        ("caresses", "caress"), ("ponies", "poni"), ("ties", "tie"), ("cries", "cri"), ("gas", "gas"),
        ("gaps", "gap"), ("kiwis", "kiwi"), ("this", "this"), ("focus", "focus"), ("boss", "boss"),
        // possessives and apostrophes
        ("john's", "john"), ("'tis", "tis"), ("dogs'", "dog"),
        // Step 1b
        ("agreed", "agre"), ("feed", "feed"), ("proceed", "proceed"), ("exceeding", "exceed"),
        ("hopping", "hop"), ("hoping", "hope"), ("filing", "file"), ("luxuriated", "luxuri"),
        ("conflated", "conflat"), ("troubled", "troubl"), ("sized", "size"), ("adding", "add"),
        ("dying", "die"), ("lying", "lie"), ("flying", "fli"), ("inning", "inning"), ("outing", "outing"),
        ("beginning", "begin"), ("shouting", "shout"), ("sing", "sing"),
        // Step 1c
        ("happy", "happi"), ("cry", "cri"), ("by", "by"), ("say", "say"), ("yes", "yes"),
        // Steps 2-5
        ("relational", "relat"), ("conditional", "condit"), ("generously", "generous"),
        ("connected", "connect"), ("connecting", "connect"), ("connection", "connect"),
        ("hopefulness", "hope"), ("electrical", "electr"), ("adjustment", "adjust"),
        ("probate", "probat"), ("rate", "rate"), ("controll", "control"), ("roll", "roll"),
        ("geology", "geolog"), ("biologist", "biolog"),
        // R1 prefixes and whole-word exceptions
        ("general", "general"), ("communication", "communic"), ("internal", "internal"), ("pasted", "paste"),
        ("skies", "sky"), ("news", "news"), ("only", "onli"), ("andes", "andes"),
        // short words and Y handling
        ("at", "at"), ("a", "a"), ("yield", "yield"), ("enjoying", "enjoy"), ("sayings", "say"),
    ])
    func stemsFollowTheRules(word: String, stem: String) {
        #expect(stemmer.stem(word) == stem, "\(word)")
    }

    @Test func lettersOutsideAToZAreNonVowels() {
        #expect(stemmer.stem("cafés") == "café")
        #expect(stemmer.stem("naïvely") == "naïv")
    }

    @Test(.enabled(if: SnowballReference.isPresent, "../shared/testdata/snowball-english absent: skipped"))
    func everyWordOfSnowballsVocabularyGetsSnowballsStem() throws {
        let words = try String(contentsOfFile: SnowballReference.folder + "/voc.txt", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let stems = try String(contentsOfFile: SnowballReference.folder + "/output.txt", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        try #require(words.count == stems.count && words.count > 40_000)
        var mismatches: [String] = []
        for (word, expected) in zip(words, stems) where !word.isEmpty {
            let got = stemmer.stem(String(word))
            if got != expected { mismatches.append("\(word) → \(got), expected \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(words.count) differ; first: \(mismatches.prefix(20))")
    }
}
