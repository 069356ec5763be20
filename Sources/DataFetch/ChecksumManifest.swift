import Foundation

/// The SHA-256 of every archive the fetcher placed in a cache folder, so that a later run can tell that a
/// cached archive changed or was corrupted since it was verified.
///
/// Stored as `<cache>/downloads.sha256` in `sha256sum` format (`<64 hex digits>  <file name>` per line,
/// sorted by name), so `cd <cache> && sha256sum -c downloads.sha256` checks it by hand too.
/// Lines that are not in that form are ignored on reading and dropped on writing.
/// - Note: not safe against two processes fetching into one cache folder at once.
struct ChecksumManifest: Sendable, Equatable {
    static let fileName = "downloads.sha256"

    /// SHA-256 (lowercase hex) by archive file name.
    var sha256ByFileName: [String: String]

    init(sha256ByFileName: [String: String] = [:]) {
        self.sha256ByFileName = sha256ByFileName
    }

    /// Parses manifest text.
    init(parsing text: String) {
        var digests: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let space = line.firstIndex(of: " ") else { continue }
            let digest = line[..<space]
            var name = line[space...].drop(while: { $0 == " " })
            if name.hasPrefix("*") { name = name.dropFirst() }
            guard digest.count == 64, digest.allSatisfy(\.isHexDigit), !name.isEmpty else { continue }
            digests[String(name)] = digest.lowercased()
        }
        self.sha256ByFileName = digests
    }

    /// Reads the manifest of `cacheDirectory`; an absent manifest is empty.
    init(in cacheDirectory: URL) throws {
        let url = Self.url(in: cacheDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else {
            self.init()
            return
        }
        self.init(parsing: try String(contentsOf: url, encoding: .utf8))
    }

    static func url(in cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent(fileName)
    }

    /// The manifest text, one line per archive, sorted by file name.
    var text: String {
        sha256ByFileName.keys.sorted().map { "\(sha256ByFileName[$0]!)  \($0)\n" }.joined()
    }

    /// Replaces the manifest of `cacheDirectory` atomically.
    func write(in cacheDirectory: URL) throws {
        try Data(text.utf8).write(to: Self.url(in: cacheDirectory), options: .atomic)
    }
}
