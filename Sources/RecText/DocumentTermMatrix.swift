/// Documents as bags of words: term counts over a fixed vocabulary, one compressed sparse row
/// (CSR) per document. What ``LDATrainer`` fits and ``LDAModel`` transforms; scikit-learn's
/// `CountVectorizer` output in the same shape.
///
/// Row d holds `columns[rowOffsets[d]..<rowOffsets[d + 1]]` (strictly increasing term indices)
/// and their `counts` (positive). Terms outside the vocabulary are dropped when counting.
/// - Complexity: O(documents + nonzeros) memory; counting O(total terms · log(terms per document)).
public struct DocumentTermMatrix: Sendable, Hashable {
    /// Column → term.
    public let vocabulary: [String]
    /// `documentCount + 1` offsets into ``columns`` and ``counts``, starting at 0.
    public let rowOffsets: [Int]
    public let columns: [Int32]
    public let counts: [Double]

    public var documentCount: Int { rowOffsets.count - 1 }
    public var termCount: Int { vocabulary.count }
    public var nonzeroCount: Int { columns.count }
    /// Σ of every count: the number of word tokens (the denominator of perplexity).
    public var totalCount: Double { counts.reduce(0, +) }

    /// A matrix from its parts. Invalid parts are a programmer error (the message says which).
    public init(vocabulary: [String], rowOffsets: [Int], columns: [Int32], counts: [Double]) {
        precondition(
            rowOffsets.first == 0 && rowOffsets.last == columns.count, "rowOffsets must run from 0 to nonzeroCount")
        precondition(
            columns.count == counts.count, "columns (\(columns.count)) and counts (\(counts.count)) differ in length")
        for row in 0..<(rowOffsets.count - 1) {
            let range = rowOffsets[row]..<rowOffsets[row + 1]
            precondition(range.lowerBound <= range.upperBound, "rowOffsets decrease at row \(row)")
            var previous: Int32 = -1
            for entry in range {
                precondition(
                    columns[entry] > previous && Int(columns[entry]) < vocabulary.count,
                    "row \(row): column \(columns[entry]) is out of order or outside the \(vocabulary.count)-term vocabulary"
                )
                precondition(
                    counts[entry] > 0 && counts[entry].isFinite, "row \(row): count \(counts[entry]) is not positive")
                previous = columns[entry]
            }
        }
        self.vocabulary = vocabulary
        self.rowOffsets = rowOffsets
        self.columns = columns
        self.counts = counts
    }

    /// Counts `documents` (each a list of terms, e.g. ``TextAnalyzer/terms(of:)``) over `vocabulary`.
    public init(documents: [[String]], vocabulary: [String]) {
        var index: [String: Int32] = [:]
        for (column, term) in vocabulary.enumerated() { index[term] = Int32(column) }
        var rowOffsets = [0]
        var columns: [Int32] = []
        var counts: [Double] = []
        rowOffsets.reserveCapacity(documents.count + 1)
        var known: [Int32] = []
        for document in documents {
            known.removeAll(keepingCapacity: true)
            for term in document { if let column = index[term] { known.append(column) } }
            known.sort()
            var position = 0
            while position < known.count {
                var end = position + 1
                while end < known.count && known[end] == known[position] { end += 1 }
                columns.append(known[position])
                counts.append(Double(end - position))
                position = end
            }
            rowOffsets.append(columns.count)
        }
        self.init(unchecked: vocabulary, rowOffsets: rowOffsets, columns: columns, counts: counts)
    }

    /// Counts `documents` over the vocabulary that ``TFIDFModel`` fits on them with `options`
    /// (document-frequency bounds, `maximumTerms`; terms in term order), so a topic model and a
    /// TF-IDF model of the same texts share their columns.
    public init(documents: [[String]], options: TFIDFModel.Options) {
        self.init(documents: documents, vocabulary: TFIDFModel(documents: documents, options: options).vocabulary)
    }

    /// Parts already known to be valid (built here).
    init(unchecked vocabulary: [String], rowOffsets: [Int], columns: [Int32], counts: [Double]) {
        self.vocabulary = vocabulary
        self.rowOffsets = rowOffsets
        self.columns = columns
        self.counts = counts
    }

    /// The rows `documents`, in that order, over the same vocabulary.
    public func rows(_ documents: some Sequence<Int>) -> DocumentTermMatrix {
        var offsets = [0]
        var columns: [Int32] = []
        var counts: [Double] = []
        for document in documents {
            let range = rowOffsets[document]..<rowOffsets[document + 1]
            columns.append(contentsOf: self.columns[range])
            counts.append(contentsOf: self.counts[range])
            offsets.append(columns.count)
        }
        return DocumentTermMatrix(unchecked: vocabulary, rowOffsets: offsets, columns: columns, counts: counts)
    }

    /// The number of word tokens of document `document`.
    public func length(of document: Int) -> Double {
        counts[rowOffsets[document]..<rowOffsets[document + 1]].reduce(0, +)
    }
}
