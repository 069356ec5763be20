import Foundation
public import Logging
import RecData

/// How the coordinator and workers write their logs on standard error.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `coordinator [warning] message key=value …`, for people.
    case text
    /// One JSON object per line (`time`, `level`, `process`, `message`, then the metadata:
    /// `sweep.id`, `trial.id`, `worker.id`, …), for log collectors.
    case json
}

/// A swift-log handler that writes one line per event to standard error (or any sink), as text or
/// JSON. Peers' ids and messages reach the log, so in text every control character and
/// undecodable byte is escaped (a hostile id must not garble a terminal), and JSON escapes them
/// as JSON does.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .warning
    let process: String
    let format: LogFormat
    let write: @Sendable (String) -> Void

    public init(process: String, format: LogFormat, write: @escaping @Sendable (String) -> Void = LineLogHandler.standardError) {
        self.process = process
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        write(line(level: event.level, message: event.message.description, metadata: merged, at: Date()))
    }

    /// The line for one event, newline included.
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, at time: Date) -> String {
        switch format {
        case .text:
            let extra = metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
            return "\(process) [\(level)] \(Self.printable(message))\(extra.isEmpty ? "" : " ")\(Self.printable(extra))\n"
        case .json:
            var fields: [(String, String)] = [
                ("time", time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
                ("level", level.rawValue), ("process", process), ("message", message),
            ]
            for key in metadata.keys.sorted() where !["time", "level", "process", "message"].contains(key) {
                fields.append((key, "\(metadata[key]!)"))
            }
            return "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}\n"
        }
    }

    /// Writes to standard error in one call (lines from several threads never interleave).
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// `text` with control characters and undecodable bytes escaped as `\u{…}`.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A JSON string literal, as every JSON writer in crossrec spells it.
    static func jsonString(_ text: String) -> String {
        var literal = ""
        JSONStringLiteral.append(text, to: &literal)
        return literal
    }
}
