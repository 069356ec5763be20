/// The character classes BERT's normalizer and pre-tokenizer use, as Hugging Face
/// `tokenizers` (the Rust `BertNormalizer` and `BertPreTokenizer` behind sentence-transformers)
/// defines them. Each is O(1): ASCII is decided by ranges, the rest by one Unicode property.
extension Unicode.Scalar {
    /// Dropped by the cleaning step: every scalar of general category C* (Cc, Cf, Cn, Co, Cs;
    /// so zero-width spaces, soft hyphens, private-use and unassigned code points too),
    /// except tab, newline and carriage return, which are whitespace. U+0000 and U+FFFD are
    /// dropped as well (the first is Cc; the second is checked by name, being So).
    var isBertDropped: Bool {
        let value = self.value
        if value < 0x80 {
            return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F
        }
        if value == 0xFFFD { return true }
        switch properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// Separates words: tab, newline, carriage return and the Unicode White_Space property
    /// (Rust's `char::is_whitespace`: Zs, U+2028, U+2029 and the C0 spaces). Callers test
    /// `isBertDropped` first, so the Cc members of White_Space (U+000B, U+000C, U+0085) are
    /// dropped rather than separating words.
    var isBertWhitespace: Bool {
        let value = self.value
        if value < 0x80 { return value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D }
        return properties.isWhitespace
    }

    /// Becomes a token of its own: the ASCII punctuation ranges 33–47, 58–64, 91–96 and
    /// 123–126 (which include symbols such as `$`, `+`, `^`) and every Unicode P* category.
    var isBertPunctuation: Bool {
        let value = self.value
        if value < 0x80 {
            return (value >= 33 && value <= 47) || (value >= 58 && value <= 64) || (value >= 91 && value <= 96)
                || (value >= 123 && value <= 126)
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK ideograph in the blocks BERT lists (Unified Ideographs, Extensions A–E,
    /// Compatibility Ideographs and their Supplement); each becomes a word of its own.
    /// Hiragana, katakana and hangul are not among them.
    var isBertChineseCharacter: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
