internal import Foundation

/// BERT's "basic" tokenization for uncased models: the text normalization and word splitting
/// that run before WordPiece, as Hugging Face `tokenizers` does them for `BertTokenizer`
/// (`BertNormalizer` with clean_text, handle_chinese_chars, lowercase and strip_accents
/// following lowercase, then `BertPreTokenizer`), which is what sentence-transformers runs.
///
/// In order:
/// 1. Clean: drop U+0000, U+FFFD and every C* scalar (controls, format characters such as
///    U+200B, unassigned, private use) except tab, newline and carriage return; those and
///    every White_Space scalar become a space. A dropped scalar separates nothing:
///    `"and\u{0}null"` is one word.
/// 2. Put spaces around each CJK ideograph (`isBertChineseCharacter`).
/// 3. Strip accents: canonical decomposition (NFD), then drop nonspacing marks (Mn).
/// 4. Lowercase each scalar with its full, context-free Unicode mapping (`Σ` → `σ` everywhere,
///    `ǅ` → `ǆ`). Steps 3 and 4 run in this order, as in the Rust normalizer.
/// 5. Split on whitespace and make each punctuation scalar (`isBertPunctuation`) a word.
///
/// Character classes and case mappings come from the Swift runtime's Unicode tables; the Rust
/// reference uses older tables for categories, so a code point assigned in recent Unicode
/// versions (a new emoji, say) may be dropped there as unassigned but kept here. Every
/// character of the 486 reference texts agrees.
///
/// Special tokens written in the text (`[CLS]`) are not this type's business; see
/// `WordPieceTokenizer`.
///
/// - Complexity: O(UTF-8 length). An all-ASCII stretch of text goes through a byte loop with no
///   Unicode property lookups and no allocation beyond the output; other text pays one NFD
///   pass (Foundation) and per-scalar property lookups.
public struct BertBasicTokenizer: Sendable, Hashable {
    public init() {}

    /// The words of `text` after normalization and splitting, in order.
    public func words(_ text: String) -> [String] {
        var output = PreTokenizedText()
        var text = text
        text.withUTF8 { split($0, into: &output) }
        return output.words.map { word in
            output.bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[Int(word.start)..<Int(word.end)]), as: UTF8.self)
            }
        }
    }

    /// Appends the words of the UTF-8 text `utf8` to `output`. The text is a whole segment:
    /// the current word of `output` is closed before and after.
    func split(_ utf8: UnsafeBufferPointer<UInt8>, into output: inout PreTokenizedText) {
        output.endWord()
        var isASCII = true
        for byte in utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            for byte in utf8 { Self.appendASCII(byte, to: &output) }
        } else {
            splitUnicode(String(decoding: utf8, as: UTF8.self), into: &output)
        }
        output.endWord()
    }

    /// The whole pipeline for one ASCII byte: ASCII is its own NFD and has no marks, so
    /// cleaning, lowercasing and splitting are decided by the byte's range.
    @inline(__always)
    private static func appendASCII(_ byte: UInt8, to output: inout PreTokenizedText) {
        switch byte {
        case 0x61...0x7A, 0x30...0x39:  // a–z, 0–9
            output.append(ascii: byte)
        case 0x41...0x5A:  // A–Z
            output.append(ascii: byte | 0x20)
        case 0x20, 0x09, 0x0A, 0x0D:
            output.endWord()
        case 33...47, 58...64, 91...96, 123...126:
            output.endWord()
            output.append(ascii: byte)
            output.endWord()
        default:  // other C0 controls and DEL: dropped, no word break
            break
        }
    }

    private func splitUnicode(_ text: String, into output: inout PreTokenizedText) {
        // Steps 1 and 2 on the raw scalars.
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isBertDropped { continue }
            if scalar.isBertWhitespace {
                cleaned.append(" ")
            } else if scalar.isBertChineseCharacter {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // Steps 3–5 on the canonical decomposition.
        for scalar in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII {
                Self.appendASCII(UInt8(scalar.value), to: &output)
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.changesWhenLowercased {
                for lower in properties.lowercaseMapping.unicodeScalars { Self.appendNormalized(lower, to: &output) }
            } else {
                Self.appendNormalized(scalar, to: &output)
            }
        }
    }

    /// Step 5 for one normalized scalar.
    private static func appendNormalized(_ scalar: Unicode.Scalar, to output: inout PreTokenizedText) {
        if scalar.isBertWhitespace {
            output.endWord()
        } else if scalar.isBertPunctuation {
            output.endWord()
            output.append(scalar)
            output.endWord()
        } else {
            output.append(scalar)
        }
    }
}
