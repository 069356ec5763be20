/// A dense row-major matrix of `Float`: element (r, c) is `values[r * columns + c]`.
///
/// Layers are batch-first: row r of an activation matrix is example r of the batch, so a batch of
/// B examples of width d is a B × d matrix. A matrix is a value; copies share storage until one is
/// written (the copy-on-write of `Array`).
public struct Matrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// `rows × columns` elements, row after row.
    public var values: [Float]

    /// A `rows × columns` matrix over `values` in row-major order.
    /// - Precondition: `values.count == rows * columns`, both sizes non-negative.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix sizes must be non-negative, got \(rows) × \(columns)")
        precondition(
            values.count == rows * columns,
            "Matrix(rows: \(rows), columns: \(columns)) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `rows × columns` matrix of zeros.
    public init(zeros rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    /// A matrix from its rows, each of the same length; `[]` gives a 0 × 0 matrix.
    public init(rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Matrix(rows:) needs rows of equal length")
        self.init(rows: rows.count, columns: columns, values: rows.flatMap { $0 })
    }

    /// Element (row, column).
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, indexMessage(row, column))
            return values[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, indexMessage(row, column))
            values[row * columns + column] = newValue
        }
    }

    /// Row `row` as a slice of `values` (its indices are those of `values`, starting at `row * columns`).
    public func row(_ row: Int) -> ArraySlice<Float> {
        precondition(row >= 0 && row < rows, "row \(row) is outside a matrix of \(rows) rows")
        return values[row * columns..<(row + 1) * columns]
    }

    private func indexMessage(_ row: Int, _ column: Int) -> String {
        "element (\(row), \(column)) is outside a \(rows) × \(columns) matrix"
    }
}
