import Foundation
import Testing

/// Runs the `crossrec` executable built beside the test bundle.
enum CLI {
    /// The test runner (`crossrecPackageTests.xctest`) lives in the products folder, beside the executables.
    static var executable: String {
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("crossrec").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `../shared/data` beside the repository: the data folder of every run (CROSSREC_DATA), so
    /// that the shipped sweep files' `path: ml-100k` finds the shared copy when there is one.
    static let sharedDataFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/data").path
    }()

    static func run(
        _ arguments: [String], currentDirectory: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        inherited["CROSSREC_DATA"] = sharedDataFolder
        process.environment = inherited.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        // stderr goes to a file so a chatty child can never block on a full pipe.
        let errorPath = NSTemporaryDirectory() + "crossrec-cli-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errorHandle
        try process.run()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = FileManager.default.contents(atPath: errorPath) ?? Data()
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
