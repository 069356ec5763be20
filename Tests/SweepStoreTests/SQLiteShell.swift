import Foundation
import Testing

/// The `sqlite3` command-line shell, used to make SQLite databases that are not crossrec stores
/// (the test target does not link GRDB itself).
enum SQLiteShell {
    static let path = "/usr/bin/sqlite3"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `sql` on the database at `database` and returns what it prints.
    static func query(_ database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [database, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 \(database) failed")
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs `sql` on the database at `database`, creating it if needed.
    static func run(_ database: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 \(database) failed")
    }
}
