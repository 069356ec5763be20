import Testing

@testable import RecText

/// Hand-written cases over a tiny vocabulary: the rules one at a time, no shared data needed.
@Suite("WordPiece tokenizer")
struct WordPieceTests {
    static let vocabulary: [String] = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",  // 0–4
        "un", "##aff", "##able", "##a", "##ff", "##ab", "##le",  // 5–11
        "abc", "a", "##bcd", "##b",  // 12–15
        ",", "!", "#", "[", "]", "北", "京", "cls", "cafe", "ab", "##c",  // 16–26
    ]

    static func tokenizer(maxLength: Int = 256) throws -> WordPieceTokenizer {
        WordPieceTokenizer(vocabulary: try WordPieceVocabulary(tokens: vocabulary), maxLength: maxLength)
    }

    @Test func greedyLongestMatchWithContinuationPieces() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokens("unaffable") == ["un", "##aff", "##able"], "##aff beats ##a, ##able beats ##ab")
        #expect(tokenizer.tokens("ab abc") == ["ab", "abc"])
        #expect(tokenizer.tokens("abb") == ["ab", "##b"])
        #expect(tokenizer.encode("unaffable") == [2, 5, 6, 7, 3])
    }

    @Test func aWordWithAnUnmatchedRestIsOneUnknownEvenWhenAnotherSplitExists() throws {
        let tokenizer = try Self.tokenizer()
        // Greedy takes "abc", then "d" has no "##d"; a + ##bcd would have worked, but WordPiece
        // does not backtrack.
        #expect(tokenizer.tokens("abcd") == ["[UNK]"])
        #expect(tokenizer.tokens("xyz un") == ["[UNK]", "un"])
        #expect(tokenizer.encode("un xyz unaffable") == [2, 5, 1, 5, 6, 7, 3])
    }

    @Test func wordsOfMoreThanOneHundredCharactersAreUnknown() throws {
        let tokenizer = try Self.tokenizer()
        let hundred = "a" + String(repeating: "c", count: 99)
        #expect(tokenizer.tokens(hundred) == ["a"] + Array(repeating: "##c", count: 99))
        #expect(tokenizer.tokens(hundred + "c") == ["[UNK]"])
        // Normalized scalars are counted, not bytes or raw scalars: 100 × (a + combining acute)
        // is 200 raw scalars but 100 after accent stripping.
        let accented = String(repeating: "a\u{301}", count: 100)
        #expect(tokenizer.tokens(accented) == ["a"] + Array(repeating: "##a", count: 99))
        #expect(tokenizer.tokens(accented + "\u{E1}") == ["[UNK]"])
    }

    @Test func punctuationIsAlwaysATokenOfItsOwn() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokens("un,un!!") == ["un", ",", "un", "!", "!"])
        #expect(tokenizer.tokens("##un") == ["#", "#", "un"], "## in the text is punctuation, not a continuation")
        #expect(
            BertBasicTokenizer().words("state-of-the-art $5 a^b") == [
                "state", "-", "of", "-", "the", "-", "art", "$", "5", "a", "^", "b",
            ])
        #expect(
            BertBasicTokenizer().words("«quoted» it’s — done…") == [
                "«", "quoted", "»", "it", "’", "s", "—", "done", "…",
            ])
    }

    @Test func lowercasingAndAccentStrippingFollowUnicode() throws {
        let basic = BertBasicTokenizer()
        #expect(basic.words("Café NAÏVE Zürich") == ["cafe", "naive", "zurich"])
        #expect(
            basic.words("cafe\u{301} Ångström crème") == ["cafe", "angstrom", "creme"],
            "precomposed and combining alike")
        #expect(basic.words("Straße ΣΟΥ İstanbul") == ["straße", "σου", "istanbul"], "ß stays; Σ lowercases to σ")
        #expect(
            basic.words("ǅ Łódź Øre") == ["ǆ", "łodz", "øre"], "no canonical decomposition: ł, ø, ǆ keep their shape")
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokens("CAFÉ") == ["cafe"])
    }

    @Test func cjkIdeographsAreWordsOfTheirOwnButKanaAndHangulAreNot() {
        let basic = BertBasicTokenizer()
        #expect(basic.words("北京abc上海") == ["北", "京", "abc", "上", "海"])
        // Kana are letters of one word; the voicing mark of が is a combining mark (NFD), so it goes.
        #expect(basic.words("ひらがなカタカナ") == ["ひらかなカタカナ"])
        // Hangul syllables decompose (NFD) to conjoining jamo, which are not marks.
        #expect(basic.words("한") == ["\u{1112}\u{1161}\u{11AB}"])
        #expect(basic.words("\u{F900}") == ["\u{8C48}"], "a compatibility ideograph is split, then decomposed")
    }

    @Test func controlAndFormatCharactersVanishWithoutSplittingButWhitespaceSplits() {
        let basic = BertBasicTokenizer()
        #expect(
            basic.words("and\u{0}null con\u{7}trol zero\u{200B}width soft\u{AD}hyphen") == [
                "andnull", "control", "zerowidth", "softhyphen",
            ])
        #expect(
            basic.words("a\u{B}b c\u{C}d e\u{85}f") == ["ab", "cd", "ef"],
            "VT, FF and NEL are controls before they are spaces")
        #expect(
            basic.words("tabs\tand\nnew\r\nlines non\u{A0}breaking ideographic\u{3000}space line\u{2028}sep") == [
                "tabs", "and", "new", "lines", "non", "breaking", "ideographic", "space", "line", "sep",
            ])
        #expect(basic.words("bad\u{FFFD}byte private\u{E000}use") == ["badbyte", "privateuse"])
        #expect(basic.words("") == [] && basic.words(" \t\n ") == [])
    }

    @Test func specialTokensWrittenInTheTextStandForThemselvesWhenSpelledExactly() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.encode("[CLS] un [SEP]") == [2, 2, 5, 3, 3])
        #expect(tokenizer.encode("un[MASK]un[PAD][UNK]") == [2, 5, 4, 5, 0, 1, 3], "even inside a word")
        #expect(
            tokenizer.tokens("[cls] [CL\u{200B}S]") == ["[", "cls", "]", "[", "cls", "]"],
            "matched before normalization")
    }

    @Test func truncationKeepsClassifierAndSeparatorWithinMaxLength() throws {
        let tokenizer = try Self.tokenizer(maxLength: 5)
        #expect(tokenizer.encode("un un un un un") == [2, 5, 5, 5, 3])
        #expect(
            tokenizer.encode("un unaffable") == [2, 5, 5, 6, 3], "a word's pieces are cut, as Hugging Face cuts tokens")
        #expect(tokenizer.encode("") == [2, 3])
        #expect(try Self.tokenizer(maxLength: 2).encode("un un") == [2, 3])
        let long = String(repeating: "un ", count: 5000) + "[MASK]"
        #expect(try Self.tokenizer().encode(long).count == 256)
        #expect(
            try Self.tokenizer(maxLength: 10_000).encode(long).suffix(3) == [5, 4, 3],
            "long texts are read in stretches")
    }

    @Test func batchEncodingEqualsOneByOne() throws {
        let tokenizer = try Self.tokenizer(maxLength: 6)
        let texts = ["unaffable", "", "北京 [SEP] xyz", "un un un un un un", "Café"]
        #expect(tokenizer.encode(texts) == texts.map { tokenizer.encode($0) })
    }
}
