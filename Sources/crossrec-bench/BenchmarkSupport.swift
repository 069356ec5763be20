import Foundation

/// What every benchmark report and runner shares.
enum BenchmarkSupport {
    /// `release`, or a warning that debug numbers mean nothing.
    static var buildConfiguration: String {
        #if DEBUG
            return "debug (numbers are meaningless: use -c release)"
        #else
            return "release"
        #endif
    }

    /// Seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The `crossrec` executable built beside this one (same configuration).
    static func crossrecExecutable() throws -> String {
        let crossrec = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("crossrec").path
        guard FileManager.default.isExecutableFile(atPath: crossrec) else {
            throw BenchmarkError("\(crossrec) not found: build the crossrec product in the same configuration first")
        }
        return crossrec
    }

    /// A new folder `NAME-PID` in the temporary folder; the caller removes it.
    static func temporaryFolder(_ name: String) throws -> String {
        let root = NSTemporaryDirectory() + "\(name)-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    /// Prints `report` as pretty, key-sorted JSON and writes it to `output` too when given.
    static func emit(_ report: some Encodable, output: String?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        print(json)
        if let output { try Data((json + "\n").utf8).write(to: URL(fileURLWithPath: output)) }
    }
}
