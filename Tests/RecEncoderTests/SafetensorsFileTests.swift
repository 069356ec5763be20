import Foundation
import Testing

@testable import RecEncoder

@Suite("Safetensors reader")
struct SafetensorsFileTests {
    /// A new temporary file path; the test removes it.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tensors-\(UUID().uuidString).safetensors").path
    }

    /// The message of the error `body` throws, or nil (recorded as an issue) when it throws none.
    static func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            Issue.record("no error thrown")
            return nil
        } catch {
            return "\(error)"
        }
    }

    static let sample = [
        SafetensorsWriter.Tensor(name: "a.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
        SafetensorsWriter.Tensor(name: "b.bias", shape: [3], values: [-1, 0.5, 1e-3]),
    ]

    @Test func readsTensorsInPlace() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(SafetensorsWriter.bytes(Self.sample), to: path)
        let file = try SafetensorsFile(path: path)
        #expect(Set(file.tensors.keys) == ["a.weight", "b.bias"])
        #expect(Array(try file.floats(named: "a.weight", shape: [2, 3])) == [1, 2, 3, 4, 5, 6])
        #expect(Array(try file.floats(named: "b.bias", shape: [3])) == [-1, 0.5, 1e-3])
    }

    @Test(arguments: [1, 4, 11])
    func namesATruncatedFile(missingBytes: Int) throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(Array(SafetensorsWriter.bytes(Self.sample).dropLast(missingBytes)), to: path)
        let text = Self.message { _ = try SafetensorsFile(path: path) }
        #expect(text?.contains(path) == true && text?.contains("truncated") == true, "\(text ?? "")")
        #expect(text?.contains("'b.bias'") == true, "the tensor reaching furthest is named: \(text ?? "")")
    }

    @Test func namesATruncatedHeader() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write([1, 0, 0], to: path)
        let short = Self.message { _ = try SafetensorsFile(path: path) }
        #expect(short?.contains(path) == true && short?.contains("truncated: 3 bytes") == true, "\(short ?? "")")
        let whole = SafetensorsWriter.bytes(Self.sample)
        try SafetensorsWriter.write(Array(whole.prefix(40)), to: path)
        let cut = Self.message { _ = try SafetensorsFile(path: path) }
        #expect(
            cut?.contains(path) == true && cut?.contains("truncated: the header length says") == true, "\(cut ?? "")")
    }

    @Test func refusesAnotherDtypeNamingIt() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let half = SafetensorsWriter.Tensor(
            name: "a.weight", dtype: "F16", shape: [2, 3], bytes: Array(repeating: 0, count: 12))
        try SafetensorsWriter.write(SafetensorsWriter.bytes([half]), to: path)
        let file = try SafetensorsFile(path: path)
        let text = Self.message { _ = try file.floats(named: "a.weight", shape: [2, 3]) }
        #expect(text?.contains(path) == true && text?.contains("'a.weight' has dtype F16") == true, "\(text ?? "")")
        #expect(text?.contains("only F32 is supported") == true, "\(text ?? "")")
    }

    @Test func namesAMissingTensor() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(SafetensorsWriter.bytes(Self.sample), to: path)
        let file = try SafetensorsFile(path: path)
        let text = Self.message { _ = try file.floats(named: "c.weight", shape: [3]) }
        #expect(text?.contains(path) == true && text?.contains("'c.weight' is missing") == true, "\(text ?? "")")
    }

    @Test func namesBothShapesOfAMismatch() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(SafetensorsWriter.bytes(Self.sample), to: path)
        let file = try SafetensorsFile(path: path)
        let text = Self.message { _ = try file.floats(named: "a.weight", shape: [3, 2]) }
        #expect(text?.contains(path) == true && text?.contains("'a.weight' has shape [2, 3]") == true, "\(text ?? "")")
        #expect(text?.contains("config.json implies [3, 2]") == true, "\(text ?? "")")
    }

    @Test func refusesAHeaderThatIsNotJSON() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = Array("{not json at all}".utf8)
        try SafetensorsWriter.write(SafetensorsWriter.headerLength(header.count) + header, to: path)
        let text = Self.message { _ = try SafetensorsFile(path: path) }
        #expect(text?.contains(path) == true && text?.contains("header is not JSON") == true, "\(text ?? "")")
    }

    @Test func refusesOffsetsThatDisagreeWithTheShape() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let wrong = SafetensorsWriter.Tensor(
            name: "a.weight", dtype: "F32", shape: [2, 3], bytes: Array(repeating: 0, count: 20))
        try SafetensorsWriter.write(SafetensorsWriter.bytes([wrong]), to: path)
        let text = Self.message { _ = try SafetensorsFile(path: path) }
        #expect(text?.contains(path) == true && text?.contains("needs 24 bytes") == true, "\(text ?? "")")
    }
}
