/// The words of a text after BERT normalization and pre-tokenization, kept as UTF-8 in one
/// reusable byte buffer (no `String` per word), plus special tokens matched in the raw text.
///
/// Filled by `BertBasicTokenizer.split(_:into:)` and read by `WordPieceTokenizer`; reusing one
/// value across a batch reuses its storage.
struct PreTokenizedText {
    struct Word {
        /// `bytes[start ..< end]`; empty for a special token.
        var start: Int32
        var end: Int32
        /// Unicode scalars in the word (the unit of WordPiece's 100-character limit).
        var characters: Int32
        /// The vocabulary id of a special token (`[CLS]` written in the text), or -1.
        var specialID: Int32
    }

    private(set) var bytes: [UInt8] = []
    private(set) var words: [Word] = []
    private var wordStart = 0
    private var wordCharacters: Int32 = 0

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        wordStart = 0
        wordCharacters = 0
    }

    /// Appends one ASCII byte to the current word.
    @inline(__always)
    mutating func append(ascii byte: UInt8) {
        bytes.append(byte)
        wordCharacters += 1
    }

    /// Appends one scalar, UTF-8 encoded, to the current word.
    mutating func append(_ scalar: Unicode.Scalar) {
        if scalar.value < 0x80 {
            append(ascii: UInt8(scalar.value))
            return
        }
        for unit in UTF8.encode(scalar)! { bytes.append(unit) }
        wordCharacters += 1
    }

    /// Closes the current word, if it holds anything.
    @inline(__always)
    mutating func endWord() {
        if bytes.count > wordStart {
            words.append(
                Word(start: Int32(wordStart), end: Int32(bytes.count), characters: wordCharacters, specialID: -1))
            wordStart = bytes.count
        }
        wordCharacters = 0
    }

    /// Closes the current word and appends a special token.
    mutating func appendSpecial(id: Int32) {
        endWord()
        words.append(Word(start: Int32(wordStart), end: Int32(wordStart), characters: 0, specialID: id))
    }
}
