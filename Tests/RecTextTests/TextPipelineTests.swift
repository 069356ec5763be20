import Testing

@testable import RecText

@Suite("Tokenizer, stop words, analyzer")
struct TextPipelineTests {
    @Test func tokensAreLowercaseRunsOfLettersAndDigitsWithInnerApostrophes() {
        let tokenizer = Tokenizer()
        #expect(
            tokenizer.tokens("The Matrix (1999): Neo’s fight — don't PANIC!")
                == ["the", "matrix", "1999", "neo's", "fight", "don't", "panic"])
        #expect(tokenizer.tokens("'quoted' words' ends'' and--dashes") == ["quoted", "words", "ends", "and", "dashes"])
        #expect(tokenizer.tokens("Café AU LAIT, naïve") == ["café", "au", "lait", "naïve"])
        #expect(tokenizer.tokens("rock'n'roll 3'4") == ["rock'n'roll"], "an apostrophe between digits splits; 3 and 4 are too short")
        #expect(tokenizer.tokens("") == [])
        #expect(tokenizer.tokens("  ... !!! ") == [])
    }

    @Test func minimumLengthAndNumbersAreOptions() {
        #expect(Tokenizer(minimumLength: 1).tokens("a b 7 cd") == ["a", "b", "7", "cd"])
        #expect(Tokenizer(minimumLength: 3).tokens("a bb ccc dddd") == ["ccc", "dddd"])
        #expect(Tokenizer(dropNumbers: true).tokens("top 10 of 2024 in 3d") == ["top", "of", "in", "3d"])
    }

    @Test func stopWordsIncludeContractionsAndExcludeContentWords() {
        for word in ["the", "and", "don't", "itself", "very", "i'm"] { #expect(StopWords.english.contains(word), "\(word)") }
        for word in ["movie", "news", "war", "love"] { #expect(!StopWords.english.contains(word), "\(word)") }
    }

    @Test func analyzerTokenizesDropsStopWordsThenStems() {
        let analyzer = TextAnalyzer()
        #expect(analyzer.terms("The Matrix Reloaded: Neo's fight continues") == ["matrix", "reload", "neo", "fight", "continu"])
        #expect(TextAnalyzer(stems: false).terms("The wars of the worlds") == ["wars", "worlds"])
        #expect(TextAnalyzer(stopWords: []).terms("The wars") == ["the", "war"])
        let texts = ["Wars and more wars", "", "The war of the worlds", "Wars"]
        #expect(analyzer.terms(of: texts) == texts.map(analyzer.terms), "the batch form caches stems, nothing else")
    }
}

/// Expected figures are scikit-learn 1.9.1's `TfidfVectorizer(analyzer=str.split)` on the same
/// three documents (`docs = ["space war robot robot", "robot love", "war war peace"]`), rounded to
/// 7 places; `sublinear_tf=True` and `min_df=2` for the other two cases.
@Suite("TF-IDF")
struct TFIDFModelTests {
    static let documents = ["space war robot robot", "robot love", "war war peace"].map { $0.split(separator: " ").map(String.init) }

    static func dense(_ vector: SparseVector, columns: Int) -> [Double] {
        var row = [Double](repeating: 0, count: columns)
        for (index, value) in zip(vector.indices, vector.values) { row[Int(index)] = Double(value) }
        return row
    }

    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    @Test func matchesScikitLearnsDefaultWeighting() {
        let model = TFIDFModel(documents: Self.documents)
        #expect(model.vocabulary == ["love", "peace", "robot", "space", "war"])
        #expect(Self.close(model.inverseDocumentFrequency.map(Double.init), [1.6931472, 1.6931472, 1.2876821, 1.6931472, 1.2876821]))
        let expected: [[Double]] = [
            [0, 0, 0.7710058, 0.50689, 0.3855029], [0.7959605, 0, 0.6053485, 0, 0], [0, 0.5493512, 0, 0, 0.8355915],
        ]
        for (document, row) in zip(Self.documents, expected) {
            let vector = model.vector(document)
            #expect(Self.close(Self.dense(vector, columns: 5), row), "\(document)")
            #expect(abs(vector.norm - 1) < 1e-6)
        }
    }

    @Test func sublinearTermFrequencyMatchesScikitLearn() {
        let model = TFIDFModel(documents: Self.documents, options: .init(sublinearTF: true))
        #expect(Self.close(Self.dense(model.vector(Self.documents[0]), columns: 5), [0, 0, 0.7157629, 0.5558538, 0.4227411]))
        #expect(Self.close(Self.dense(model.vector(Self.documents[2]), columns: 5), [0, 0.6133555, 0, 0, 0.7898069]))
    }

    @Test func documentFrequencyBoundsAndTermLimitShapeTheVocabulary() {
        let frequent = TFIDFModel(documents: Self.documents, options: .init(minimumDocumentFrequency: 2))
        #expect(frequent.vocabulary == ["robot", "war"])
        #expect(Self.close(Self.dense(frequent.vector(Self.documents[0]), columns: 2), [0.8944272, 0.4472136]))
        let rare = TFIDFModel(documents: Self.documents, options: .init(maximumDocumentFraction: 0.5))
        #expect(rare.vocabulary == ["love", "peace", "space"])
        // Two terms with df 2 (robot, war); the tie between the df-1 terms goes by term order.
        let top = TFIDFModel(documents: Self.documents, options: .init(maximumTerms: 3))
        #expect(top.vocabulary == ["love", "robot", "war"])
    }

    @Test func unknownTermsAndEmptyDocumentsGiveEmptyVectors() {
        let model = TFIDFModel(documents: Self.documents)
        #expect(model.vector(["unicorn", "dragon"]).isEmpty)
        #expect(model.vector([]).isEmpty)
        #expect(model.column(of: "robot") == 2 && model.column(of: "unicorn") == nil)
    }

    @Test func cosineOfUnitVectorsIsTheirDotProduct() {
        let model = TFIDFModel(documents: Self.documents)
        let a = model.vector(Self.documents[0]), b = model.vector(Self.documents[1]), c = model.vector(Self.documents[2])
        #expect(abs(a.dot(a) - 1) < 1e-6)
        // Only 'robot' is shared: 0.7710058 × 0.6053485.
        #expect(abs(a.dot(b) - 0.7710058 * 0.6053485) < 1e-6)
        #expect(b.dot(c) == 0)
        #expect(a.dot(b) == b.dot(a))
    }
}
