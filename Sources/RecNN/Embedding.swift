/// A lookup table of `count` vectors of `dimension` values: id i ↦ row i of the table E.
///
/// Id −1 means unknown or absent (a user not in the training data, a missing feature): it looks up
/// a row of zeros and receives no gradient. Ids below −1 or ≥ `count` are programmer errors.
///
/// The table is a row-sparse ``Parameter``: backward adds into the rows of the looked-up ids and
/// records them as touched, so an ``AdamW`` step updates only those rows (lazy Adam).
///
/// - Complexity: forward and backward O(B × dimension) for B ids; memory 4 × count × dimension
///   floats (table, gradient, two moments).
public struct Embedding: Trainable, Sendable {
    /// E, count × dimension, row-sparse.
    public var table: Parameter
    public let count: Int
    public let dimension: Int

    /// A table with entries drawn from N(0, std²).
    /// - Parameter decays: whether AdamW's weight decay applies to looked-up rows.
    public init(count: Int, dimension: Int, std: Float = 0.1, decays: Bool = true, rng: inout NNRandom) {
        precondition(count > 0 && dimension > 0, "Embedding needs positive sizes, got \(count) × \(dimension)")
        var values = [Float](repeating: 0, count: count * dimension)
        for k in values.indices { values[k] = rng.normal(mean: 0, std: std) }
        self.init(table: Matrix(rows: count, columns: dimension, values: values), decays: decays)
    }

    /// An embedding over the given table (count × dimension).
    public init(table: Matrix, decays: Bool = true) {
        self.count = table.rows
        self.dimension = table.columns
        self.table = Parameter(
            name: "embedding.table", value: table.values, shape: [table.rows, table.columns], decays: decays,
            rowSparse: true)
    }

    public mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        body(&table)
    }

    /// Row b is E[ids[b]], or zeros for id −1: a B × dimension matrix.
    public func forward(ids: [Int32]) -> Matrix {
        var output = [Float](repeating: 0, count: ids.count * dimension)
        let width = dimension
        output.withUnsafeMutableBufferPointer { y in
            table.value.withUnsafeBufferPointer { e in
                for (b, id) in ids.enumerated() {
                    guard let row = checkedRow(id) else { continue }
                    (y.baseAddress! + b * width).update(from: e.baseAddress! + row * width, count: width)
                }
            }
        }
        return Matrix(rows: ids.count, columns: dimension, values: output)
    }

    /// ∂E[ids[b]] += gradOutput row b for every id ≠ −1 (an id seen twice gets both rows), and marks
    /// those rows touched.
    public mutating func backward(ids: [Int32], gradOutput: Matrix) {
        precondition(
            gradOutput.rows == ids.count && gradOutput.columns == dimension,
            "Embedding.backward expects a \(ids.count) × \(dimension) gradient, got \(gradOutput.rows) × \(gradOutput.columns)"
        )
        for (b, id) in ids.enumerated() {
            guard let row = checkedRow(id) else { continue }
            addToRow(row, gradOutput.values, from: b * dimension, scale: 1)
        }
    }

    /// The row of `id`, nil for −1.
    @inline(__always)
    func checkedRow(_ id: Int32) -> Int? {
        if id == -1 { return nil }
        precondition(id >= 0 && Int(id) < count, "embedding id \(id) is outside 0..<\(count) (use −1 for unknown)")
        return Int(id)
    }

    /// ∂E[row] += scale · source[start..<start + dimension]; marks the row touched.
    @inline(__always)
    mutating func addToRow(_ row: Int, _ source: [Float], from start: Int, scale: Float) {
        table.touch(row: row)
        let width = dimension
        table.gradient.withUnsafeMutableBufferPointer { g in
            source.withUnsafeBufferPointer { s in
                let target = row * width
                for j in 0..<width { g[target + j] += scale * s[start + j] }
            }
        }
    }
}
