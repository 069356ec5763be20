import Foundation
import Testing

/// A temporary folder for fixture files, removed when the value goes away.
final class FixtureFolder {
    let path: String

    init(_ name: String = "fixture") throws {
        path = NSTemporaryDirectory() + "crossrec-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// `../shared/data` beside the repository, when present (it is not in CI clones).
enum SharedData {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/RecDataTests/file -> repo root
        return url.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()

    static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
}
