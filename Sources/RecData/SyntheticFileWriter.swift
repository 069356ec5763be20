import Foundation

/// A buffered, append-only text file for the synthetic generator.
///
/// Numbers, ratings and MIND times are formatted byte by byte with no locale and no `String`
/// allocation, so output is identical everywhere and large data sets stay I/O-bound. It is a
/// noncopyable struct passed `inout` (a class would pay a dynamic exclusivity check per byte).
/// I/O failures throw ``DataError`` (`.io`) naming the file.
struct SyntheticFileWriter: ~Copyable {
    let url: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var isClosed = false
    private static let flushThreshold = 1 << 20
    /// Lines written so far (counted by `newline()`).
    private(set) var lines = 0

    init(url: URL) throws(DataError) {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DataError(.io, file: url.path, message: "cannot create file")
        }
        do {
            handle = try FileHandle(forWritingTo: url)
        } catch {
            throw DataError(.io, file: url.path, message: "cannot open for writing: \(error.localizedDescription)")
        }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit { if !isClosed { try? handle.close() } }

    @inline(__always)
    mutating func byte(_ value: UInt8) { buffer.append(value) }

    mutating func text(_ value: String) { buffer.append(contentsOf: value.utf8) }

    /// A non-negative decimal integer.
    mutating func int(_ value: Int) {
        precondition(value >= 0, "SyntheticFileWriter.int(\(value)): negative values are not written")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        while divisor > 0 {
            buffer.append(UInt8(truncatingIfNeeded: (value / divisor) % 10) &+ 0x30)
            divisor /= 10
        }
    }

    /// `value` in fixed-point notation with `digits` decimals (see ``SyntheticFixed``).
    mutating func fixed(_ value: Double, digits: Int) {
        let scale = SyntheticFixed.scale(digits)
        let scaled = Int((value * Double(scale)).rounded())
        if scaled < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = abs(scaled)
        int(magnitude / scale)
        buffer.append(UInt8(ascii: "."))
        var divisor = scale / 10
        let fraction = magnitude % scale
        while divisor > 0 {
            buffer.append(UInt8(truncatingIfNeeded: (fraction / divisor) % 10) &+ 0x30)
            divisor /= 10
        }
    }

    /// A rating given in half stars: 9 → `4.5`, 8 → `4.0` (the ml-latest spelling).
    mutating func halfStars(_ halves: Int) {
        int(halves / 2)
        buffer.append(UInt8(ascii: "."))
        buffer.append(halves % 2 == 0 ? UInt8(ascii: "0") : UInt8(ascii: "5"))
    }

    /// A MIND behaviors time, `M/D/YYYY h:mm:ss AM|PM`, of Unix seconds in UTC.
    mutating func mindTime(_ unixSeconds: Int64) {
        let days = Int(unixSeconds.floorDivided(by: 86_400))
        let secondOfDay = Int(unixSeconds - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        int(date.month)
        byte(UInt8(ascii: "/"))
        int(date.day)
        byte(UInt8(ascii: "/"))
        int(date.year)
        byte(UInt8(ascii: " "))
        let hour = secondOfDay / 3600
        int(hour % 12 == 0 ? 12 : hour % 12)
        byte(UInt8(ascii: ":"))
        twoDigits((secondOfDay / 60) % 60)
        byte(UInt8(ascii: ":"))
        twoDigits(secondOfDay % 60)
        text(hour < 12 ? " AM" : " PM")
    }

    private mutating func twoDigits(_ value: Int) {
        buffer.append(UInt8(truncatingIfNeeded: value / 10) &+ 0x30)
        buffer.append(UInt8(truncatingIfNeeded: value % 10) &+ 0x30)
    }

    /// A CSV field, quoted per RFC 4180 when it holds a comma, a quote or a line break.
    mutating func csvField(_ value: String) { text(Self.csvQuoted(value)) }

    static func csvQuoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Ends the line and flushes when the buffer is full.
    mutating func newline() throws(DataError) {
        buffer.append(UInt8(ascii: "\n"))
        lines += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    mutating func flush() throws(DataError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DataError(.io, file: url.path, message: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; call it once, last.
    mutating func close() throws(DataError) {
        try flush()
        isClosed = true
        do {
            try handle.close()
        } catch {
            throw DataError(.io, file: url.path, message: "cannot close: \(error.localizedDescription)")
        }
    }
}

/// A proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's `civil_from_days`).
struct CivilDate: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// Fixed-point decimals, locale-free: ``SyntheticFileWriter/fixed(_:digits:)`` writes
/// `round(value, digits)` so that parsing the text gives back exactly that `Double`.
enum SyntheticFixed {
    static func scale(_ digits: Int) -> Int {
        precondition((0...15).contains(digits), "SyntheticFixed: \(digits) digits")
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        return scale
    }

    /// `value` rounded to `digits` decimals, the way ``SyntheticFileWriter/fixed(_:digits:)`` writes it.
    static func round(_ value: Double, _ digits: Int) -> Double {
        let scale = Double(scale(digits))
        return (value * scale).rounded() / scale
    }
}
