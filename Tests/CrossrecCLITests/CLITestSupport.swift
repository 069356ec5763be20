import Foundation
import Testing

/// Runs the `crossrec` executable built beside the test bundle.
enum CLI {
    static var executable: String {
        // The test bundle lives in the products folder (.build/debug), beside the executables.
        let bundle = Bundle(for: Marker.self).bundleURL
        return bundle.deletingLastPathComponent().appendingPathComponent("crossrec").path
    }

    final class Marker {}

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = err.fileHandleForReading.readDataToEndOfFile() }
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            reader.main()
            done.signal()
        }
        thread.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }
}

final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "crossrec-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (file(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }
}
