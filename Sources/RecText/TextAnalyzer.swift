/// Text to index terms: tokenize, drop stop words, stem. The same analyzer must serve fitting
/// and scoring, so it is a value that travels with the model.
///
/// `"The Matrix Reloaded: Neo's fight continues"` → `matrix`, `reload`, `neo`, `fight`, `continu`.
public struct TextAnalyzer: Sendable, Hashable {
    public var tokenizer: Tokenizer
    /// Compared with tokens before stemming.
    public var stopWords: Set<String>
    /// Apply ``EnglishStemmer``.
    public var stems: Bool

    public init(tokenizer: Tokenizer = Tokenizer(), stopWords: Set<String> = StopWords.english, stems: Bool = true) {
        self.tokenizer = tokenizer
        self.stopWords = stopWords
        self.stems = stems
    }

    public func terms(_ text: String) -> [String] {
        var stems: [String: String] = [:]
        return terms(text, stems: &stems)
    }

    /// The terms of many texts, stemming each distinct token once (a catalog repeats its words:
    /// this is several times faster than calling ``terms(_:)`` per text).
    public func terms(of texts: [String]) -> [[String]] {
        var stems: [String: String] = [:]
        return texts.map { terms($0, stems: &stems) }
    }

    private func terms(_ text: String, stems cache: inout [String: String]) -> [String] {
        let stemmer = EnglishStemmer()
        return tokenizer.tokens(text).compactMap { token in
            guard !stopWords.contains(token) else { return nil }
            guard stems else { return token }
            if let known = cache[token] { return known }
            let stem = stemmer.stem(token)
            cache[token] = stem
            return stem
        }
    }
}
