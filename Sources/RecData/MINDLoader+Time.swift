extension MINDLoader {
    /// The format of `behaviors.tsv` times, for error messages.
    static let timeFormat = "M/D/YYYY h:mm:ss AM|PM"

    /// Parses a MIND time (`11/15/2019 8:55:22 AM`, 12-hour clock, read as UTC) into Unix seconds.
    ///
    /// Month, day and hour take one or two digits, the year four, minutes and seconds two.
    /// `12:xx AM` is hour 0 and `12:xx PM` is hour 12; hour 0 and hours above 12 are rejected,
    /// as are impossible dates (`2/30/2019`).
    /// - Returns: nil when the bytes are not exactly such a time.
    /// - Complexity: O(bytes), no allocation.
    @inline(__always)
    static func parseTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let end = bytes.count

        @inline(__always)
        func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while index < end && digits < maxDigits {
                let digit = bytes[index] &- 0x30
                guard digit < 10 else { break }
                value = value * 10 + Int(digit)
                digits += 1
                index += 1
            }
            return digits >= minDigits ? value : nil
        }

        @inline(__always)
        func expect(_ byte: UInt8) -> Bool {
            guard index < end && bytes[index] == byte else { return false }
            index += 1
            return true
        }

        let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":"), space = UInt8(ascii: " ")
        guard let month = number(minDigits: 1, maxDigits: 2), expect(slash),
            let day = number(minDigits: 1, maxDigits: 2), expect(slash),
            let year = number(minDigits: 4, maxDigits: 4), expect(space),
            let hour12 = number(minDigits: 1, maxDigits: 2), expect(colon),
            let minute = number(minDigits: 2, maxDigits: 2), expect(colon),
            let second = number(minDigits: 2, maxDigits: 2), expect(space),
            end - index == 2
        else { return nil }
        let meridiem = bytes[index] | 0x20  // ASCII lower case
        let m = bytes[index + 1] | 0x20
        guard m == UInt8(ascii: "m"), meridiem == UInt8(ascii: "a") || meridiem == UInt8(ascii: "p") else { return nil }
        guard (1...12).contains(month), (1...12).contains(hour12), minute < 60, second < 60,
            day >= 1, day <= daysInMonth(month, year: year)
        else { return nil }
        let hour = hour12 % 12 + (meridiem == UInt8(ascii: "p") ? 12 : 0)
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
