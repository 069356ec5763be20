import RecData
import RecModels
import Testing

@Suite("Memory estimates")
struct MemoryBudgetTests {
    @Test func memAvailableIsReadFromProcMeminfo() {
        let text = "MemTotal:       24683772 kB\nMemFree:        20292648 kB\nMemAvailable:   24000192 kB\n"
        #expect(MemoryBudget.memAvailable(in: text) == 24_000_192 * 1024)
        #expect(MemoryBudget.memAvailable(in: "MemTotal: 1 kB\n") == nil)
        #expect(MemoryBudget.available().bytes > 0)
    }

    @Test func gigabytesKeepThreeSignificantDigits() {
        #expect(MemoryBudget.gigabytes(1_440_000) == "0.00144 GB")
        #expect(MemoryBudget.gigabytes(17_380_561_000) == "17.4 GB")
        #expect(MemoryBudget.gigabytes(173_805_610_000) == "174 GB")
    }

    /// The item-kNN bound never undercounts what the fit keeps, and a limit below it refuses.
    @Test func itemKNNBoundsItsNeighboursAndRefusesAboveTheLimit() throws {
        let data = GroupedInteractions().implicitData
        for neighbors in [0, 5] {
            var model = ItemKNNModel(hyperparameters: .init(neighbors: neighbors))
            try model.fit(data)
            let bound = ItemKNNModel.estimatedBytes(data, neighbors: neighbors)
            #expect(model.neighbourCount * 16 <= bound, "neighbors \(neighbors)")
            #expect(bound <= data.itemCount * (neighbors == 0 ? data.itemCount - 1 : neighbors) * 16)
        }
        let error = try #require(throws: ModelError.self) {
            _ = try trained("itemknn", on: data, parameters: ["max_memory_gb": 0.00001])
        }
        #expect(error.message.hasPrefix("\(data.itemCount) items with all neighbours each: about "), "\(error)")
        #expect(error.message.contains("(max_memory_gb=1e-05)"), "\(error)")
        #expect(error.message.hasSuffix("; or keep fewer with neighbors=K"), "\(error)")
    }
}
