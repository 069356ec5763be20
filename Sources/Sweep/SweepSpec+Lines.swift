import Yams

extension SweepSpec {
    /// The 1-based line of the key at dotted `keyPath` (`dataset.path`) in a sweep file's text, or
    /// nil when the text does not parse or has no such key: for messages about a value that is
    /// valid YAML but wrong on this machine (a data path that is missing here).
    public static func line(of keyPath: String, inYAML yaml: String) -> Int? {
        let reader = YAMLReader(file: "")
        guard var map = try? reader.root(of: yaml) else { return nil }
        let keys = keyPath.split(separator: ".").map(String.init)
        for (position, key) in keys.enumerated() {
            guard let entry = map[key] else { return nil }
            if position == keys.count - 1 { return entry.line }
            guard let next = try? YAMLMap(entry.value, path: entry.path, line: entry.line, reader: reader, what: "a mapping")
            else { return nil }
            map = next
        }
        return nil
    }
}
