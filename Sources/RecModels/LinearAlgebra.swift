import CLinearAlgebra

/// Thin, typed entry points to OpenBLAS/LAPACKE used by the models.
enum LinearAlgebra {
    /// The OpenBLAS thread count is pinned to 1 so results are bit-identical across runs and machines.
    static func useOneThread() { openblas_set_num_threads(1) }
    /// OpenBLAS's current thread count (tests set it and read it back).
    static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    private static let upper = CChar(UInt8(ascii: "U"))

    /// Solves A x = b in place for a symmetric positive definite n × n matrix `a` (row-major,
    /// `leadingDimension` floats per row, upper triangle read; overwritten by its Cholesky factor)
    /// and one right-hand side `b` (overwritten by x), by LAPACK `sposv`.
    /// - Returns: LAPACK's info: 0 on success, k > 0 when the leading k × k minor is not positive definite.
    static func solvePositiveDefinite(
        _ a: UnsafeMutablePointer<Float>, order n: Int, leadingDimension: Int,
        rightHandSide b: UnsafeMutablePointer<Float>
    ) -> Int32 {
        LAPACKE_sposv(LAPACK_ROW_MAJOR, upper, Int32(n), 1, a, Int32(leadingDimension), b, 1)
    }

    /// Solves A X = B in place for a symmetric positive definite n × n matrix `a` (row-major, n
    /// floats per row, upper triangle read; overwritten by its Cholesky factor) and the n × m
    /// row-major right-hand sides `b` (overwritten by X), by LAPACK `sposv`: one factorisation
    /// for all m columns.
    /// - Returns: LAPACK's info: 0 on success, k > 0 when the leading k × k minor is not positive definite.
    static func solvePositiveDefinite(
        _ a: UnsafeMutablePointer<Float>, order n: Int, rightHandSides b: UnsafeMutablePointer<Float>, columns m: Int
    ) -> Int32 {
        LAPACKE_sposv(LAPACK_ROW_MAJOR, upper, Int32(n), Int32(m), a, Int32(n), b, Int32(m))
    }

    private static let lower = CChar(UInt8(ascii: "L"))

    /// Replaces the upper triangle of the symmetric positive definite n × n row-major matrix `a`
    /// by the upper triangle of its inverse (LAPACK `spotrf` then `spotri`); the strict lower
    /// triangle is left as it was.
    ///
    /// The row-major upper triangle is, byte for byte, the column-major lower triangle, so LAPACK
    /// works on `a` in place as column-major `L`: LAPACKE's row-major path would first copy the
    /// triangle into a transposed n × n buffer, one more n² × 4 bytes and a copy (EASE's peak memory
    /// and time both ways: docs/model-costs.md).
    /// - Returns: LAPACK's info: 0 on success, k > 0 when the matrix is not positive definite.
    static func invertPositiveDefinite(_ a: UnsafeMutablePointer<Float>, order n: Int) -> Int32 {
        let info = LAPACKE_spotrf(LAPACK_COL_MAJOR, lower, Int32(n), a, Int32(n))
        guard info == 0 else { return info }
        return LAPACKE_spotri(LAPACK_COL_MAJOR, lower, Int32(n), a, Int32(n))
    }
}
