import Foundation

/// Loads any delimited `user,item[,value[,timestamp]]` file as one domain, so a platform other
/// than MovieLens or MIND can join a cross-domain data set.
///
/// Columns are chosen by header name or by 0-based position. With `header == .auto` the first
/// line is a header when it contains a usual column name (`user`, `item`, `rating`, `timestamp`,
/// …) or when its third field is not a number. The separator is detected from the first line
/// (tab, then comma as RFC 4180 CSV, then `;`, then `|`) unless given.
public struct GenericInteractionsLoader: Sendable {
    public enum Header: String, Sendable, CaseIterable {
        case auto, present, absent
    }

    /// A column chosen by header name or 0-based position.
    public enum ColumnRef: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case name(String)
        case position(Int)

        public init(stringLiteral value: String) { self = .name(value) }
        public init(integerLiteral value: Int) { self = .position(value) }

        /// `"3"` is a position, anything else a name.
        public init(parsing text: String) { self = Int(text).map(ColumnRef.position) ?? .name(text) }
    }

    public var separator: FieldSeparator?
    public var header: Header = .auto
    public var user: ColumnRef = .position(0)
    public var item: ColumnRef = .position(1)
    /// nil: implicit events with value 1. The default position 2 applies only when the file has a third column.
    public var value: ColumnRef? = .position(2)
    public var timestamp: ColumnRef? = .position(3)
    public var domainName: String = "items"
    public var duplicates: DuplicatePolicy = .keepLast
    /// How the value column is read (see ``Feedback``).
    public var feedback: Feedback = .auto

    /// Whether a file's rows are graded ratings or positive events.
    public enum Feedback: String, Sendable, CaseIterable, Codable {
        /// Explicit when the file has a value column whose values are not all the same; a column
        /// holding one value everywhere (`user item 1`) is read as implicit, and the report says so.
        case auto
        /// Every row is a positive event (value 1), whatever the value column holds.
        case implicit
        /// The value column holds ratings (an error when there is none).
        case explicit
    }

    public init() {}

    /// Loads `file` as a one-domain data set.
    public func load(file: String) throws(DataError) -> Dataset {
        var users = IDMap()
        var items = IDMap()
        let domain = try loadDomain(file: file, users: &users, items: &items)
        var report = LoadReport()
        report.rowsRead[(file as NSString).lastPathComponent] = domain.rows
        if domain.duplicates > 0 { report.duplicatesRemoved[(file as NSString).lastPathComponent] = domain.duplicates }
        if let note = domain.note { report.notes.append(note) }
        report.warnings += domain.warnings
        return Dataset(
            name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension, layout: "generic interactions (\(domain.layout))",
            users: users, domains: [domain.domain], report: report)
    }

    struct Loaded {
        var domain: Domain
        var rows: Int
        var duplicates: Int
        var layout: String
        /// Said to the user: how the feedback was read when it was decided from the values.
        var note: String?
        /// Odd but valid input (values beyond ``RatingsParser/largeValueLimit``), naming the line.
        var warnings: [String] = []
    }

    /// Loads `file` as one domain, numbering users and items in `users` and `items` (so that a
    /// test file read after its training file shares their indices).
    func loadDomain(file: String, users: inout IDMap, items: inout IDMap) throws(DataError) -> Loaded {
        let bytes = try FileBytes(path: file, expectedLayout: "generic interactions (user,item[,value[,timestamp]])")
        let firstLine = bytes.firstLine()
        let separator = self.separator ?? Self.detectSeparator(firstLine: firstLine, file: file)
        let headerFields = Self.splitHeader(firstLine, separator: separator)
        let hasHeader: Bool
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto: hasHeader = Self.looksLikeHeader(headerFields)
        }
        func resolve(_ ref: ColumnRef, role: String) throws(DataError) -> Int {
            switch ref {
            case .position(let position):
                guard position >= 0 else {
                    throw DataError(.invalidArgument, file: file, fieldName: role, message: "column position must be ≥ 0, got \(position)")
                }
                return position
            case .name(let name):
                guard hasHeader else {
                    throw DataError(
                        .invalidArgument, file: file, fieldName: role,
                        message: "column '\(name)' chosen by name but the file has no header", hint: "give a 0-based position instead")
                }
                guard let index = headerFields.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                    throw DataError(
                        .invalidArgument, file: file, line: 1, fieldName: role,
                        message: "no column named '\(name)'; the header has \(headerFields.map { "'\($0)'" }.joined(separator: ", "))")
                }
                return index
            }
        }
        let fieldCount = max(headerFields.count, 1)
        let userColumn = try resolve(user, role: "user column")
        let itemColumn = try resolve(item, role: "item column")
        // Default value/timestamp positions apply only when the file has that many columns.
        func optional(_ ref: ColumnRef?, role: String, defaultPosition: Int) throws(DataError) -> Int? {
            guard let ref else { return nil }
            if ref == .position(defaultPosition) && fieldCount <= defaultPosition { return nil }
            return try resolve(ref, role: role)
        }
        var valueColumn = try optional(value, role: "value column", defaultPosition: 2)
        if feedback == .explicit && valueColumn == nil {
            throw DataError(
                .invalidArgument, file: file, fieldName: "value column",
                message: "feedback: explicit needs a value column, and this file has none",
                hint: "name the rating column, or use feedback: implicit")
        }
        if feedback == .implicit { valueColumn = nil }
        let timeColumn = try optional(timestamp, role: "timestamp column", defaultPosition: 3)
        var names = (0..<max(fieldCount, [userColumn, itemColumn, valueColumn ?? 0, timeColumn ?? 0].max()! + 1)).map { "column \($0 + 1)" }
        if hasHeader { for (i, name) in headerFields.enumerated() { names[i] = name } }
        let columns = InteractionColumns(user: userColumn, item: itemColumn, value: valueColumn, timestamp: timeColumn)
        let parser = RatingsParser(
            file: file, displayName: file, separator: separator, columns: columns, fieldNames: names, hasHeader: hasHeader,
            valueRange: nil, exactFieldCount: nil)
        var interactions = Interactions()
        var large = RatingsParser.LargeValues()
        let rows = try parser.parse(into: &interactions, users: &users, items: &items, knownOnly: false, largeValues: &large)
        var warnings: [String] = []
        if large.count > 0, let valueColumn {
            warnings.append(
                "\(file):\(large.line): field \(valueColumn + 1) '\(names[valueColumn])': value '\(large.text)' is beyond "
                    + "±\(Int(RatingsParser.largeValueLimit)) (\(large.count) such row\(large.count == 1 ? "" : "s")): unusual for a "
                    + "rating or a count, and it dominates squared-error models (mf); check the value column")
        }
        var isExplicit = valueColumn != nil
        var note: String?
        if feedback == .auto, isExplicit, let first = interactions.values.first,
            interactions.values.allSatisfy({ $0 == first })
        {
            isExplicit = false
            note = "\((file as NSString).lastPathComponent): every value is \(first.rounded() == first && abs(first) < 1e9 ? "\(Int(first))" : "\(first)"), read as implicit feedback "
                + "(positive events); if they are ratings, say feedback: explicit"
        }
        let removed = try MovieLensLoader.applyDuplicates(
            duplicates, to: &interactions, users: users, items: items, itemCount: items.count, file: file)
        var catalog = ItemCatalog()
        catalog.ensureCount(items.count)
        let domain = Domain(name: domainName, items: items, catalog: catalog, interactions: interactions, isExplicit: isExplicit)
        let layout = "\(separator)-separated, \(hasHeader ? "with" : "no") header, columns user=\(userColumn + 1) item=\(itemColumn + 1)"
            + (valueColumn.map { " value=\($0 + 1)" } ?? "") + (isExplicit ? "" : " (implicit)")
            + (timeColumn.map { " timestamp=\($0 + 1)" } ?? "")
        return Loaded(domain: domain, rows: rows, duplicates: removed, layout: layout, note: note, warnings: warnings)
    }

    static func detectSeparator(firstLine: [UInt8], file: String) -> FieldSeparator {
        if firstLine.contains(UInt8(ascii: "\t")) { return .tab }
        // MovieLens 1M/10M `ratings.dat`: `1::1193::5::978300760`.
        let colon = UInt8(ascii: ":")
        if zip(firstLine, firstLine.dropFirst()).contains(where: { $0 == colon && $1 == colon }) { return .doubleColon }
        if firstLine.contains(UInt8(ascii: ",")) { return .csv }
        if firstLine.contains(UInt8(ascii: ";")) { return .byte(UInt8(ascii: ";")) }
        if firstLine.contains(UInt8(ascii: "|")) { return .pipe }
        if file.hasSuffix(".tsv") { return .tab }
        return .csv
    }

    static func splitHeader(_ line: [UInt8], separator: FieldSeparator) -> [String] {
        var text = String(decoding: line, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let parts: [Substring]
        switch separator {
        case .byte(let byte): parts = text.split(separator: Character(Unicode.Scalar(byte)), omittingEmptySubsequences: false)
        case .doubleColon: parts = text.components(separatedBy: "::").map { Substring($0) }
        case .csv: parts = text.split(separator: ",", omittingEmptySubsequences: false)
        }
        return parts.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
    }

    /// A first line is a header when it names a usual column or its third field is not a number.
    static func looksLikeHeader(_ fields: [String]) -> Bool {
        let words = ["user", "userid", "user_id", "item", "itemid", "item_id", "rating", "value", "timestamp", "movieid", "time"]
        if fields.contains(where: { words.contains($0.lowercased()) }) { return true }
        if fields.count >= 3 { return Double(fields[2]) == nil }
        return false
    }
}
