import Yams

/// A mapping read in file order, with its keys checked against what is allowed.
struct YAMLMap {
    let path: String
    /// Line of the key that owns the mapping (of the first key for the root).
    let line: Int
    let entries: [YAMLEntry]
    let reader: YAMLReader

    init(empty path: String, line: Int, reader: YAMLReader) {
        self.path = path
        self.line = line
        self.entries = []
        self.reader = reader
    }

    init(_ node: Node, path: String, line: Int, reader: YAMLReader, what: String) throws(SweepSpecError) {
        guard let mapping = node.mapping else {
            let name = path.split(separator: ".").last.map(String.init) ?? ""
            let subject = name.isEmpty ? what.prefix(1).uppercased() + what.dropFirst() : "'\(name)'"
            throw reader.error(
                line: node.line, key: path, "\(subject) must be \(Self.article(what)), got \(node.phrase)")
        }
        var entries: [YAMLEntry] = []
        for (keyNode, value) in mapping {
            // Scalars of any type are names here (`u1:`, `10:`); mappings and lists are not.
            guard let key = keyNode.scalar?.string, !key.isEmpty else {
                throw reader.error(line: keyNode.line, key: path, "keys must be names, got \(keyNode.phrase)")
            }
            entries.append(
                YAMLEntry(key: key, path: Self.join(path, key), line: keyNode.line, value: value, reader: reader))
        }
        self.path = path
        self.line = line
        self.entries = entries
        self.reader = reader
    }

    private static func article(_ what: String) -> String {
        what.hasPrefix("a ") || what.hasPrefix("the ") ? what : "a mapping (\(what))"
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    subscript(key: String) -> YAMLEntry? { entries.first { $0.key == key } }

    var keys: [String] { entries.map(\.key) }

    /// The entry or `line: missing required key 'key' in 'path' (hint)`.
    func require(_ key: String, hint: String) throws(SweepSpecError) -> YAMLEntry {
        guard let entry = self[key] else {
            let place = path.isEmpty ? "" : " in '\(path)'"
            throw reader.error(line: line, key: Self.join(path, key), "missing required key '\(key)'\(place): \(hint)")
        }
        return entry
    }

    /// Every key must be one of `allowed`; a typo gets a "did you mean".
    func rejectUnknownKeys(allowed: [String]) throws(SweepSpecError) {
        for entry in entries where !allowed.contains(entry.key) {
            let what = path.isEmpty ? "unknown top-level key '\(entry.key)'" : "unknown key '\(entry.key)' in '\(path)'"
            throw reader.error(
                line: entry.line, key: entry.path,
                "\(what)\(DidYouMean.separator(for: entry.key, among: allowed))expected one of: \(allowed.joined(separator: ", "))"
            )
        }
    }

    /// For mappings that hold exactly one of several alternatives (`random: …` or `official: …`).
    func single(_ what: String, allowed: [String]) throws(SweepSpecError) -> YAMLEntry {
        try rejectUnknownKeys(allowed: allowed)
        guard entries.count == 1, let entry = entries.first else {
            let name = path.split(separator: ".").last.map(String.init) ?? path
            let got = entries.isEmpty ? "none" : keys.map { "'\($0)'" }.joined(separator: " and ")
            throw reader.error(
                line: entries.count > 1 ? entries[1].line : line, key: path,
                "'\(name)' must name exactly one \(what) (\(allowed.joined(separator: ", "))), got \(got)")
        }
        return entry
    }
}
