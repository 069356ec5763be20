import RecData
import Testing

@testable import RecModels

@Suite("Two-tower model and OpenBLAS threads")
struct TwoTowerThreadsTests {
    /// A fit pins OpenBLAS to one thread, as every other model does: its pool of spinning
    /// threads made two folds fitted in one process 2.5 times slower, and a sweep worker per core
    /// would each start one.
    @Test func aFitRunsOpenBLASOnOneThread() throws {
        let (data, _) = UnifiedModelTests.data()
        LinearAlgebra.threads = 2
        _ = try trained("twotower", on: data, parameters: TwoTowerModelTests.small(["epochs": 1]), seed: 1)
        #expect(LinearAlgebra.threads == 1)
    }
}
