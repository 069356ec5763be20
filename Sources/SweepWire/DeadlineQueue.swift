/// A min-heap of deadlines for a protocol core: push is O(log n), the earliest is O(1), and
/// entries are never removed early. The core validates each popped entry against its state
/// (is that lease still current, is that worker still silent) and ignores stale ones, so moving
/// a deadline is a push rather than a search. `compact(keeping:)` drops stale entries in O(n)
/// when they outnumber the live ones, which keeps memory proportional to what is live.
///
/// Ties pop in push order, so the same pushes give the same pops (determinism).
struct DeadlineQueue<Key: Sendable & Hashable>: Sendable {
    struct Entry: Sendable {
        var at: ProtocolInstant
        var sequence: UInt64
        var key: Key
    }

    private(set) var entries: [Entry] = []
    private var sequence: UInt64 = 0

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The earliest deadline, if any.
    var earliest: ProtocolInstant? { entries.first?.at }

    mutating func push(_ key: Key, at instant: ProtocolInstant) {
        sequence += 1
        entries.append(Entry(at: instant, sequence: sequence, key: key))
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest entry if it is due by `now`.
    mutating func popDue(_ now: ProtocolInstant) -> (key: Key, at: ProtocolInstant)? {
        guard let first = entries.first, first.at <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (first.key, first.at)
    }

    /// Keeps only the entries `isLive` accepts, rebuilding the heap. O(n).
    mutating func compact(keeping isLive: (Key) -> Bool) {
        entries.removeAll { !isLive($0.key) }
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private static func precedes(_ lhs: Entry, _ rhs: Entry) -> Bool {
        lhs.at < rhs.at || (lhs.at == rhs.at && lhs.sequence < rhs.sequence)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            var smallest = left
            let right = left + 1
            if right < entries.count, Self.precedes(entries[right], entries[left]) { smallest = right }
            guard Self.precedes(entries[smallest], entries[parent]) else { return }
            entries.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
