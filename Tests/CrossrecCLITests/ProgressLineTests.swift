import Foundation
import Testing

/// The live progress of `crossrec sweep run`: a rewritten line on a terminal, plain lines otherwise.
@Suite("Sweep progress line", .serialized)
struct ProgressLineTests {
    static let sweep = """
        name: progress
        dataset:
          synthetic: {users: 50, movies: 20, news: 20}
        metric: {primary: score, direction: maximize}
        models:
          sleep: {seconds: [0.3, 0.31, 0.32, 0.33]}
        seeds: [1]
        timeout: 60s
        """

    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    @Test func withoutATerminalProgressIsPlainLines() throws {
        let folder = try TemporaryFolder()
        try folder.write("progress.yaml", Self.sweep)
        // A bare store name: the store and the worker logs land in the current directory.
        let result = try CLI.run(
            ["sweep", "run", "progress.yaml", "--workers", "1", "--store", "s.sqlite"], currentDirectory: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.file("s.sqlite")))
        #expect(FileManager.default.fileExists(atPath: folder.file("logs-progress/worker-1.log")))
        #expect(!result.stderr.contains("\u{1B}[K"), "no terminal control sequences in a log")
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("done ") }
        #expect(lines.last?.hasPrefix("done 4/4  running 0  pending 0  failed 0") == true, "\(lines)")
        #expect(lines.last?.contains("best trial score") == true && lines.last?.contains("workers") == true)
    }

    /// Under a pseudo-terminal (`script` from util-linux) the line is redrawn in place with
    /// carriage return + erase-line, counts rise to the total, and the final line ends the row.
    @Test(.enabled(if: hasScript, "needs /usr/bin/script (util-linux) to provide a pseudo-terminal"))
    func onATerminalTheLineIsRedrawnInPlace() throws {
        let folder = try TemporaryFolder()
        try folder.write("progress.yaml", Self.sweep)
        let command = [CLI.executable, "sweep", "run", folder.file("progress.yaml"), "--workers", "1", "--store", folder.file("s.sqlite")]
            .map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        let redraws = text.components(separatedBy: "\r\u{1B}[K").dropFirst()
        #expect(redraws.count >= 3, "the progress line is redrawn while trials run (\(redraws.count) draws)")
        let counts = redraws.compactMap { draw -> Int? in
            guard draw.hasPrefix("done "), let slash = draw.firstIndex(of: "/") else { return nil }
            return Int(draw[draw.index(draw.startIndex, offsetBy: 5)..<slash])
        }
        #expect(counts == counts.sorted(), "done never goes backwards: \(counts)")
        #expect(counts.last == 4)
        #expect(redraws.last?.contains("ETA") == false, "no ETA once everything is done")
    }
}
