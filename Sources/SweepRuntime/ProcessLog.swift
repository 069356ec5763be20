import Foundation
import SweepWire

/// The coordinator's and worker's log lines on standard error: `<who> [<level>] <message> key=value …`,
/// warnings and above unless verbose. Peers' routing ids, worker ids and messages reach the log,
/// so control characters and undecodable bytes are escaped: a random or hostile id must not
/// garble the terminal. Safe to use from several threads (the ZAP handler logs refused keys).
final class ProcessLog: Sendable {
    let who: String
    let verbose: Bool
    private let lock = NSLock()

    init(who: String, verbose: Bool) {
        self.who = who
        self.verbose = verbose
    }

    func shows(_ level: LogLevel) -> Bool { verbose || level >= .warning }

    func log(_ level: LogLevel, _ message: String, _ metadata: [String: String] = [:]) {
        guard shows(level) else { return }
        let extra = metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
        let line = "\(who) [\(level)] \(Self.printable(message))\(extra.isEmpty ? "" : " ")\(Self.printable(extra))\n"
        lock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        lock.unlock()
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
}
