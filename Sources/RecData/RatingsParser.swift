/// Which fields of a delimited interactions file hold what (0-based positions).
public struct InteractionColumns: Sendable, Equatable {
    public var user: Int
    public var item: Int
    /// nil: every row is an implicit event with value 1.
    public var value: Int?
    /// nil: the file has no time (timestamps are 0).
    public var timestamp: Int?

    public init(user: Int, item: Int, value: Int?, timestamp: Int?) {
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
    }

    /// `user, item, rating, timestamp`: the layout of every MovieLens ratings file.
    public static let movieLens = InteractionColumns(user: 0, item: 1, value: 2, timestamp: 3)

    var minimumFieldCount: Int { [user, item, value ?? 0, timestamp ?? 0].max()! + 1 }
}

/// The shared inner loop of every ratings-like file: user, item, optional value and time.
struct RatingsParser {
    var file: String
    var displayName: String
    var separator: FieldSeparator
    var columns: InteractionColumns
    var fieldNames: [String]
    /// Skip the first record (a header).
    var hasHeader: Bool
    /// Accepted value range, e.g. 1...5 for MovieLens 100K.
    var valueRange: ClosedRange<Float>?
    /// Exactly this many fields per record (nil: at least `columns.minimumFieldCount`).
    var exactFieldCount: Int?

    /// Parses the file into `interactions`, interning ids into `users` and `items`.
    /// When `knownOnly` is set, ids must already be in the maps (fold files of a loaded data set).
    /// - Returns: rows read.
    func parse(
        into interactions: inout Interactions, users: inout IDMap, items: inout IDMap, knownOnly: Bool = false
    ) throws(DataError) -> Int {
        let bytes = try FileBytes(path: file)
        return try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) -> Int in
            let capacity = ByteScanner.countLines(raw)
            interactions.reserveCapacity(interactions.count + capacity)
            var scanner = ByteScanner(bytes: raw, separator: separator, file: displayName)
            if hasHeader {
                guard try scanner.next() else {
                    throw DataError(.emptyFile, file: displayName, message: "file has a header but no rows")
                }
            }
            let userField = columns.user, itemField = columns.item
            let minimum = columns.minimumFieldCount
            var rows = 0
            while try scanner.next() {
                if let exact = exactFieldCount {
                    if scanner.fieldCount != exact { try scanner.requireFields(exact, names: fieldNames) }
                } else if scanner.fieldCount < minimum {
                    try scanner.requireFields(minimum, orAtLeast: minimum, names: fieldNames)
                }
                let user: Int32, item: Int32
                if knownOnly {
                    guard let knownUser = users.index(bytes: scanner.bytes(userField)) else {
                        throw unknown(scanner, field: userField, what: "user")
                    }
                    guard let knownItem = items.index(bytes: scanner.bytes(itemField)) else {
                        throw unknown(scanner, field: itemField, what: "item")
                    }
                    user = knownUser
                    item = knownItem
                } else {
                    if scanner.isEmpty(userField) { throw emptyID(scanner, field: userField) }
                    if scanner.isEmpty(itemField) { throw emptyID(scanner, field: itemField) }
                    user = users.intern(bytes: scanner.bytes(userField))
                    item = items.intern(bytes: scanner.bytes(itemField))
                }
                var value: Float = 1
                if let valueField = columns.value {
                    value = try scanner.float(valueField, name: fieldNames[valueField])
                    if let range = valueRange, !range.contains(value) {
                        throw DataError(
                            .badValue, file: displayName, line: scanner.lineNumber, fieldIndex: valueField + 1,
                            fieldName: fieldNames[valueField],
                            message: "expected a value in \(range.lowerBound)…\(range.upperBound), got '\(scanner.preview(valueField))'")
                    }
                }
                var timestamp: Int64 = 0
                if let timeField = columns.timestamp {
                    timestamp = try scanner.int(timeField, name: fieldNames[timeField])
                }
                interactions.append(user: user, item: item, value: value, timestamp: timestamp)
                rows += 1
            }
            return rows
        }
    }

    private func unknown(_ scanner: borrowing ByteScanner, field: Int, what: String) -> DataError {
        DataError(
            .unknownID, file: displayName, line: scanner.lineNumber, fieldIndex: field + 1, fieldName: fieldNames[field],
            message: "\(what) id '\(scanner.preview(field))' does not occur in the full data set",
            hint: "fold files must come from the same release as the ratings file")
    }

    private func emptyID(_ scanner: borrowing ByteScanner, field: Int) -> DataError {
        DataError(
            .badValue, file: displayName, line: scanner.lineNumber, fieldIndex: field + 1, fieldName: fieldNames[field],
            message: "id is empty")
    }
}
