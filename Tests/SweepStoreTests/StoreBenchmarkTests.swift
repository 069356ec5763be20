import Foundation
import SweepStore
import Testing

/// Throughput of recording noop trials. Not a unit test: runs only when asked, prints numbers and
/// asserts nothing about time. Run it from a release build:
/// `CROSSREC_STORE_BENCHMARK=1 swift test -c release --filter StoreBenchmarkTests`.
@Suite(.serialized) struct StoreBenchmarkTests {
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["CROSSREC_STORE_BENCHMARK"] != nil),
        arguments: [1_000, 10_000, 100_000], SweepStore.Durability.allCases)
    func recordNoopTrials(trials: Int, durability: SweepStore.Durability) throws {
        let result = try SweepStore.benchmark(trials: trials, batchSize: 256, durability: durability)
        print("SweepStore.benchmark: \(result)")
        #expect(result.trials == trials)
        #expect(result.durability == durability)
    }
}
