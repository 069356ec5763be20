internal import Foundation

/// A sparse vector: strictly increasing column indices and their values.
public struct SparseVector: Sendable, Hashable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "indices and values differ in length")
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }

    /// Σ aᵢ·bᵢ over the columns both hold (a merge of the two index lists, O(nnz a + nnz b)),
    /// accumulated in Double.
    public func dot(_ other: SparseVector) -> Double {
        var i = 0, j = 0
        var sum = 0.0
        while i < indices.count && j < other.indices.count {
            if indices[i] == other.indices[j] {
                sum += Double(values[i]) * Double(other.values[j])
                i += 1
                j += 1
            } else if indices[i] < other.indices[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// √(Σ vᵢ²).
    public var norm: Double { values.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
}

/// TF-IDF over a fitted vocabulary, with scikit-learn's default weighting so figures can be
/// checked against `TfidfVectorizer`:
///
/// - tf(t, d) = count of t in d, or 1 + ln(count) with `sublinearTF`;
/// - idf(t) = ln((1 + n) / (1 + df(t))) + 1, n documents, df(t) documents containing t;
/// - each vector is tf·idf scaled to unit Euclidean length (an empty document stays empty).
///
/// The vocabulary holds the terms with `minimumDocumentFrequency ≤ df ≤ maximumDocumentFraction·n`,
/// the `maximumTerms` most frequent of them when set (ties by term), indexed in term order, so the
/// same documents always give the same columns. Terms outside it are ignored when scoring.
/// Fit: O(total terms + V log V); a vector: O(terms in the document · log).
public struct TFIDFModel: Sendable, Hashable {
    public struct Options: Sendable, Hashable {
        public var minimumDocumentFrequency: Int
        public var maximumDocumentFraction: Double
        public var maximumTerms: Int?
        public var sublinearTF: Bool

        public init(
            minimumDocumentFrequency: Int = 1, maximumDocumentFraction: Double = 1, maximumTerms: Int? = nil,
            sublinearTF: Bool = false
        ) {
            self.minimumDocumentFrequency = minimumDocumentFrequency
            self.maximumDocumentFraction = maximumDocumentFraction
            self.maximumTerms = maximumTerms
            self.sublinearTF = sublinearTF
        }
    }

    public let options: Options
    /// Column → term, in term order.
    public let vocabulary: [String]
    /// Column → idf.
    public let inverseDocumentFrequency: [Float]
    public let documentCount: Int
    private let columns: [String: Int32]

    /// Fits the vocabulary and idf on `documents` (each a list of terms, e.g. ``TextAnalyzer/terms(_:)``).
    public init(documents: [[String]], options: Options = Options()) {
        precondition(options.minimumDocumentFrequency >= 1, "minimumDocumentFrequency must be at least 1")
        precondition(
            options.maximumDocumentFraction > 0 && options.maximumDocumentFraction <= 1,
            "maximumDocumentFraction must be in (0, 1]")
        var documentFrequency: [String: Int] = [:]
        for document in documents {
            for term in Set(document) { documentFrequency[term, default: 0] += 1 }
        }
        let n = documents.count
        let ceiling = options.maximumDocumentFraction * Double(n)
        var kept = documentFrequency.filter { $0.value >= options.minimumDocumentFrequency && Double($0.value) <= ceiling }
        if let limit = options.maximumTerms, kept.count > limit {
            let top = kept.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(max(0, limit))
            kept = Dictionary(uniqueKeysWithValues: top.map { ($0.key, $0.value) })
        }
        vocabulary = kept.keys.sorted()
        var columns: [String: Int32] = [:]
        for (column, term) in vocabulary.enumerated() { columns[term] = Int32(column) }
        self.columns = columns
        inverseDocumentFrequency = vocabulary.map { Float(Self.idf(documentFrequency: kept[$0]!, documents: n)) }
        documentCount = n
        self.options = options
    }

    /// ln((1 + n) / (1 + df)) + 1.
    public static func idf(documentFrequency: Int, documents: Int) -> Double {
        log((1 + Double(documents)) / (1 + Double(documentFrequency))) + 1
    }

    /// The column of `term`, if it is in the vocabulary.
    public func column(of term: String) -> Int32? { columns[term] }

    /// The unit-length TF-IDF vector of a document's terms.
    public func vector(_ terms: [String]) -> SparseVector {
        var counts: [Int32: Int] = [:]
        for term in terms {
            if let column = columns[term] { counts[column, default: 0] += 1 }
        }
        let indices = counts.keys.sorted()
        var values = indices.map { column -> Double in
            let count = Double(counts[column]!)
            let tf = options.sublinearTF ? 1 + log(count) : count
            return tf * Double(inverseDocumentFrequency[Int(column)])
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { values = values.map { $0 / norm } }
        return SparseVector(indices: indices, values: values.map(Float.init))
    }
}
