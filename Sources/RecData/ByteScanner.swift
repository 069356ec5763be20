import Foundation

/// How fields are separated on a line.
public enum FieldSeparator: Sendable, Equatable, CustomStringConvertible {
    /// One byte (`\t`, `|`, `,` without quoting).
    case byte(UInt8)
    /// The two bytes `::` of the MovieLens 1M and 10M `.dat` files.
    case doubleColon
    /// RFC 4180 CSV: `,` with `"`-quoted fields (`""` inside quotes is one quote; quoted fields may span lines).
    case csv

    public static let tab = FieldSeparator.byte(UInt8(ascii: "\t"))
    public static let pipe = FieldSeparator.byte(UInt8(ascii: "|"))
    public static let comma = FieldSeparator.byte(UInt8(ascii: ","))

    public var description: String {
        switch self {
        case .byte(let byte) where byte == UInt8(ascii: "\t"): return "tab"
        case .byte(let byte): return "'\(Character(Unicode.Scalar(byte)))'"
        case .doubleColon: return "'::'"
        case .csv: return "CSV"
        }
    }
}

/// A file's bytes, memory-mapped read-only; unmapped when the last reference goes away.
///
/// Mapping (rather than reading into a buffer) means the loader never holds a second copy of
/// the file: the kernel pages it in as the scanner walks it and drops it at `munmap`.
final class FileBytes: @unchecked Sendable {
    let path: String
    private let base: UnsafeRawPointer
    let count: Int

    init(path: String, expectedLayout: String? = nil) throws(DataError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(
                .missingFile, file: path, message: "file not found",
                hint: expectedLayout.map { "expected by the \($0) layout" })
        }
        if isDirectory.boolValue { throw DataError(.io, file: path, message: "is a folder, expected a file") }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw DataError(.io, file: path, message: "cannot open: \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw DataError(.io, file: path, message: "cannot stat: \(reason)")
        }
        count = Int(status.st_size)
        guard count > 0 else {
            throw DataError(.emptyFile, file: path, message: "file is empty", hint: expectedLayout.map { "a \($0) file has at least one row" })
        }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            throw DataError(.io, file: path, message: "cannot map: \(reason)")
        }
        _ = madvise(mapped, count, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(mapped)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), count) }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The first line (without its newline), for sniffing separators and headers.
    func firstLine(maximum: Int = 65_536) -> [UInt8] {
        let limit = Swift.min(count, maximum)
        var end = 0
        let bytes = buffer
        while end < limit && bytes[end] != 0x0A { end += 1 }
        return Array(bytes[0..<end])
    }

    /// The bytes as `Data` without copying; the mapping stays alive as long as the `Data` does.
    var data: Data {
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: count, deallocator: .custom { _, _ in withExtendedLifetime(self) {} })
    }
}

/// A record-at-a-time scanner over delimited text, fast enough that loading stays I/O-bound.
///
/// It works on raw bytes: fields are byte ranges into the buffer, numbers are parsed without
/// creating strings, and only text fields become `String`s. Lines may end in `\n` or `\r\n`.
/// Empty lines are skipped (and counted in ``blankLines``).
/// - Complexity: O(bytes) per pass.
struct ByteScanner: ~Copyable {
    let base: UnsafePointer<UInt8>
    let count: Int
    let separator: FieldSeparator
    let file: String
    private(set) var position = 0
    /// 1-based line number of the current record's first line.
    private(set) var lineNumber = 0
    private var nextLineNumber = 1
    /// 1-based number of the line the next scan starts on.
    var nextLine: Int { nextLineNumber }
    private(set) var blankLines = 0
    /// Field ranges of the current record: starts and ends (exclusive), in bytes.
    private(set) var starts: UnsafeMutableBufferPointer<Int>
    private(set) var ends: UnsafeMutableBufferPointer<Int>
    /// Whether field `i` was quoted and contains a doubled quote that must be unescaped.
    private var escaped: UnsafeMutableBufferPointer<Bool>
    private(set) var fieldCount = 0
    let capacity: Int

    init(bytes: UnsafeRawBufferPointer, separator: FieldSeparator, file: String, maxFields: Int = 64) {
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        self.count = bytes.count
        self.separator = separator
        self.file = file
        self.capacity = maxFields
        starts = .allocate(capacity: maxFields)
        ends = .allocate(capacity: maxFields)
        escaped = .allocate(capacity: maxFields)
        // Skip a UTF-8 byte order mark.
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
    }

    /// Counts `\n` bytes: an upper bound on records, used to reserve column capacity exactly once.
    static func countLines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        var lines = 0
        var cursor = start
        let end = start + bytes.count
        while cursor < end, let hit = memchr(cursor, 0x0A, end - cursor) {
            lines += 1
            cursor = UnsafeRawPointer(hit) + 1
        }
        if bytes.count > 0 && bytes[bytes.count - 1] != 0x0A { lines += 1 }
        return lines
    }

    /// Moves to byte `position`, which starts line `line`; the next ``next()`` scans from there.
    mutating func seek(to position: Int, line: Int) {
        self.position = position
        self.nextLineNumber = line
    }

    /// Advances to the next non-empty record. Returns false at the end of the buffer.
    mutating func next() throws(DataError) -> Bool {
        while position < count {
            lineNumber = nextLineNumber
            if case .csv = separator {
                try scanCSVRecord()
            } else {
                scanPlainRecord()
            }
            if fieldCount == 1 && starts[0] == ends[0] {
                blankLines += 1
                continue
            }
            return true
        }
        return false
    }

    private mutating func scanPlainRecord() {
        let lineStart = position
        var lineEnd: Int
        if let hit = memchr(base + position, 0x0A, count - position) {
            lineEnd = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            position = lineEnd + 1
        } else {
            lineEnd = count
            position = count
        }
        nextLineNumber += 1
        if lineEnd > lineStart && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        fieldCount = 0
        var fieldStart = lineStart
        var index = lineStart
        switch separator {
        case .byte(let sep):
            while index < lineEnd {
                if base[index] == sep {
                    appendField(fieldStart, index)
                    fieldStart = index + 1
                }
                index += 1
            }
        case .doubleColon:
            let colon = UInt8(ascii: ":")
            while index < lineEnd {
                if base[index] == colon && index + 1 < lineEnd && base[index + 1] == colon {
                    appendField(fieldStart, index)
                    index += 2
                    fieldStart = index
                } else {
                    index += 1
                }
            }
        case .csv:
            preconditionFailure("CSV records are scanned by scanCSVRecord")
        }
        appendField(fieldStart, lineEnd)
    }

    private mutating func scanCSVRecord() throws(DataError) {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline: UInt8 = 0x0A, cr: UInt8 = 0x0D
        fieldCount = 0
        var index = position
        while true {
            // At the start of a field.
            if index < count && base[index] == quote {
                let contentStart = index + 1
                var cursor = contentStart
                var hasEscapes = false
                while true {
                    guard cursor < count else {
                        throw DataError(
                            .badValue, file: file, line: lineNumber, fieldIndex: fieldCount + 1,
                            message: "quoted field is never closed", hint: "a '\"' is missing")
                    }
                    let byte = base[cursor]
                    if byte == quote {
                        if cursor + 1 < count && base[cursor + 1] == quote {
                            hasEscapes = true
                            cursor += 2
                            continue
                        }
                        break
                    }
                    if byte == newline { nextLineNumber += 1 }
                    cursor += 1
                }
                appendField(contentStart, cursor, escaped: hasEscapes)
                index = cursor + 1
                if index < count && base[index] == cr { index += 1 }
                if index >= count {
                    position = count
                    nextLineNumber += 1
                    return
                }
                if base[index] == comma {
                    index += 1
                    continue
                }
                if base[index] == newline {
                    position = index + 1
                    nextLineNumber += 1
                    return
                }
                throw DataError(
                    .badValue, file: file, line: lineNumber, fieldIndex: fieldCount,
                    message: "unexpected character after a closing quote", hint: "quotes inside a field are doubled")
            }
            let fieldStart = index
            while index < count && base[index] != comma && base[index] != newline { index += 1 }
            if index >= count {
                var end = count
                if end > fieldStart && base[end - 1] == cr { end -= 1 }
                appendField(fieldStart, end)
                position = count
                nextLineNumber += 1
                return
            }
            if base[index] == comma {
                appendField(fieldStart, index)
                index += 1
                continue
            }
            var end = index
            if end > fieldStart && base[end - 1] == cr { end -= 1 }
            appendField(fieldStart, end)
            position = index + 1
            nextLineNumber += 1
            return
        }
    }

    @inline(__always)
    private mutating func appendField(_ start: Int, _ end: Int, escaped isEscaped: Bool = false) {
        if fieldCount < capacity {
            starts[fieldCount] = start
            ends[fieldCount] = end
            escaped[fieldCount] = isEscaped
        }
        fieldCount += 1
    }

    // MARK: Field access

    /// Throws unless the record has exactly `expected` fields (or at least `minimum` when given).
    func requireFields(_ expected: Int, orAtLeast minimum: Int? = nil, names: [String]) throws(DataError) {
        let ok = minimum.map { fieldCount >= $0 } ?? (fieldCount == expected)
        if !ok {
            let wanted = minimum.map { "at least \($0)" } ?? "\(expected)"
            throw DataError(
                .wrongFieldCount, file: file, line: lineNumber,
                message: "expected \(wanted) \(separator)-separated fields (\(names.joined(separator: ", "))), got \(fieldCount)")
        }
    }

    func isEmpty(_ index: Int) -> Bool { starts[index] == ends[index] }

    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + starts[index], count: ends[index] - starts[index])
    }

    /// The raw text of a field for error messages (lossy, truncated).
    func preview(_ index: Int) -> String {
        let raw = bytes(index)
        let text = String(decoding: raw.prefix(40), as: UTF8.self)
        return raw.count > 40 ? text + "…" : text
    }

    /// A text field decoded as UTF-8; invalid UTF-8 is an encoding error naming the line.
    func string(_ index: Int, name: String) throws(DataError) -> String {
        let raw = bytes(index)
        guard var text = String(validating: raw, as: UTF8.self) else {
            throw DataError(
                .encoding, file: file, line: lineNumber, fieldIndex: index + 1, fieldName: name,
                message: "not valid UTF-8", hint: "the file may be Latin-1; convert it with iconv -f latin1 -t utf-8")
        }
        if escaped[index] { text = text.replacingOccurrences(of: "\"\"", with: "\"") }
        return text
    }

    /// A text field decoded as ISO-8859-1 (the MovieLens 100K and 1M item files).
    func latin1String(_ index: Int) -> String {
        let raw = bytes(index)
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(raw.count)
        for byte in raw { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    func int(_ index: Int, name: String) throws(DataError) -> Int64 {
        guard let value = ByteScanner.parseInt(bytes(index)) else {
            throw DataError(
                .badNumber, file: file, line: lineNumber, fieldIndex: index + 1, fieldName: name,
                message: "expected an integer, got '\(preview(index))'")
        }
        return value
    }

    func float(_ index: Int, name: String) throws(DataError) -> Float {
        guard let value = ByteScanner.parseDouble(bytes(index)) else {
            throw DataError(
                .badNumber, file: file, line: lineNumber, fieldIndex: index + 1, fieldName: name,
                message: "expected a number, got '\(preview(index))'")
        }
        // Values are kept as 32-bit floats: 1e308 is a finite Double and an infinite Float.
        guard value.isFinite, Float(value).isFinite else {
            throw DataError(
                .badNumber, file: file, line: lineNumber, fieldIndex: index + 1, fieldName: name,
                message: "expected a finite number of magnitude below 3.4e38 (values are 32-bit floats), got '\(preview(index))'",
                hint: "fix or remove the row")
        }
        return Float(value)
    }

    // MARK: Number parsing without allocation

    /// Parses an optionally signed decimal integer; nil when the bytes are not exactly that.
    @inline(__always)
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let n = bytes.count
        while index < n && bytes[index] == 0x20 { index += 1 }
        var negative = false
        if index < n && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var end = n
        while end > index && bytes[end - 1] == 0x20 { end -= 1 }
        guard index < end, end - index <= 18 else { return nil }
        var value: Int64 = 0
        while index < end {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// Parses a decimal number. Plain decimals with up to 15 significant digits take an exact
    /// fast path (integer mantissa divided by an exact power of ten: one correctly rounded
    /// operation); anything else (exponents, long mantissas) falls back to `strtod`.
    @inline(__always)
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        var end = bytes.count
        while index < end && bytes[index] == 0x20 { index += 1 }
        while end > index && bytes[end - 1] == 0x20 { end -= 1 }
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenDot = false
        var simple = true
        let start = index
        while index < end {
            let byte = bytes[index]
            let digit = byte &- 0x30
            if digit < 10 {
                mantissa = mantissa &* 10 &+ Int64(digit)
                digits += 1
                if seenDot { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !seenDot {
                seenDot = true
            } else {
                simple = false
                break
            }
            index += 1
        }
        if simple {
            guard digits > 0 else { return nil }
            if digits <= 15 {
                let value = Double(mantissa) / powersOfTen[fractionDigits]
                return negative ? -value : value
            }
        }
        // Slow path: exponents, very long numbers. strtod needs a terminated copy.
        let text = Array(bytes[start..<end]) + [0]
        return text.withUnsafeBufferPointer { buffer -> Double? in
            let raw = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var parseEnd: UnsafeMutablePointer<CChar>?
            let value = strtod(raw, &parseEnd)
            guard let parseEnd, parseEnd == UnsafeMutablePointer(mutating: raw) + (text.count - 1) else { return nil }
            return negative ? -value : value
        }
    }
}

extension FileBytes {
    /// Calls `body` with the mapped bytes, valid for the duration of the call.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(DataError) -> R) throws(DataError) -> R {
        try withExtendedLifetime(self) { () throws(DataError) -> R in try body(buffer) }
    }
}
