import Testing

@testable import RecData

@Suite("Cold-items split")
struct ColdItemsSplitTests {
    /// 9 items with rows (item 7 has none) over 4 users. First (earliest) row per item:
    /// item 3 at 50 (its file-first row is at 900), 0 at 100, 2 at 200, 6 at 300, 1 at 500, 9 at
    /// 600, 4 and 5 both at 700, 8 at 800. So by time the latest are 8, then 5 (the tie with 4 goes
    /// to the larger index), then 4.
    static func fixture() -> Interactions {
        let rows: [(user: Int32, item: Int32, time: Int64)] = [
            (0, 3, 900), (0, 0, 100), (0, 2, 200), (1, 6, 300), (1, 1, 500), (1, 3, 50), (2, 9, 600),
            (2, 5, 700), (2, 4, 700), (3, 8, 800), (3, 0, 150), (3, 5, 950), (0, 8, 810), (1, 9, 620),
            (2, 1, 510), (3, 4, 705), (0, 6, 330),
        ]
        var interactions = Interactions()
        for row in rows { interactions.append(user: row.user, item: row.item, value: 1, timestamp: row.time) }
        return interactions
    }

    /// Every row of a cold item is in test, none in train; every other row is in train; nothing lost.
    static func checkPartition(_ split: Split, of rows: Interactions) throws {
        let cold = Set(try #require(split.coldItems))
        #expect(split.coldItems == split.coldItems?.sorted(), "listed ascending")
        #expect(split.train.items.allSatisfy { !cold.contains($0) }, "no training row of a cold item")
        #expect(split.test.items.allSatisfy { cold.contains($0) }, "only cold items' rows in test")
        #expect(split.test.count == rows.items.filter { cold.contains($0) }.count, "all of their rows")
        #expect(split.train.count + split.test.count == rows.count)
    }

    @Test func byTimeHoldsOutTheItemsWhoseFirstRowIsLatest() throws {
        let rows = Self.fixture()
        let two = try Splitting.coldItems(rows, testFraction: 0.2, seed: 1, by: .time)  // round(9 × 0.2) = 2
        #expect(two.coldItems == [5, 8], "8 arrived last; 5 beats 4 on the tie at 700 by its index")
        try Self.checkPartition(two, of: rows)
        #expect(two.name == "cold-items-time-0.2")
        let three = try Splitting.coldItems(rows, testFraction: 0.34, seed: 1, by: .time)  // round(3.06) = 3
        #expect(three.coldItems == [4, 5, 8])
        try Self.checkPartition(three, of: rows)
        // Item 3's first row in the file is the latest of all (900) but its first row in time is the
        // earliest (50): it is the oldest item, never cold.
        let most = try Splitting.coldItems(rows, testFraction: 0.88, seed: 1, by: .time)  // round(7.92) = 8
        #expect(most.coldItems == [0, 1, 2, 4, 5, 6, 8, 9])
        // The seed draws nothing by time.
        #expect(try Splitting.coldItems(rows, testFraction: 0.34, seed: 99, by: .time).coldItems == three.coldItems)
    }

    @Test func randomHoldsOutASeededDrawOfTheItemsWithRows() throws {
        let rows = Self.fixture()
        let split = try Splitting.coldItems(rows, testFraction: 0.34, seed: 1)  // round(9 × 0.34) = 3
        #expect(split.coldItems == [0, 1, 4], "the SplitMix64 shuffle of seed 1 (checked by a Python reimplementation)")
        #expect(split.name == "cold-items-0.34-seed1")
        try Self.checkPartition(split, of: rows)
        #expect(try Splitting.coldItems(rows, testFraction: 0.34, seed: 1) == split, "deterministic")
        let other = try Splitting.coldItems(rows, testFraction: 0.34, seed: 2, by: .random)
        #expect(other.coldItems == [0, 2, 3], "another seed, another draw")
        try Self.checkPartition(other, of: rows)
        // Over many seeds, every item with rows is drawn sometime and item 7 (no rows) never.
        var drawn = Set<Int32>()
        for seed in 0..<40 { drawn.formUnion(try Splitting.coldItems(rows, testFraction: 0.34, seed: UInt64(seed)).coldItems!) }
        #expect(drawn == [0, 1, 2, 3, 4, 5, 6, 8, 9])
    }

    @Test(arguments: [0.0, 1.0, -0.2, 1.5, Double.nan])
    func fractionOutsideTheOpenIntervalIsRefused(fraction: Double) {
        #expect(throws: DataError.self) { try Splitting.coldItems(Self.fixture(), testFraction: fraction, seed: 1) }
    }

    /// round(n × f) must leave at least one cold item and one training item.
    @Test func aFractionThatRoundsToNoItemOrEveryItemIsRefused() throws {
        let rows = Self.fixture()
        let none = try #require(throws: DataError.self) { try Splitting.coldItems(rows, testFraction: 0.05, seed: 1) }
        #expect(none.kind == .invalidArgument)
        #expect(none.description.contains("round(9 items × 0.05) = 0 items"), "\(none)")
        #expect(throws: DataError.self) { try Splitting.coldItems(rows, testFraction: 0.95, seed: 1, by: .time) }
        #expect(throws: DataError.self) { try Splitting.coldItems(Interactions(), testFraction: 0.2, seed: 1) }
    }

    /// Other splits hold out rows, not items.
    @Test func rowSplitsListNoColdItems() throws {
        #expect(try Splitting.randomHoldout(Self.fixture(), testFraction: 0.2, seed: 1).coldItems == nil)
        #expect(try Splitting.coldUsers(Self.fixture(), testFraction: 0.5, seed: 1).coldItems == nil)
    }
}
