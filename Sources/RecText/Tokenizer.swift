/// Splits text into lowercase word tokens: maximal runs of letters and digits, with an
/// apostrophe kept when it joins two letters (`don't`, `john's`; `’` counts as `'`).
///
/// `"The Matrix (1999): Neo’s fight"` → `the`, `matrix`, `1999`, `neo's`, `fight`. Letters are
/// Unicode letters (`café` is one token) and are lowercased with Unicode rules. Everything else
/// separates tokens. O(characters); no regular expressions.
public struct Tokenizer: Sendable, Hashable {
    /// Shorter tokens are dropped (counted in characters).
    public var minimumLength: Int
    /// Drop tokens made only of digits (years, counts).
    public var dropNumbers: Bool

    public init(minimumLength: Int = 2, dropNumbers: Bool = false) {
        precondition(minimumLength >= 1, "minimumLength must be at least 1")
        self.minimumLength = minimumLength
        self.dropNumbers = dropNumbers
    }

    public func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var pendingApostrophe = false
        var lastWasLetter = false

        func finish() {
            if !current.isEmpty {
                let token = String(current)
                let isNumber = token.unicodeScalars.allSatisfy {
                    $0.isASCII ? ($0.value >= 0x30 && $0.value <= 0x39) : $0.properties.numericType != nil
                }
                if token.count >= minimumLength && !(dropNumbers && isNumber) { tokens.append(token) }
            }
            current = String.UnicodeScalarView()
            pendingApostrophe = false
            lastWasLetter = false
        }

        for scalar in text.unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" {
                // Kept only between two letters: decided when the next character arrives.
                if lastWasLetter && !pendingApostrophe {
                    pendingApostrophe = true
                } else {
                    finish()
                }
                continue
            }
            let isLetter: Bool
            let isDigit: Bool
            if scalar.isASCII {
                // ASCII fast path: no Unicode property lookups for the common case.
                let value = scalar.value
                isLetter = (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
                isDigit = value >= 0x30 && value <= 0x39
            } else {
                let properties = scalar.properties
                isLetter = properties.isAlphabetic
                isDigit = properties.numericType != nil && properties.generalCategory == .decimalNumber
            }
            guard isLetter || isDigit else {
                finish()
                continue
            }
            if pendingApostrophe {
                if isLetter {
                    current.append("'")
                } else {
                    finish()
                }
                pendingApostrophe = false
            }
            if scalar.isASCII {
                let value = scalar.value
                current.append(Unicode.Scalar(value >= 0x41 && value <= 0x5A ? value + 0x20 : value)!)
            } else {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
            lastWasLetter = isLetter
        }
        finish()
        return tokens
    }
}
