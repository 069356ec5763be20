extension TextAnalyzer {
    /// The terms of many texts (as ``terms(of:)``) and, for each term, the token it most often
    /// came from (ties: the alphabetically first), so a stem such as `continu` can be shown as
    /// `continues`. Without stemming every term is its own surface form.
    /// - Complexity: O(characters) plus one stem per distinct token.
    public func termsAndSurfaceForms(of texts: [String]) -> (terms: [[String]], surfaceForms: [String: String]) {
        let stemmer = EnglishStemmer()
        var stemOf: [String: String] = [:]
        var tokenCounts: [String: [String: Int]] = [:]
        let terms = texts.map { text in
            tokenizer.tokens(text).compactMap { token -> String? in
                guard !stopWords.contains(token) else { return nil }
                let term: String
                if !stems {
                    term = token
                } else if let known = stemOf[token] {
                    term = known
                } else {
                    term = stemmer.stem(token)
                    stemOf[token] = term
                }
                tokenCounts[term, default: [:]][token, default: 0] += 1
                return term
            }
        }
        var surfaceForms: [String: String] = [:]
        for (term, counts) in tokenCounts {
            surfaceForms[term] = counts.min { ($1.value, $0.key) < ($0.value, $1.key) }!.key
        }
        return (terms, surfaceForms)
    }
}
