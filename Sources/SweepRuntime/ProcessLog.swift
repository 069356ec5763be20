import Foundation
import Logging
import SweepWire

/// The coordinator's and worker's log: a swift-log `Logger` whose ``LineLogHandler`` writes text
/// (`<who> [<level>] <message> key=value …`) or JSON lines on standard error, warnings and above
/// unless verbose. The cores return log events (`.log(level, message, metadata)`); the shells
/// hand them to this. Safe to use from several threads (the ZAP handler logs refused keys).
final class ProcessLog: Sendable {
    let who: String
    let verbose: Bool
    let logger: Logger

    init(who: String, verbose: Bool, format: LogFormat = .text, metadata: Logger.Metadata = [:]) {
        self.who = who
        self.verbose = verbose
        var logger = Logger(label: "crossrec.\(who)") { _ in LineLogHandler(process: who, format: format) }
        logger.logLevel = verbose ? .trace : .warning
        // In text the process name already says who logs; JSON lines carry it as fields too.
        if format == .json { for (key, value) in metadata { logger[metadataKey: key] = value } }
        self.logger = logger
    }

    func shows(_ level: LogLevel) -> Bool { verbose || level >= .warning }

    func log(_ level: LogLevel, _ message: String, _ metadata: [String: String] = [:]) {
        guard shows(level) else { return }
        logger.log(level: Self.level(level), "\(message)", metadata: metadata.mapValues { .string($0) })
    }

    static func level(_ level: LogLevel) -> Logger.Level {
        switch level {
        case .trace: return .trace
        case .debug: return .debug
        case .info: return .info
        case .notice: return .notice
        case .warning: return .warning
        case .error: return .error
        case .critical: return .critical
        }
    }

    /// `text` with control characters and undecodable bytes escaped as `\u{…}`.
    static func printable(_ text: String) -> String { LineLogHandler.printable(text) }
}
