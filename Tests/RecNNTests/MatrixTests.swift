import Testing

@testable import RecNN

@Suite("Matrix")
struct MatrixTests {
    @Test func elementsRowsAndConcatenation() {
        var m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m[1, 2] == 6 && m.row(1) == [4, 5, 6])
        m[0, 1] = 9
        #expect(m.values == [1, 9, 3, 4, 5, 6])
        let n = Matrix(rows: [[7], [8]])
        let joined = Matrix.concatenatingColumns([m, n])
        #expect(joined == Matrix(rows: [[1, 9, 3, 7], [4, 5, 6, 8]]))
        #expect(joined.splittingColumns([3, 1]) == [m, n])
        #expect(m + m == Matrix(rows: [[2, 18, 6], [8, 10, 12]]))
        #expect(Matrix(zeros: 2, columns: 0).values.isEmpty)
    }

    /// The four transposition cases of the BLAS product against loops.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func productMatchesLoops(transposeA: Bool, transposeB: Bool) {
        var rng = NNRandom(seed: 4)
        let a = Matrix(
            rows: transposeA ? 4 : 3, columns: transposeA ? 3 : 4, values: (0..<12).map { _ in rng.normal() })
        let b = Matrix(
            rows: transposeB ? 5 : 4, columns: transposeB ? 4 : 5, values: (0..<20).map { _ in rng.normal() })
        let product = Matrix.product(a, transposed: transposeA, b, transposed: transposeB)
        #expect(product.rows == 3 && product.columns == 5)
        for i in 0..<3 {
            for j in 0..<5 {
                let expected = (0..<4).reduce(Float(0)) {
                    $0 + (transposeA ? a[$1, i] : a[i, $1]) * (transposeB ? b[j, $1] : b[$1, j])
                }
                #expect(abs(product[i, j] - expected) < 1e-5)
            }
        }
        let empty = Matrix.product(
            Matrix(zeros: 0, columns: 4), transposed: false, Matrix(zeros: 4, columns: 2), transposed: false)
        #expect(empty.rows == 0 && empty.columns == 2)
        let inner = Matrix.product(
            Matrix(zeros: 2, columns: 0), transposed: false, Matrix(zeros: 0, columns: 3), transposed: false)
        #expect(inner == Matrix(zeros: 2, columns: 3))
    }
}
