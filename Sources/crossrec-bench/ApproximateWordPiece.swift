import Foundation

/// A stand-in for the BERT uncased WordPiece tokenizer, for the encoder benchmark only, until the
/// RecText tokenizer lands: lowercase, accents stripped (NFD, marks dropped), control characters
/// dropped, split on white space and around punctuation and CJK ideographs, then greedy
/// longest-match-first WordPiece over `vocab.txt` (`##` continuations, `[UNK]` for a word with no
/// split or over 100 characters), `[CLS] … [SEP]`, truncated to `maxLength` ids.
///
/// Not the crossrec tokenizer: the benchmark reports how many reference texts it reproduces.
struct ApproximateWordPiece {
    private let vocabulary: [String: Int32]
    private let unknown: Int32
    private let classification: Int32
    private let separator: Int32
    let maxLength: Int

    init(vocabularyFile: String, maxLength: Int = 256) throws {
        let lines = try String(contentsOfFile: vocabularyFile, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        var vocabulary: [String: Int32] = [:]
        for (index, line) in lines.enumerated() where !line.isEmpty && vocabulary[String(line)] == nil {
            vocabulary[String(line)] = Int32(index)
        }
        guard let unknown = vocabulary["[UNK]"], let classification = vocabulary["[CLS]"],
            let separator = vocabulary["[SEP]"]
        else { throw BenchmarkError("\(vocabularyFile): no [UNK], [CLS] or [SEP] entry; is it a BERT vocab.txt?") }
        self.vocabulary = vocabulary
        self.unknown = unknown
        self.classification = classification
        self.separator = separator
        self.maxLength = maxLength
    }

    func ids(_ text: String) -> [Int32] {
        var ids: [Int32] = [classification]
        for word in words(text) {
            ids += pieces(word)
            if ids.count >= maxLength - 1 { break }
        }
        return Array(ids.prefix(maxLength - 1)) + [separator]
    }

    private func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if scalar.value == 0 || scalar.value == 0xFFFD { continue }
            if properties.isWhitespace {
                flush()
            } else if [.control, .format].contains(properties.generalCategory) {
                continue
            } else if Self.isPunctuation(scalar) || Self.isIdeograph(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    private func pieces(_ word: String) -> [Int32] {
        let characters = Array(word.unicodeScalars)
        guard characters.count <= 100 else { return [unknown] }
        var result: [Int32] = []
        var start = 0
        while start < characters.count {
            var end = characters.count
            var found: Int32?
            while start < end {
                var piece = String(String.UnicodeScalarView(characters[start..<end]))
                if start > 0 { piece = "##" + piece }
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknown] }
            result.append(found)
            start = end
        }
        return result
    }

    /// BERT's rule: ASCII symbols and every Unicode punctuation category.
    private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    private static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }
}
