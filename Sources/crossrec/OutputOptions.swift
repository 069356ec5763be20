import ArgumentParser
import Foundation
import SweepRuntime

/// The one output convention of every command: `--format` chooses what is written (only where more
/// than one format exists) and `--output PATH` where (standard output without it).
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv, md, html

    /// `markdown` is accepted for `md`, as earlier versions spelled it.
    init?(argument: String) {
        switch argument.lowercased() {
        case "markdown": self = .md
        default:
            guard let format = OutputFormat(rawValue: argument.lowercased()) else { return nil }
            self = format
        }
    }

    /// `table, json` for the help and for errors.
    static func list(_ formats: [OutputFormat]) -> String { formats.map(\.rawValue).joined(separator: ", ") }

    /// Throws a usage error naming the accepted formats when `self` is not one of them.
    func check(_ accepted: [OutputFormat], command: String) throws {
        guard accepted.contains(self) else {
            throw ValidationError("\(command) writes \(Self.list(accepted)); --format \(rawValue) is not one of them")
        }
    }
}

/// Writes command output to a file or to standard output.
enum OutputFile {
    /// `text` to `path` (its folder created), or printed when `path` is nil. A file that cannot be
    /// written is an error that says why (permission denied, a file where a folder should be…).
    static func emit(_ text: String, to path: String?) throws {
        guard let path else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return
        }
        try write(text.hasSuffix("\n") ? text : text + "\n", to: path)
    }

    /// Writes `text` to `path` atomically, creating the folder; errors name the path and the reason.
    static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RuntimeError("cannot write \(path): \(FileErrorText.reason(error, path: path))")
        }
    }
}

