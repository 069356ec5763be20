import CLinearAlgebra

/// Thin, typed entry points to OpenBLAS/LAPACKE used by the models.
enum LinearAlgebra {
    /// The OpenBLAS thread count is pinned to 1 so results are bit-identical across runs and machines.
    static func useOneThread() { openblas_set_num_threads(1) }
}
