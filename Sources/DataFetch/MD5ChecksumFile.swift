/// A parsed `.md5` checksum file, as GroupLens publishes beside each MovieLens zip.
///
/// Two line forms are understood, one entry per line; blank lines and `#` comments are skipped:
/// - BSD `md5`: `MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c0723`
/// - GNU `md5sum`: `0e33842e24a9c977be4e0107933c0723  ml-100k.zip` (a `*` before the name, for binary
///   mode, is dropped), or the bare digest alone.
///
/// Digests are 32 hexadecimal digits and are stored lowercased.
public struct MD5ChecksumFile: Sendable, Hashable {
    /// One line of the file.
    public struct Entry: Sendable, Hashable {
        /// Lowercase hexadecimal MD5 digest.
        public var digest: String
        /// The file the digest is for; `nil` for a bare digest line.
        public var fileName: String?

        public init(digest: String, fileName: String?) {
            self.digest = digest
            self.fileName = fileName
        }
    }

    /// Why a checksum file could not be parsed.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case malformedLine(number: Int, line: String)

        public var description: String {
            switch self {
            case .empty:
                return "the checksum file holds no digest"
            case .malformedLine(let number, let line):
                return "line \(number) '\(line.prefix(120))': expected 'MD5 (file) = <32 hex digits>' "
                    + "or '<32 hex digits>  file'"
            }
        }
    }

    /// Entries in file order.
    public var entries: [Entry]

    /// Parses the text of a checksum file.
    /// - Throws: ``ParseError`` when a non-blank line is in neither form or no line holds a digest.
    public init(parsing text: String) throws(ParseError) {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let entry = Self.parseBSD(line) ?? Self.parseGNU(line) else {
                throw .malformedLine(number: index + 1, line: String(line))
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw .empty }
        self.entries = entries
    }

    /// The digest recorded for `fileName`: the entry naming it, or the only entry when that entry names no file.
    /// `nil` when the file lists other names only.
    public func digest(for fileName: String) -> String? {
        if let entry = entries.first(where: { $0.fileName == fileName }) { return entry.digest }
        if entries.count == 1, entries[0].fileName == nil { return entries[0].digest }
        return nil
    }

    /// `MD5 (name) = digest`
    private static func parseBSD(_ line: Substring) -> Entry? {
        guard line.hasPrefix("MD5"), let equals = line.lastIndex(of: "=") else { return nil }
        let label = line[line.index(line.startIndex, offsetBy: 3)..<equals].trimmingWhitespace()
        guard label.hasPrefix("("), label.hasSuffix(")"), label.count >= 2 else { return nil }
        let name = label.dropFirst().dropLast()
        guard let digest = normalizedDigest(line[line.index(after: equals)...].trimmingWhitespace()) else {
            return nil
        }
        return Entry(digest: digest, fileName: name.isEmpty ? nil : String(name))
    }

    /// `digest  name`, `digest *name` or `digest`
    private static func parseGNU(_ line: Substring) -> Entry? {
        let digestEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? line.endIndex
        guard let digest = normalizedDigest(line[..<digestEnd]) else { return nil }
        var name = line[digestEnd...].trimmingWhitespace()
        if name.hasPrefix("*") { name = name.dropFirst() }
        return Entry(digest: digest, fileName: name.isEmpty ? nil : String(name))
    }

    private static func normalizedDigest(_ text: Substring) -> String? {
        guard text.count == 32, text.allSatisfy(\.isHexDigit) else { return nil }
        return text.lowercased()
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
