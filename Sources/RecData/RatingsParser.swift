import Foundation

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
    /// Ids are numbers (MovieLens): an id that is not a non-negative integer (`-5`, `u12`) is an
    /// error naming the line. Generic files leave this off: their ids are strings, `-5` included.
    var numericIDs = false

    /// Values of larger magnitude are legal but suspicious: above 2^24 a 32-bit float no longer
    /// holds every integer, and a squared-error model is dominated by one such row.
    static let largeValueLimit: Float = 16_777_216

    /// The first value beyond ``largeValueLimit`` and how many there were, for a warning.
    struct LargeValues: Sendable, Equatable {
        var count = 0
        var line = 0
        var text = ""
    }

    /// Parses the file into `interactions`, interning ids into `users` and `items`.
    /// When `knownOnly` is set, ids must already be in the maps (fold files of a loaded data set).
    ///
    /// Columns are allocated once with the file's line count as capacity, so they hold no slack.
    /// Lines in the MovieLens shape (numeric ids, then value and time) go through a fused
    /// single-pass kernel; any other line (string ids, quotes, an error) is handed to the general
    /// field scanner, which also produces the error message.
    /// - Returns: rows read.
    func parse(
        into interactions: inout Interactions, users: inout IDMap, items: inout IDMap, knownOnly: Bool = false
    ) throws(DataError) -> Int {
        var large = LargeValues()
        return try parse(into: &interactions, users: &users, items: &items, knownOnly: knownOnly, largeValues: &large)
    }

    /// ``parse(into:users:items:knownOnly:)``, also counting values beyond ``largeValueLimit``.
    func parse(
        into interactions: inout Interactions, users: inout IDMap, items: inout IDMap, knownOnly: Bool,
        largeValues: inout LargeValues
    ) throws(DataError) -> Int {
        precondition(interactions.isEmpty, "RatingsParser fills a fresh Interactions")
        let bytes = try FileBytes(path: file)
        let raw = bytes.buffer
        let capacity = ByteScanner.countLines(raw)
        var rows = 0
        var failure: DataError?
        var usersColumn = [Int32](), itemsColumn = [Int32](), valuesColumn = [Float](), timesColumn = [Int64]()
        usersColumn = [Int32](unsafeUninitializedCapacity: capacity) { userBuffer, userCount in
            itemsColumn = [Int32](unsafeUninitializedCapacity: capacity) { itemBuffer, itemCount in
                valuesColumn = [Float](unsafeUninitializedCapacity: capacity) { valueBuffer, valueCount in
                    timesColumn = [Int64](unsafeUninitializedCapacity: capacity) { timeBuffer, timeCount in
                        let output = Columns(users: userBuffer, items: itemBuffer, values: valueBuffer, timestamps: timeBuffer)
                        do throws(DataError) {
                            rows = try fill(
                                output, raw: raw, users: &users, items: &items, knownOnly: knownOnly,
                                largeValues: &largeValues)
                        } catch {
                            failure = error
                        }
                        timeCount = rows
                    }
                    valueCount = rows
                }
                itemCount = rows
            }
            userCount = rows
        }
        withExtendedLifetime(bytes) {}
        if let failure { throw failure }
        interactions = Interactions(users: usersColumn, items: itemsColumn, values: valuesColumn, timestamps: timesColumn)
        return rows
    }

    struct Columns {
        var users: UnsafeMutableBufferPointer<Int32>
        var items: UnsafeMutableBufferPointer<Int32>
        var values: UnsafeMutableBufferPointer<Float>
        var timestamps: UnsafeMutableBufferPointer<Int64>
    }

    private func fill(
        _ output: Columns, raw: UnsafeRawBufferPointer, users: inout IDMap, items: inout IDMap, knownOnly: Bool,
        largeValues: inout LargeValues
    ) throws(DataError) -> Int {
        var scanner = ByteScanner(bytes: raw, separator: separator, file: displayName)
        if hasHeader {
            guard try scanner.next() else {
                throw DataError(.emptyFile, file: displayName, message: "file has a header but no rows")
            }
        }
        let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let end = raw.count
        var position = scanner.position
        var line = scanner.nextLine
        // The fused kernel applies to exactly `user, item, value, time` with a one- or two-byte separator.
        let kernel: (first: UInt8, double: Bool)?
        switch separator {
        case .byte(let byte) where columns == .movieLens && exactFieldCount == 4: kernel = (byte, false)
        case .doubleColon where columns == .movieLens && exactFieldCount == 4: kernel = (UInt8(ascii: ":"), true)
        default: kernel = nil
        }
        var rows = 0
        while position < end {
            if let kernel,
                let parsed = RatingsKernel.parseLine(base, position, end, separator: kernel.first, double: kernel.double),
                parsed.user < IDMap.numericLimit, parsed.item < IDMap.numericLimit,
                valueRange?.contains(parsed.value) ?? true
            {
                let user: Int32?, item: Int32?
                if knownOnly {
                    user = users.index(number: parsed.user)
                    item = items.index(number: parsed.item)
                } else {
                    user = users.intern(number: parsed.user)
                    item = items.intern(number: parsed.item)
                }
                if let user, let item {
                    if abs(parsed.value) > Self.largeValueLimit {
                        if largeValues.count == 0 { largeValues.line = line; largeValues.text = "\(parsed.value)" }
                        largeValues.count += 1
                    }
                    output.users[rows] = user
                    output.items[rows] = item
                    output.values[rows] = parsed.value
                    output.timestamps[rows] = parsed.timestamp
                    rows += 1
                    position = parsed.next
                    line += 1
                    continue
                }
            }
            // General path for this one line (or the blank lines before it).
            scanner.seek(to: position, line: line)
            guard try scanner.next() else { break }
            try parseGeneral(scanner, into: output, row: rows, users: &users, items: &items, knownOnly: knownOnly)
            if abs(output.values[rows]) > Self.largeValueLimit, let valueField = columns.value {
                if largeValues.count == 0 {
                    largeValues.line = scanner.lineNumber
                    largeValues.text = scanner.preview(valueField)
                }
                largeValues.count += 1
            }
            rows += 1
            position = scanner.position
            line = scanner.nextLine
        }
        return rows
    }

    private func parseGeneral(
        _ scanner: borrowing ByteScanner, into output: Columns, row: Int, users: inout IDMap, items: inout IDMap, knownOnly: Bool
    ) throws(DataError) {
        let userField = columns.user, itemField = columns.item
        let minimum = columns.minimumFieldCount
        if let exact = exactFieldCount {
            if scanner.fieldCount != exact { try scanner.requireFields(exact, names: fieldNames) }
        } else if scanner.fieldCount < minimum {
            try scanner.requireFields(minimum, orAtLeast: minimum, names: fieldNames)
        }
        if numericIDs {
            for field in [userField, itemField] where (ByteScanner.parseInt(scanner.bytes(field)) ?? -1) < 0 {
                throw DataError(
                    .badValue, file: displayName, line: scanner.lineNumber, fieldIndex: field + 1,
                    fieldName: fieldNames[field],
                    message: "expected a non-negative integer id, got '\(scanner.preview(field))'",
                    hint: "MovieLens ids are numbers; fix the row, or read the file with --layout generic (ids as strings)")
            }
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
        output.users[row] = user
        output.items[row] = item
        output.values[row] = value
        output.timestamps[row] = timestamp
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

/// The fused single-pass parser for `user SEP item SEP value SEP time` lines with canonical
/// numeric ids. Returns nil for anything else; the caller then uses the general scanner, which
/// either handles the line (string ids, spaces, exponents) or reports the precise error.
enum RatingsKernel {
    struct Line {
        var user: Int
        var item: Int
        var value: Float
        var timestamp: Int64
        /// Offset of the next line.
        var next: Int
    }

    @inline(__always)
    static func parseLine(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, separator: UInt8, double: Bool) -> Line? {
        var p = start
        @inline(__always)
        func id() -> Int? {
            guard p < end else { return nil }
            let first = base[p] &- 0x30
            guard first < 10 else { return nil }
            var value = Int(first)
            p += 1
            if first == 0 { return p < end && base[p] &- 0x30 < 10 ? nil : 0 }
            while p < end {
                let digit = base[p] &- 0x30
                guard digit < 10 else { break }
                value = value &* 10 &+ Int(digit)
                p += 1
                if value >= IDMap.numericLimit { return nil }
            }
            return value
        }
        @inline(__always)
        func skipSeparator() -> Bool {
            guard p < end, base[p] == separator else { return false }
            p += 1
            if double {
                guard p < end, base[p] == separator else { return false }
                p += 1
            }
            return true
        }
        guard let user = id(), skipSeparator(), let item = id(), skipSeparator() else { return nil }
        // value: digits [. digits]
        var mantissa: Int64 = 0
        var digits = 0, fractionDigits = 0
        while p < end, base[p] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ Int64(base[p] &- 0x30)
            digits += 1
            p += 1
        }
        if p < end && base[p] == UInt8(ascii: ".") {
            p += 1
            while p < end, base[p] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ Int64(base[p] &- 0x30)
                digits += 1
                fractionDigits += 1
                p += 1
            }
        }
        guard digits > 0, digits <= 15, skipSeparator() else { return nil }
        let value = Float(Double(mantissa) / powersOfTen[fractionDigits])
        var negative = false
        if p < end && base[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        var time: Int64 = 0
        var timeDigits = 0
        while p < end, base[p] &- 0x30 < 10 {
            time = time &* 10 &+ Int64(base[p] &- 0x30)
            timeDigits += 1
            p += 1
        }
        guard timeDigits > 0, timeDigits <= 18 else { return nil }
        if p < end && base[p] == 0x0D { p += 1 }
        if p < end {
            guard base[p] == 0x0A else { return nil }
            p += 1
        }
        return Line(user: user, item: item, value: value, timestamp: negative ? -time : time, next: p)
    }

    static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }
}
