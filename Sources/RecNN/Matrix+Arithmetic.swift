import CLinearAlgebra

extension Matrix {
    /// The elementwise sum; both matrices must have the same shape (e.g. the gradients of two
    /// branches that read the same input).
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        var sum = lhs
        sum += rhs
        return sum
    }

    /// Adds `rhs` elementwise.
    public static func += (lhs: inout Matrix, rhs: Matrix) {
        precondition(
            lhs.rows == rhs.rows && lhs.columns == rhs.columns,
            "adding a \(rhs.rows) × \(rhs.columns) matrix to a \(lhs.rows) × \(lhs.columns) one")
        lhs.values.withUnsafeMutableBufferPointer { l in
            rhs.values.withUnsafeBufferPointer { r in
                for k in l.indices { l[k] += r[k] }
            }
        }
    }

    /// The matrices side by side: row r is row r of each part in turn (e.g. a user's id embedding
    /// beside the mean of their genre embeddings). All parts need the same number of rows.
    /// - Complexity: O(rows × total columns).
    public static func concatenatingColumns(_ parts: [Matrix]) -> Matrix {
        guard let rows = parts.first?.rows else { return Matrix(zeros: 0, columns: 0) }
        precondition(
            parts.allSatisfy { $0.rows == rows },
            "concatenatingColumns needs parts of equal row counts, got \(parts.map(\.rows))")
        let columns = parts.reduce(0) { $0 + $1.columns }
        var values = [Float]()
        values.reserveCapacity(rows * columns)
        for row in 0..<rows {
            for part in parts { values.append(contentsOf: part.row(row)) }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }

    /// The inverse of ``concatenatingColumns(_:)``: consecutive column blocks of the given widths,
    /// which must add up to `columns` (e.g. a concatenated input's gradient split back per branch).
    public func splittingColumns(_ widths: [Int]) -> [Matrix] {
        precondition(
            widths.allSatisfy { $0 >= 0 } && widths.reduce(0, +) == columns,
            "splittingColumns(\(widths)) must add up to the matrix's \(columns) columns")
        var start = 0
        return widths.map { width in
            var values = [Float]()
            values.reserveCapacity(rows * width)
            for row in 0..<rows {
                let base = row * columns + start
                values.append(contentsOf: self.values[base..<base + width])
            }
            start += width
            return Matrix(rows: rows, columns: width, values: values)
        }
    }

    /// op(a) · op(b), where op transposes when asked, by OpenBLAS `cblas_sgemm`.
    /// - Complexity: m × n × k multiply-adds for an m × k by k × n product.
    public static func product(
        _ a: Matrix, transposed transposeA: Bool = false, _ b: Matrix, transposed transposeB: Bool = false
    )
        -> Matrix
    {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var result = [Float](repeating: 0, count: m * n)
        multiplyAdd(a, transposed: transposeA, b, transposed: transposeB, into: &result, scale: 1, keep: 0)
        return Matrix(rows: m, columns: n, values: result)
    }

    /// c ← scale · op(a) · op(b) + keep · c for a row-major `c` of op(a).rows × op(b).columns, by
    /// OpenBLAS `cblas_sgemm`. Empty products leave `keep · c` (zero-sized BLAS calls are skipped,
    /// as OpenBLAS rejects a leading dimension of 0).
    static func multiplyAdd(
        _ a: Matrix, transposed transposeA: Bool, _ b: Matrix, transposed transposeB: Bool,
        into c: inout [Float], scale: Float, keep: Float
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        let kB = transposeB ? b.columns : b.rows
        precondition(k == kB, "cannot multiply: inner sizes \(k) and \(kB) differ")
        precondition(c.count == m * n, "product of \(m) × \(n) into \(c.count) floats")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for index in c.indices { c[index] = keep == 0 ? 0 : keep * c[index] }
            return
        }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(k), scale, pa.baseAddress, blasint(a.columns),
                        pb.baseAddress, blasint(b.columns), keep, pc.baseAddress, blasint(n))
                }
            }
        }
    }
}
