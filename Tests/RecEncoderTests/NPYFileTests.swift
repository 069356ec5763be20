import Foundation
import Testing

@testable import RecEncoder

@Suite("NumPy .npy files")
struct NPYFileTests {
    static let numpyAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import numpy"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Runs a python3 snippet; returns its standard output.
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 failed")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func headerIsLaidOutAsNumpyWritesIt() throws {
        let scratch = try EmbeddingCacheScratch()
        let url = scratch.url.appendingPathComponent("m.npy")
        let values: [Float] = (0..<12).map { Float($0) * 0.5 - 1 }

        try NPYFile.write(values, rows: 3, columns: 4, to: url)

        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00])  // \x93NUMPY 1.0
        #expect(Int(bytes[8]) | Int(bytes[9]) << 8 == 118)
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        #expect(header == dictionary + String(repeating: " ", count: 128 - 10 - dictionary.count - 1) + "\n")
        #expect(bytes.count == 128 + 12 * 4)
        #expect(Array(bytes[128..<132]) == [0x00, 0x00, 0x80, 0xBF], "-1.0 as little-endian float32")
        #expect(try NPYFile(contentsOf: url) == NPYFile(shape: [3, 4], values: values))
    }

    @Test(arguments: [[0, 384], [1, 1], [12_345, 384], [7], [123_456_789_012, 2]])
    func preambleIsAMultipleOf64EndingInNewline(shape: [Int]) {
        let header = NPYFile.header(shape: shape)
        #expect((10 + header.count) % 64 == 0)
        #expect(header.last == UInt8(ascii: "\n"))
        let text = String(decoding: header, as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': ("))
        #expect(text.contains(shape.count == 1 ? "(\(shape[0]),)" : "(\(shape[0]), \(shape[1]))"))
    }

    @Test func emptyMatrixRoundTrips() throws {
        let scratch = try EmbeddingCacheScratch()
        let url = scratch.url.appendingPathComponent("empty.npy")
        try NPYFile.write([], rows: 0, columns: 384, to: url)
        #expect(try NPYFile(contentsOf: url) == NPYFile(shape: [0, 384], values: []))
    }

    @Test func malformedFilesAreRefusedNamingTheFile() throws {
        let scratch = try EmbeddingCacheScratch()
        let url = scratch.url.appendingPathComponent("bad.npy")
        try NPYFile.write([1, 2, 3, 4], rows: 2, columns: 2, to: url)
        let good = try Data(contentsOf: url)

        try good.dropLast(4).write(to: url)
        #expect(throws: NPYFile.FormatError.self) { try NPYFile(contentsOf: url) }
        do {
            _ = try NPYFile(contentsOf: url)
        } catch {
            #expect("\(error)".contains(url.path) && "\(error)".contains("needs 16 bytes"))
        }
        var float64 = good
        float64.replaceSubrange(10..<(10 + 15), with: Data("{'descr': '<f8'".utf8))
        try float64.write(to: url)
        #expect(throws: NPYFile.FormatError.self) { try NPYFile(contentsOf: url) }
        try Data("PK\u{3}\u{4}not numpy".utf8).write(to: url)
        #expect(throws: NPYFile.FormatError.self) { try NPYFile(contentsOf: url) }
    }

    @Test(.enabled(if: numpyAvailable, "python3 with numpy not found: skipped"))
    func bytesEqualNumpySaveAndNumpyLoadsThem() throws {
        let scratch = try EmbeddingCacheScratch()
        let ours = scratch.url.appendingPathComponent("ours.npy")
        let theirs = scratch.url.appendingPathComponent("theirs.npy")
        let rows = 5
        let columns = 384
        let values: [Float] = (0..<(rows * columns)).map { Float($0 % 97) / 7 - 3.25 }
        try NPYFile.write(values, rows: rows, columns: columns, to: ours)

        let summary = try Self.python(
            """
            import sys, numpy as np
            a = np.load(sys.argv[1])
            expected = (np.arange(\(rows * columns)) % 97).astype('<f4') / np.float32(7) - np.float32(3.25)
            np.save(sys.argv[2], expected.reshape(\(rows), \(columns)))
            print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'], bool((a.ravel() == expected).all()))
            """, [ours.path, theirs.path])

        #expect(summary.trimmingCharacters(in: .whitespacesAndNewlines) == "<f4 (5, 384) True True")
        #expect(try Data(contentsOf: ours) == Data(contentsOf: theirs), "byte-identical to numpy.save")
        #expect(try NPYFile(contentsOf: theirs).values == values)
    }
}
