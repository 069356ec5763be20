/// BERT's uncased WordPiece tokenizer, giving the same ids as Hugging Face `BertTokenizer`
/// (the `tokenizers` implementation sentence-transformers runs) for models such as
/// all-MiniLM-L6-v2.
///
/// A text is encoded as
/// 1. special tokens written in it (`[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[UNK]`, exactly so
///    spelled, anywhere, even inside a word) are cut out and stand for their own ids;
/// 2. each stretch between them is normalized and split into words by `BertBasicTokenizer`;
/// 3. each word becomes pieces by greedy longest-match-first: the longest vocabulary token that
///    starts the word, then the longest `##` token that continues it, and so on. A word of more
///    than 100 Unicode scalars, or one with a rest no token matches, becomes `[UNK]` whole;
/// 4. the ids are `[CLS]`, the first `maxLength − 2` pieces, `[SEP]`.
///
/// - Complexity: O(text length) for normalization plus, per word, at most L hash lookups of at
///   most L bytes per piece, L being the longest vocabulary token in UTF-8 bytes (18 for BERT
///   uncased). Encoding stops reading a text once `maxLength − 2` pieces are found.
/// - Thread safety: a value type with no shared mutable state; encode from any number of
///   threads.
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become `[UNK]` (BERT's
    /// `max_input_chars_per_word`).
    public static let maxCharactersPerWord = 100

    public let vocabulary: WordPieceVocabulary
    /// Most ids `encode` returns, `[CLS]` and `[SEP]` included.
    public let maxLength: Int
    public let basicTokenizer = BertBasicTokenizer()
    private let specialTokens: [(bytes: [UInt8], id: Int32)]

    /// A tokenizer over `vocabulary`. Precondition: `maxLength ≥ 2` (room for `[CLS]` and
    /// `[SEP]`).
    public init(vocabulary: WordPieceVocabulary, maxLength: Int = 256) {
        precondition(maxLength >= 2, "maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
        self.vocabulary = vocabulary
        self.maxLength = maxLength
        self.specialTokens = vocabulary.specialTokens
    }

    /// A tokenizer over the `vocab.txt` at `vocabularyFile`; 256 is all-MiniLM-L6-v2's
    /// `max_seq_length`.
    /// - Throws: `VocabularyError` naming the file (and line) when it is missing or malformed.
    public init(vocabularyFile: String, maxLength: Int = 256) throws {
        self.init(vocabulary: try WordPieceVocabulary(contentsOfFile: vocabularyFile), maxLength: maxLength)
    }

    /// `[CLS]`, at most `maxLength − 2` piece ids, `[SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var scratch = PreTokenizedText()
        return encode(text, scratch: &scratch)
    }

    /// `encode(_:)` of each text, in order, reusing one scratch buffer.
    public func encode(_ texts: [String]) -> [[Int32]] {
        var scratch = PreTokenizedText()
        return texts.map { encode($0, scratch: &scratch) }
    }

    /// The word pieces of the whole text as strings (`"##ing"`), without `[CLS]`, `[SEP]` or
    /// truncation: Hugging Face's `tokenizer.tokenize(text)`.
    public func tokens(_ text: String) -> [String] {
        var scratch = PreTokenizedText()
        var ids: [Int32] = []
        appendPieces(of: text, to: &ids, limit: Int.max, scratch: &scratch)
        return ids.map { vocabulary.tokens[Int($0)] }
    }

    private func encode(_ text: String, scratch: inout PreTokenizedText) -> [Int32] {
        var ids: [Int32] = [vocabulary.classifierID]
        ids.reserveCapacity(min(maxLength, 2 + text.utf8.count / 3))
        appendPieces(of: text, to: &ids, limit: maxLength - 2, scratch: &scratch)
        ids.append(vocabulary.separatorID)
        return ids
    }

    /// Appends the ids of the first `limit` pieces of `text` to `ids`.
    private func appendPieces(of text: String, to ids: inout [Int32], limit: Int, scratch: inout PreTokenizedText) {
        guard limit > 0 else { return }
        let target = ids.count + limit
        var text = text
        text.withUTF8 { utf8 in
            // Pre-tokenize a bounded stretch at a time, so a long text is read only as far as
            // the pieces it takes. Stretches end at a special token or after ~4 KiB, at a space.
            var start = 0
            while start < utf8.count && ids.count < target {
                scratch.removeAll()
                let (end, special) = nextStretch(utf8, from: start)
                basicTokenizer.split(UnsafeBufferPointer(rebasing: utf8[start..<end]), into: &scratch)
                if let special { scratch.appendSpecial(id: special.id) }
                appendPieces(of: scratch, to: &ids, target: target)
                start = end + (special?.bytes.count ?? 0)
            }
        }
    }

    /// Where the stretch starting at `start` ends: at the next special token (returned too),
    /// else at the first ASCII space after 4096 bytes, else at the end of the text. Cutting at
    /// a space changes nothing: a space ends a word anyway.
    private func nextStretch(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> (
        end: Int, special: (bytes: [UInt8], id: Int32)?
    ) {
        var index = start
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "[") {
                for special in specialTokens where matches(special.bytes, in: utf8, at: index) {
                    return (index, special)
                }
            } else if byte == 0x20 && index - start >= 4096 {
                return (index, nil)
            }
            index += 1
        }
        return (utf8.count, nil)
    }

    private func matches(_ token: [UInt8], in utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard utf8.count - index >= token.count else { return false }
        for offset in token.indices where utf8[index + offset] != token[offset] { return false }
        return true
    }

    /// WordPiece over every word of `words`, appending ids until `ids.count == target`.
    private func appendPieces(of words: PreTokenizedText, to ids: inout [Int32], target: Int) {
        words.bytes.withUnsafeBufferPointer { bytes in
            for word in words.words {
                if ids.count >= target { return }
                if word.specialID >= 0 {
                    ids.append(word.specialID)
                } else if Int(word.characters) > Self.maxCharactersPerWord {
                    ids.append(vocabulary.unknownID)
                } else {
                    appendPieces(
                        ofWord: UnsafeBufferPointer(rebasing: bytes[Int(word.start)..<Int(word.end)]), to: &ids,
                        target: target)
                }
            }
        }
    }

    /// Greedy longest-match-first over one word's UTF-8 bytes; candidate ends step back one
    /// whole scalar at a time. The word's pieces, or `[UNK]` alone if some rest has no match.
    private func appendPieces(ofWord word: UnsafeBufferPointer<UInt8>, to ids: inout [Int32], target: Int) {
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            let table = start == 0 ? vocabulary.initialPieces : vocabulary.continuationPieces
            var end = min(word.count, start + table.maxKeyLength)
            while end < word.count && word[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a scalar
            var found: Int32?
            while end > start {
                if let id = table.value(for: UnsafeBufferPointer(rebasing: word[start..<end])) {
                    found = id
                    break
                }
                end -= 1
                while end > start && word[end] & 0xC0 == 0x80 { end -= 1 }
            }
            guard let found else {
                ids.removeSubrange(firstPiece...)
                ids.append(vocabulary.unknownID)
                return
            }
            ids.append(found)
            start = end
        }
        if ids.count > target { ids.removeSubrange(target...) }
    }
}
