/// User-item interactions stored as columns: 20 bytes per interaction.
///
/// Row `k` is (`users[k]`, `items[k]`, `values[k]`, `timestamps[k]`). Users and items are dense
/// indices into the data set's ``IDMap``s. `values` holds ratings for explicit data and 1 for
/// clicks; `timestamps` holds Unix seconds, or 0 when the source has no time.
public struct Interactions: Sendable, Equatable {
    public var users: [Int32]
    public var items: [Int32]
    public var values: [Float]
    public var timestamps: [Int64]

    public init() {
        users = []
        items = []
        values = []
        timestamps = []
    }

    public init(users: [Int32], items: [Int32], values: [Float], timestamps: [Int64]) {
        precondition(
            users.count == items.count && items.count == values.count && values.count == timestamps.count,
            "Interactions columns differ in length: \(users.count) \(items.count) \(values.count) \(timestamps.count)")
        self.users = users
        self.items = items
        self.values = values
        self.timestamps = timestamps
    }

    public var count: Int { users.count }
    public var isEmpty: Bool { users.isEmpty }

    public mutating func reserveCapacity(_ capacity: Int) {
        users.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        timestamps.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func append(user: Int32, item: Int32, value: Float, timestamp: Int64) {
        users.append(user)
        items.append(item)
        values.append(value)
        timestamps.append(timestamp)
    }

    /// The rows at `indices`, in that order.
    public func subset<S: Sequence<Int>>(_ indices: S) -> Interactions {
        var result = Interactions()
        result.reserveCapacity(indices.underestimatedCount)
        for row in indices {
            result.append(user: users[row], item: items[row], value: values[row], timestamp: timestamps[row])
        }
        return result
    }

    /// Bytes held by the columns' storage (capacity, not count).
    public var columnBytes: Int {
        users.capacity * 4 + items.capacity * 4 + values.capacity * 4 + timestamps.capacity * 8
    }

    /// Distinct users and items that occur at least once.
    public func activeCounts() -> (users: Int, items: Int) {
        func distinct(_ column: [Int32]) -> Int {
            guard let maximum = column.max() else { return 0 }
            var seen = [Bool](repeating: false, count: Int(maximum) + 1)
            var count = 0
            for value in column where !seen[Int(value)] {
                seen[Int(value)] = true
                count += 1
            }
            return count
        }
        return (distinct(users), distinct(items))
    }
}
