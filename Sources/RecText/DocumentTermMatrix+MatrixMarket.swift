/// Matrix Market coordinate files (`%%MatrixMarket matrix coordinate integer general`), the
/// format `scipy.io.mmread` reads: how crossrec hands the very same counts to scikit-learn.
///
/// Rows are documents and columns terms, both 1-based in the file; the vocabulary travels
/// separately (one term per line). Reading sums repeated entries, as `mmread(...).tocsr()` does.
extension DocumentTermMatrix {
    /// Why a Matrix Market text could not be read: `NAME:LINE: message`.
    public struct MatrixMarketError: Error, CustomStringConvertible, Equatable {
        public var source: String
        public var line: Int
        public var message: String

        public var description: String { "\(source):\(line): \(message)" }
    }

    /// The matrix as Matrix Market text: `integer` when every count is whole, else `real`.
    /// O(nonzeros).
    public func matrixMarketText() -> String {
        let whole = counts.allSatisfy { $0 == $0.rounded() && $0 < 1e15 }
        var text = "%%MatrixMarket matrix coordinate \(whole ? "integer" : "real") general\n"
        text += "% documents x terms, written by crossrec\n"
        text += "\(documentCount) \(termCount) \(nonzeroCount)\n"
        text.reserveCapacity(text.utf8.count + nonzeroCount * 16)
        for document in 0..<documentCount {
            for entry in rowOffsets[document]..<rowOffsets[document + 1] {
                let count = counts[entry]
                let value = whole ? String(Int64(count)) : "\(count)"
                text += "\(document + 1) \(columns[entry] + 1) \(value)\n"
            }
        }
        return text
    }

    /// Reads Matrix Market coordinate text (integer or real, general) over `vocabulary`, whose
    /// length must equal the file's column count. `source` names the text in errors.
    public init(matrixMarket text: String, vocabulary: [String], source: String = "<matrix>") throws(MatrixMarketError)
    {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .makeIterator()
        func fail(_ line: Int, _ message: String) -> MatrixMarketError {
            MatrixMarketError(source: source, line: line + 1, message: message)
        }
        guard let (_, banner) = lines.next(), banner.lowercased().hasPrefix("%%matrixmarket") else {
            throw fail(0, "expected the banner '%%MatrixMarket matrix coordinate integer general'")
        }
        let bannerWords = banner.lowercased().split(separator: " ")
        guard bannerWords.count == 5, bannerWords[1] == "matrix", bannerWords[2] == "coordinate",
            ["integer", "real"].contains(bannerWords[3]), bannerWords[4] == "general"
        else {
            throw fail(
                0, "only 'matrix coordinate' files of 'integer' or 'real' values, 'general', are read; got '\(banner)'")
        }
        var size: (rows: Int, columns: Int, entries: Int)?
        var triples: [(row: Int, column: Int32, count: Double)] = []
        while let (number, line) = lines.next() {
            var trimmed = line
            while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
            while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
            if trimmed.isEmpty || trimmed.hasPrefix("%") { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 3 else {
                throw fail(
                    number,
                    "expected three numbers ('\(size == nil ? "rows columns entries" : "row column value")'), got '\(trimmed)'"
                )
            }
            guard let existing = size else {
                guard let rows = Int(fields[0]), let columns = Int(fields[1]), let entries = Int(fields[2]),
                    rows >= 0, columns >= 0, entries >= 0
                else {
                    throw fail(number, "expected 'rows columns entries' as non-negative integers, got '\(trimmed)'")
                }
                guard columns == vocabulary.count else {
                    throw fail(number, "the matrix has \(columns) columns but the vocabulary \(vocabulary.count) terms")
                }
                size = (rows, columns, entries)
                triples.reserveCapacity(entries)
                continue
            }
            guard let row = Int(fields[0]), let column = Int(fields[1]), let count = Double(fields[2]) else {
                throw fail(number, "expected 'row column value', got '\(trimmed)'")
            }
            guard row >= 1, row <= existing.rows, column >= 1, column <= existing.columns else {
                throw fail(
                    number, "entry (\(row), \(column)) lies outside the \(existing.rows) × \(existing.columns) matrix")
            }
            guard count >= 0, count.isFinite else {
                throw fail(number, "a count must be finite and non-negative, got \(fields[2])")
            }
            triples.append((row - 1, Int32(column - 1), count))
        }
        guard let size else { throw fail(0, "no size line ('rows columns entries')") }
        guard triples.count == size.entries else {
            throw MatrixMarketError(
                source: source, line: 0,
                message: "the size line announces \(size.entries) entries, the file holds \(triples.count)")
        }
        triples.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var entriesPerRow = [Int](repeating: 0, count: size.rows)
        var columns: [Int32] = []
        var counts: [Double] = []
        var previous: (row: Int, column: Int32)?
        for triple in triples where triple.count > 0 {
            if let previous, previous.row == triple.row, previous.column == triple.column {
                counts[counts.count - 1] += triple.count
                continue
            }
            columns.append(triple.column)
            counts.append(triple.count)
            entriesPerRow[triple.row] += 1
            previous = (triple.row, triple.column)
        }
        var rowOffsets = [0]
        rowOffsets.reserveCapacity(size.rows + 1)
        for entries in entriesPerRow { rowOffsets.append(rowOffsets[rowOffsets.count - 1] + entries) }
        self.init(vocabulary: vocabulary, rowOffsets: rowOffsets, columns: columns, counts: counts)
    }
}
