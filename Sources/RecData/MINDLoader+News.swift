import Foundation

extension MINDLoader {
    /// Parses one `news.tsv` into the catalog.
    ///
    /// A news id repeated within the file keeps its first row and is counted in
    /// `report.duplicatesRemoved[key]`; a row for an id an earlier split's `news.tsv` already
    /// described is counted in `report.skipped[key]` (the first row is kept; MIND repeats shared
    /// articles in train and dev). Repeated rows are counted without being parsed further.
    /// - Returns: by news index, whether this file has a row for it (for per-split coverage).
    static func loadNews(
        path: String, key: String, news: inout MINDIDInterner, catalog: inout ItemCatalog, report: inout LoadReport
    ) throws(DataError) -> [Bool] {
        let file = try openFile(path)
        return try withBytes(of: file) { raw throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .tab, file: path, maxFields: 16)
            var own: [Bool] = []
            var rows = 0
            while try scanner.next() {
                try scanner.requireFields(8, names: newsFields)
                rows += 1
                let idBytes = scanner.bytes(0)
                guard !idBytes.isEmpty else {
                    throw DataError(
                        .badValue, file: path, line: scanner.lineNumber, fieldIndex: 1, fieldName: newsFields[0],
                        message: "empty news id")
                }
                guard let index = news.intern(idBytes) else {
                    throw DataError(
                        .encoding, file: path, line: scanner.lineNumber, fieldIndex: 1, fieldName: newsFields[0],
                        message: "not valid UTF-8", hint: "MIND files are UTF-8")
                }
                let slot = Int(index)
                catalog.ensureCount(slot + 1)
                if slot >= own.count { own.append(contentsOf: repeatElement(false, count: slot + 1 - own.count)) }
                if own[slot] {
                    report.duplicatesRemoved[key, default: 0] += 1
                    continue
                }
                own[slot] = true
                if catalog.records[slot] != nil {
                    report.skip(
                        key, reason: "news id already described by an earlier split's news.tsv (first row kept)")
                    continue
                }
                let category = try scanner.string(1, name: newsFields[1])
                let subcategory = try scanner.string(2, name: newsFields[2])
                let title = try scanner.string(3, name: newsFields[3])
                let abstract = try scanner.string(4, name: newsFields[4])
                let url = try scanner.string(5, name: newsFields[5])
                var entities = try entityIDs(scanner, field: 6)
                for entity in try entityIDs(scanner, field: 7) where !entities.contains(entity) {
                    entities.append(entity)
                }
                catalog.records[slot] = ItemRecord(
                    title: title, categories: category.isEmpty ? [] : [catalog.category(named: category)],
                    subcategory: subcategory.isEmpty ? nil : subcategory, abstract: abstract.isEmpty ? nil : abstract,
                    url: url.isEmpty ? nil : url, entities: entities)
            }
            guard rows > 0 else {
                throw DataError(
                    .emptyFile, file: path, message: "no news rows", hint: "a MIND file has at least one row")
            }
            report.rowsRead[key] = rows
            return own
        }
    }

    /// The distinct `WikidataId`s of an entity list field, in order: a JSON array of objects
    /// with `Label`, `Type`, `WikidataId`, `Confidence`, `OccurrenceOffsets`, `SurfaceForms`.
    /// An empty field and `[]` are empty lists.
    static func entityIDs(_ scanner: borrowing ByteScanner, field: Int) throws(DataError) -> [String] {
        let bytes = scanner.bytes(field)
        var first = 0
        var last = bytes.count
        while first < last && bytes[first] == UInt8(ascii: " ") { first += 1 }
        while last > first && bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
        if first == last
            || (last - first == 2 && bytes[first] == UInt8(ascii: "[") && bytes[first + 1] == UInt8(ascii: "]"))
        {
            return []
        }
        func failure(_ problem: String) -> DataError {
            DataError(
                .badJSON, file: scanner.file, line: scanner.lineNumber, fieldIndex: field + 1,
                fieldName: newsFields[field],
                message: "expected a JSON list of entity objects with a \"WikidataId\", \(problem)",
                hint: "the field holds e.g. [{\"Label\": \"…\", \"Type\": \"P\", \"WikidataId\": \"Q42\", …}]")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw failure("got invalid JSON '\(scanner.preview(field))'")
        }
        guard let list = parsed as? [Any] else { throw failure("got '\(scanner.preview(field))'") }
        var ids: [String] = []
        ids.reserveCapacity(list.count)
        for (position, element) in list.enumerated() {
            guard let object = element as? [String: Any] else {
                throw failure("element \(position + 1) is not an object")
            }
            guard let id = object["WikidataId"] as? String, !id.isEmpty else {
                throw failure("element \(position + 1) has no \"WikidataId\" string")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
