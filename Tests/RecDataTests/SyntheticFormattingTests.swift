import Foundation
import Testing

@testable import RecData

@Suite struct SyntheticFormattingTests {
    @Test func mindTimes() throws {
        let cases: [(Int64, String)] = [
            (0, "11/9/2019 12:00:00 AM"),
            (8 * 3600 + 36 * 60 + 10, "11/9/2019 8:36:10 AM"),
            (12 * 3600, "11/9/2019 12:00:00 PM"),
            (6 * 86_400 + 23 * 3600 + 59 * 60 + 59, "11/15/2019 11:59:59 PM"),
            (53 * 86_400, "1/1/2020 12:00:00 AM"),
            (112 * 86_400 + 13 * 3600 + 5, "2/29/2020 1:00:05 PM"),
        ]
        for (offset, expected) in cases {
            let text = try written { $0.mindTime(SyntheticGenerator.mindEpoch + offset) }
            #expect(text == expected)
        }
    }

    @Test func numbersAndRatings() throws {
        #expect(try written { $0.int(0) } == "0")
        #expect(try written { $0.int(1_234_567_890) } == "1234567890")
        #expect(try written { $0.halfStars(1) } == "0.5")
        #expect(try written { $0.halfStars(8) } == "4.0")
        #expect(try written { $0.halfStars(10) } == "5.0")
        #expect(try written { $0.fixed(0.25, digits: 6) } == "0.250000")
        #expect(try written { $0.fixed(-1.5, digits: 2) } == "-1.50")
        #expect(try written { $0.fixed(0.0000004, digits: 6) } == "0.000000")
        #expect(try written { $0.fixed(1, digits: 6) } == "1.000000")
        #expect(try written { $0.fixed(0.1234567, digits: 6) } == "0.123457")
        // The text parses back to exactly the rounded value the generator uses.
        var random = SyntheticRandom(seed: 9, stream: 9)
        for _ in 0..<200 {
            let value = random.unit()
            #expect(Double(try written { $0.fixed(value, digits: 6) }) == SyntheticFixed.round(value, 6))
        }
    }

    @Test func csvQuoting() {
        #expect(SyntheticFileWriter.csvQuoted("Heat (1995)") == "Heat (1995)")
        #expect(SyntheticFileWriter.csvQuoted("Matrix, The (1999)") == "\"Matrix, The (1999)\"")
        #expect(SyntheticFileWriter.csvQuoted("\"Cats\" Live (1998)") == "\"\"\"Cats\"\" Live (1998)\"")
    }

    @Test func randomStreamsAreStableAndIndependent() {
        var first = SyntheticRandom(seed: 42, stream: 1)
        var again = SyntheticRandom(seed: 42, stream: 1)
        var other = SyntheticRandom(seed: 42, stream: 2)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in again.next() })
        #expect(a != (0..<8).map { _ in other.next() })
        var random = SyntheticRandom(seed: 1, stream: 0)
        let draws = (0..<20_000).map { _ in random.normal() }
        let mean = draws.reduce(0, +) / 20_000
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20_000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
        let gammas = (0..<20_000).map { _ in random.gamma(shape: 0.3) }
        #expect(abs(gammas.reduce(0, +) / 20_000 - 0.3) < 0.02)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(random.index(7)) })
    }

    private func written(_ body: (inout SyntheticFileWriter) throws -> Void) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-fmt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        var writer = try SyntheticFileWriter(url: url)
        try body(&writer)
        try writer.close()
        return try String(contentsOf: url, encoding: .utf8)
    }
}
