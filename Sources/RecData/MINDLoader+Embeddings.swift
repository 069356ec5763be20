extension MINDLoader {
    /// Reads a `.vec` file (an id, then tab-separated numbers, often with a trailing tab) into
    /// `embeddings`, which takes its dimension from the first line read.
    ///
    /// An id already present keeps its first vector; repeats within the file are counted in
    /// `report.duplicatesRemoved[key]`, ids an earlier file gave in `report.skipped[key]`.
    static func loadEmbeddings(
        path: String, key: String, into embeddings: inout MINDEmbeddings?, report: inout LoadReport
    ) throws(DataError) {
        let file = try openFile(path)
        try withBytes(of: file) { raw throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .tab, file: path, maxFields: 1025)
            var vector: [Float] = []
            var rows = 0
            let countBefore = embeddings?.count ?? 0
            while try scanner.next() {
                var fields = scanner.fieldCount
                guard fields <= scanner.capacity else {
                    throw DataError(
                        .wrongFieldCount, file: path, line: scanner.lineNumber,
                        message: "expected an id and at most \(scanner.capacity - 2) tab-separated numbers, "
                            + "got \(fields) fields")
                }
                if fields > 1 && scanner.isEmpty(fields - 1) { fields -= 1 }  // trailing tab
                let dimension = embeddings?.dimension ?? (fields - 1)
                guard fields >= 2, fields - 1 == dimension else {
                    throw DataError(
                        .wrongFieldCount, file: path, line: scanner.lineNumber,
                        message:
                            "expected an id and \(dimension < 1 ? "some" : String(dimension)) tab-separated numbers, "
                            + "got \(max(fields - 1, 0)) numbers",
                        hint: dimension < 1 ? nil : "every vector has the dimension of the first one read")
                }
                rows += 1
                let id = try scanner.string(0, name: "id")
                vector.removeAll(keepingCapacity: true)
                for field in 1..<fields {
                    guard let value = ByteScanner.parseDouble(scanner.bytes(field)), value.isFinite else {
                        throw DataError(
                            .badNumber, file: path, line: scanner.lineNumber, fieldIndex: field + 1,
                            fieldName: "dimension \(field)",
                            message: "expected a number, got '\(scanner.preview(field))'")
                    }
                    vector.append(Float(value))
                }
                if embeddings == nil { embeddings = MINDEmbeddings(dimension: dimension) }
                let added = vector.withUnsafeBufferPointer { embeddings!.add(id: id, vector: $0) }
                if !added {
                    if let index = embeddings!.ids.index(of: id), Int(index) < countBefore {
                        report.skip(key, reason: "id already has a vector from an earlier file (first kept)")
                    } else {
                        report.duplicatesRemoved[key, default: 0] += 1
                    }
                }
            }
            guard rows > 0 else {
                throw DataError(.emptyFile, file: path, message: "no vectors", hint: "a .vec file has at least one row")
            }
            report.rowsRead[key] = rows
        }
    }
}
