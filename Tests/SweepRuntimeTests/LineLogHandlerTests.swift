import Foundation
import Logging
import Testing

@testable import SweepRuntime

/// The coordinator's and workers' log lines: text for people, one JSON object per line for log
/// collectors, with hostile peer text escaped in both.
@Suite struct LineLogHandlerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    static func logger(_ format: LogFormat, into lines: Lines) -> Logger {
        var logger = Logger(label: "test") { _ in LineLogHandler(process: "coordinator", format: format) { lines.append($0) } }
        logger.logLevel = .info
        logger[metadataKey: "sweep"] = "demo"
        return logger
    }

    @Test func jsonLinesParseAndCarryTheMetadataAsFields() throws {
        let lines = Lines()
        Self.logger(.json, into: lines).warning(
            "lease lost", metadata: ["trial.id": "abc", "worker.id": "w\"1\n\u{1B}[31m"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false, "one line per event")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "warning" && object["process"] == "coordinator" && object["message"] == "lease lost")
        #expect(object["sweep"] == "demo" && object["trial.id"] == "abc")
        #expect(object["worker.id"] == "w\"1\n\u{1B}[31m", "a hostile id survives as data, escaped on the wire")
        #expect(object["time"]?.hasSuffix("Z") == true, "UTC: \(object["time"] ?? "")")
    }

    @Test func textEscapesControlCharactersAndSortsTheMetadata() throws {
        let lines = Lines()
        Self.logger(.text, into: lines).error("bad frame from \u{1B}[2J", metadata: ["z": "1", "a": "2"])
        #expect(lines.all == ["coordinator [error] bad frame from \\u{1b}[2J a=2 sweep=demo z=1\n"])
    }

    @Test func levelsBelowTheLoggersAreDropped() {
        let lines = Lines()
        let logger = Self.logger(.json, into: lines)
        logger.debug("not shown")
        logger.info("shown")
        #expect(lines.all.count == 1)
    }
}
