/// A compressed sparse row matrix: row `r`'s entries are `columns[rowStarts[r]..<rowStarts[r+1]]`
/// with `values` alongside, columns ascending within a row.
///
/// Built from ``Interactions`` by rows = users (CSR, what user-based loops want) or rows = items
/// (the CSC view of the same matrix, what item-based models want). Duplicate (row, column)
/// pairs are kept as separate entries; ``duplicateCount`` tells how many there are.
/// - Complexity: O(nnz + rows) to build by counting sort plus O(Σ d log d) to order each row.
public struct SparseMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    public private(set) var rowStarts: [Int]
    public private(set) var columns: [Int32]
    public private(set) var values: [Float]

    public enum Orientation: Sendable { case usersByItems, itemsByUsers }

    /// - Parameters:
    ///   - userCount, itemCount: the dimensions (indices in `interactions` must be below them).
    public init(_ interactions: Interactions, userCount: Int, itemCount: Int, orientation: Orientation = .usersByItems) {
        let (rowsColumn, columnsColumn) =
            orientation == .usersByItems ? (interactions.users, interactions.items) : (interactions.items, interactions.users)
        let rowCount = orientation == .usersByItems ? userCount : itemCount
        let columnCount = orientation == .usersByItems ? itemCount : userCount
        self.rowCount = rowCount
        self.columnCount = columnCount
        var starts = [Int](repeating: 0, count: rowCount + 1)
        for row in rowsColumn {
            precondition(Int(row) < rowCount, "row index \(row) out of range 0..<\(rowCount)")
            starts[Int(row) + 1] += 1
        }
        for r in 0..<rowCount { starts[r + 1] += starts[r] }
        var next = starts
        var columns = [Int32](repeating: 0, count: interactions.count)
        var values = [Float](repeating: 0, count: interactions.count)
        for k in 0..<interactions.count {
            let row = Int(rowsColumn[k])
            let slot = next[row]
            next[row] += 1
            columns[slot] = columnsColumn[k]
            values[slot] = interactions.values[k]
        }
        // Order each row by column; the counting sort was stable, so ties keep input order.
        for r in 0..<rowCount {
            let lower = starts[r], upper = starts[r + 1]
            guard upper - lower > 1 else { continue }
            var ordered = true
            for k in lower..<(upper - 1) where columns[k] > columns[k + 1] {
                ordered = false
                break
            }
            if ordered { continue }
            var pairs = (lower..<upper).map { (columns[$0], values[$0], $0) }
            pairs.sort { ($0.0, $0.2) < ($1.0, $1.2) }
            for (offset, pair) in pairs.enumerated() {
                columns[lower + offset] = pair.0
                values[lower + offset] = pair.1
            }
        }
        self.rowStarts = starts
        self.columns = columns
        self.values = values
    }

    public var nonZeroCount: Int { columns.count }

    public func rowRange(_ row: Int) -> Range<Int> { rowStarts[row]..<rowStarts[row + 1] }

    public func rowLength(_ row: Int) -> Int { rowStarts[row + 1] - rowStarts[row] }

    /// Entries that repeat the (row, column) of the entry before them.
    public var duplicateCount: Int {
        var duplicates = 0
        for r in 0..<rowCount {
            let range = rowRange(r)
            guard range.count > 1 else { continue }
            for k in (range.lowerBound + 1)..<range.upperBound where columns[k] == columns[k - 1] { duplicates += 1 }
        }
        return duplicates
    }

    /// Whether `row` has an entry in `column` (binary search).
    public func contains(row: Int, column: Int32) -> Bool {
        var lower = rowStarts[row], upper = rowStarts[row + 1]
        while lower < upper {
            let middle = (lower + upper) / 2
            if columns[middle] < column { lower = middle + 1 } else { upper = middle }
        }
        return lower < rowStarts[row + 1] && columns[lower] == column
    }
}

/// What to do when the same (user, item) pair occurs more than once.
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Keep every row (implicit feedback where repeats are signal).
    case keepAll = "keep-all"
    /// Keep the row with the latest timestamp (the last in file order on ties); the dropped rows are counted.
    case keepLast = "keep-last"
    /// Throw an error naming the pair.
    case reject
}

extension Interactions {
    /// Applies `policy` and returns the number of rows removed (0 for `.keepAll`).
    /// Throws for `.reject` when a pair repeats. The surviving rows keep their file order.
    public mutating func resolveDuplicates(
        _ policy: DuplicatePolicy, userCount: Int, itemCount: Int, describe: (Int32, Int32) -> String
    ) throws(DataError) -> Int {
        guard policy != .keepAll, count > 1 else { return 0 }
        // Rows grouped by user: file order when each user's rows are already contiguous (the
        // MovieLens 1M, 10M and CSV files are sorted by user), else a counting sort by user.
        var groupStarts: [Int32] = [0]
        var rowsByUser: ScratchBuffer<Int32>? = nil
        var contiguous = true
        let seenUser = ScratchBuffer<Bool>(count: userCount)
        for k in 0..<count where k == 0 || users[k] != users[k - 1] {
            let user = Int(users[k])
            if seenUser[user] {
                contiguous = false
                break
            }
            seenUser[user] = true
            if k > 0 { groupStarts.append(Int32(k)) }
        }
        if contiguous {
            groupStarts.append(Int32(count))
        } else {
            var starts = [Int32](repeating: 0, count: userCount + 1)
            for user in users { starts[Int(user) + 1] += 1 }
            for u in 0..<userCount { starts[u + 1] += starts[u] }
            var next = starts
            let order = ScratchBuffer<Int32>(count: count)
            for k in 0..<count {
                let u = Int(users[k])
                order[Int(next[u])] = Int32(k)
                next[u] += 1
            }
            groupStarts = starts
            rowsByUser = order
        }
        var drop: ScratchBuffer<Bool>? = nil
        var dropped = 0
        let lastSeen = ScratchBuffer<Int32>(count: itemCount)  // kept row + 1 per item (0: none), reset per user
        for g in 0..<(groupStarts.count - 1) {
            let range = Int(groupStarts[g])..<Int(groupStarts[g + 1])
            for slot in range {
                let row = rowsByUser.map { Int($0[slot]) } ?? slot
                let item = Int(items[row])
                let previous = Int(lastSeen[item]) - 1
                if previous >= 0 {
                    if policy == .reject {
                        throw DataError(
                            .duplicate, file: "", message: "duplicate interaction \(describe(users[row], items[row]))",
                            hint: "choose a duplicate policy: keep-all or keep-last")
                    }
                    if drop == nil { drop = ScratchBuffer<Bool>(count: count) }
                    // Keep the later timestamp; on ties the later row in file order.
                    if timestamps[row] >= timestamps[previous] {
                        drop![previous] = true
                        lastSeen[item] = Int32(row + 1)
                    } else {
                        drop![row] = true
                    }
                    dropped += 1
                } else {
                    lastSeen[item] = Int32(row + 1)
                }
            }
            for slot in range { lastSeen[Int(items[rowsByUser.map { Int($0[slot]) } ?? slot])] = 0 }
        }
        guard dropped > 0, let drop else { return 0 }
        var kept = Interactions()
        kept.reserveCapacity(count - dropped)
        for k in 0..<count where !drop[k] {
            kept.append(user: users[k], item: items[k], value: values[k], timestamp: timestamps[k])
        }
        self = kept
        return dropped
    }
}
