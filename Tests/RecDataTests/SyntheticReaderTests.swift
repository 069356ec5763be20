import Foundation
import Testing

@testable import RecData

/// A generated data set in a temporary folder, read back with parsers written independently of
/// the generator (plain splitting, a small RFC 4180 reader), so format slips show up as failures.
struct GeneratedData {
    let folder: URL
    let summary: SyntheticSummary

    init(_ config: SyntheticConfig) throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("crossrec-synthetic-tests-\(UUID().uuidString)")
        summary = try SyntheticGenerator(config: config).write(to: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// The file's lines without their `\n`; the file must end in `\n`.
    func lines(_ path: String) throws -> [Substring] {
        let text = try String(contentsOf: url(path), encoding: .utf8)
        guard text.hasSuffix("\n") else { throw TestDataError("\(path) does not end in a newline") }
        return text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Data lines of a CSV file (header dropped) split into fields per RFC 4180.
    func csvRows(_ path: String) throws -> [[String]] {
        try lines(path).dropFirst().map { try parseCSVLine($0) }
    }

    func tsvRows(_ path: String) throws -> [[Substring]] {
        try lines(path).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    func truth() throws -> SyntheticTruth { try SyntheticTruth.load(from: folder) }

    /// One `behaviors.tsv` line, parsed.
    struct Impression {
        var id: Int
        var user: String
        var time: String
        var seconds: Int64
        var history: [String]
        var candidates: [(news: String, clicked: Bool)]
    }

    func impressions(_ path: String) throws -> [Impression] {
        try tsvRows(path).map { fields in
            guard fields.count == 5 else { throw TestDataError("\(path): \(fields.count) fields in \(fields)") }
            guard let id = Int(fields[0]) else { throw TestDataError("\(path): impression id \(fields[0])") }
            let candidates = try fields[4].split(separator: " ").map { token -> (news: String, clicked: Bool) in
                if token.hasSuffix("-1") { return (String(token.dropLast(2)), true) }
                if token.hasSuffix("-0") { return (String(token.dropLast(2)), false) }
                throw TestDataError("\(path): impression token \(token)")
            }
            return Impression(
                id: id, user: String(fields[1]), time: String(fields[2]), seconds: try parseMINDTime(fields[2]),
                history: fields[3].split(separator: " ").map(String.init), candidates: candidates)
        }
    }
}

struct TestDataError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Splits one CSV line into fields: `"` quotes a field, `""` inside quotes is one quote.
func parseCSVLine(_ line: Substring) throws -> [String] {
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var index = line.startIndex
    while index < line.endIndex {
        let character = line[index]
        if inQuotes {
            if character == "\"" {
                let next = line.index(after: index)
                if next < line.endIndex && line[next] == "\"" {
                    field.append("\"")
                    index = next
                } else {
                    inQuotes = false
                }
            } else {
                field.append(character)
            }
        } else if character == "," {
            fields.append(field)
            field = ""
        } else if character == "\"" && field.isEmpty {
            inQuotes = true
        } else if character == "\"" {
            throw TestDataError("stray quote in \(line)")
        } else {
            field.append(character)
        }
        index = line.index(after: index)
    }
    if inQuotes { throw TestDataError("unterminated quote in \(line)") }
    fields.append(field)
    return fields
}

/// Parses `M/D/YYYY h:mm:ss AM|PM` (UTC) to Unix seconds, rejecting anything else.
func parseMINDTime(_ text: Substring) throws -> Int64 {
    guard let match = text.wholeMatch(of: #/(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)/#),
        let month = Int(match.1), let day = Int(match.2), let year = Int(match.3), let hour = Int(match.4),
        let minute = Int(match.5), let second = Int(match.6),
        (1...12).contains(month), (1...31).contains(day), (1...12).contains(hour), minute < 60, second < 60,
        !match.1.hasPrefix("0"), !match.2.hasPrefix("0"), !match.4.hasPrefix("0")
    else { throw TestDataError("not a MIND time: '\(text)'") }
    var components = DateComponents()
    components.timeZone = TimeZone(identifier: "UTC")
    components.year = year
    components.month = month
    components.day = day
    components.hour = hour % 12 + (match.7 == "PM" ? 12 : 0)
    components.minute = minute
    components.second = second
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    guard let date = calendar.date(from: components) else { throw TestDataError("invalid date '\(text)'") }
    return Int64(date.timeIntervalSince1970)
}

// MARK: - The readers themselves

@Suite struct SyntheticReaderTests {
    @Test func csvLineHonoursQuotes() throws {
        #expect(try parseCSVLine("1,plain,Drama") == ["1", "plain", "Drama"])
        #expect(
            try parseCSVLine("2,\"Matrix, The (1999)\",Action|Sci-Fi") == ["2", "Matrix, The (1999)", "Action|Sci-Fi"])
        #expect(try parseCSVLine("3,\"\"\"Cats\"\" Live (1998)\",Musical") == ["3", "\"Cats\" Live (1998)", "Musical"])
        #expect(throws: TestDataError.self) { try parseCSVLine("4,\"open,Drama") }
        #expect(throws: TestDataError.self) { try parseCSVLine("5,a\"b,Drama") }
    }

    @Test func mindTimeIsStrict() throws {
        #expect(try parseMINDTime("11/9/2019 12:00:00 AM") == 1_573_257_600)
        #expect(try parseMINDTime("11/15/2019 1:05:07 PM") == 1_573_257_600 + 6 * 86_400 + 13 * 3600 + 5 * 60 + 7)
        for bad in ["11/09/2019 8:00:00 AM", "11/9/2019 13:00:00 PM", "11/9/2019 08:00:00 AM", "2019-11-09 8:00:00"] {
            #expect(throws: TestDataError.self) { try parseMINDTime(bad[...]) }
        }
    }
}
