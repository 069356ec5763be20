import Foundation

extension MovieLensLoader {
    /// Genre names of `u.genre` (`name|index`), or the documented 19 when the file is absent.
    static func readGenres100K(path: String, label: String, report: inout LoadReport) throws(DataError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else {
            report.notes.append("u.genre absent: using the 19 documented genre names")
            return MovieLensLayout.genres100K
        }
        let bytes = try FileBytes(path: path)
        return try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) -> [String] in
            var scanner = ByteScanner(bytes: raw, separator: .pipe, file: label)
            var genres: [(Int64, String)] = []
            while try scanner.next() {
                try scanner.requireFields(2, names: ["genre", "index"])
                genres.append((try scanner.int(1, name: "index"), scanner.latin1String(0)))
            }
            genres.sort { $0.0 < $1.0 }
            for (position, genre) in genres.enumerated() where genre.0 != Int64(position) {
                throw DataError(
                    .badValue, file: label, fieldIndex: 2, fieldName: "index",
                    message: "genre indices must be 0…\(genres.count - 1) without gaps, found \(genre.0) at position \(position)")
            }
            return genres.map(\.1)
        }
    }

    /// `u.item`: `id|title|release date|video release date|IMDb URL|` + one 0/1 flag per genre, Latin-1.
    static func readItems100K(
        path: String, label: String, genreCount: Int, items: inout IDMap, catalog: inout ItemCatalog
    ) throws(DataError) {
        let bytes = try FileBytes(path: path, expectedLayout: MovieLensLayout.ml100k.rawValue)
        try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .pipe, file: label)
            let names = ["movie id", "movie title", "release date", "video release date", "IMDb URL"]
            while try scanner.next() {
                try scanner.requireFields(5 + genreCount, names: names + ["\(genreCount) genre flags"])
                let index = items.intern(bytes: scanner.bytes(0))
                guard Int(index) == catalog.records.count else {
                    throw DataError(
                        .duplicate, file: label, line: scanner.lineNumber, fieldIndex: 1, fieldName: "movie id",
                        message: "movie '\(scanner.preview(0))' is listed twice")
                }
                var genres: [Int32] = []
                for g in 0..<genreCount {
                    let flag = scanner.bytes(5 + g)
                    guard flag.count == 1, flag[0] == UInt8(ascii: "0") || flag[0] == UInt8(ascii: "1") else {
                        throw DataError(
                            .badValue, file: label, line: scanner.lineNumber, fieldIndex: 6 + g,
                            fieldName: "genre flag '\(MovieLensLayout.genres100K.indices.contains(g) ? MovieLensLayout.genres100K[g] : String(g))'",
                            message: "expected 0 or 1, got '\(scanner.preview(5 + g))'")
                    }
                    if flag[0] == UInt8(ascii: "1") { genres.append(Int32(g)) }
                }
                let title = scanner.latin1String(1)
                let date = scanner.latin1String(2)
                let year = titleYear(title) ?? date.split(separator: "-").last.flatMap { Int($0) }
                let url = scanner.latin1String(4)
                catalog.records.append(
                    ItemRecord(title: title, year: year, categories: genres, url: url.isEmpty ? nil : url))
            }
        }
    }

    /// `movies.dat`: `MovieID::Title::Genres` (genres `|`-separated; Latin-1 in 1M, UTF-8 in 10M).
    static func readMoviesDat(
        path: String, label: String, latin1: Bool, items: inout IDMap, catalog: inout ItemCatalog
    ) throws(DataError) {
        let bytes = try FileBytes(path: path, expectedLayout: latin1 ? "MovieLens 1M" : "MovieLens 10M")
        try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .doubleColon, file: label)
            while try scanner.next() {
                try scanner.requireFields(3, names: ["MovieID", "Title", "Genres"])
                let title = latin1 ? scanner.latin1String(1) : try scanner.string(1, name: "Title")
                let genres = latin1 ? scanner.latin1String(2) : try scanner.string(2, name: "Genres")
                try addMovie(scanner: scanner, label: label, title: title, genres: genres, items: &items, catalog: &catalog)
            }
        }
    }

    /// `movies.csv`: header `movieId,title,genres`, titles quoted when they contain commas.
    static func readMoviesCSV(path: String, label: String, items: inout IDMap, catalog: inout ItemCatalog) throws(DataError) {
        let bytes = try FileBytes(path: path, expectedLayout: MovieLensLayout.csv.rawValue)
        try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .csv, file: label)
            guard try scanner.next() else { throw DataError(.emptyFile, file: label, message: "file is empty") }
            while try scanner.next() {
                try scanner.requireFields(3, names: ["movieId", "title", "genres"])
                let title = try scanner.string(1, name: "title")
                let genres = try scanner.string(2, name: "genres")
                try addMovie(scanner: scanner, label: label, title: title, genres: genres, items: &items, catalog: &catalog)
            }
        }
    }

    private static func addMovie(
        scanner: borrowing ByteScanner, label: String, title: String, genres: String, items: inout IDMap,
        catalog: inout ItemCatalog
    ) throws(DataError) {
        if scanner.isEmpty(0) {
            throw DataError(.badValue, file: label, line: scanner.lineNumber, fieldIndex: 1, fieldName: "movieId", message: "id is empty")
        }
        let index = items.intern(bytes: scanner.bytes(0))
        guard Int(index) == catalog.records.count else {
            throw DataError(
                .duplicate, file: label, line: scanner.lineNumber, fieldIndex: 1, fieldName: "movieId",
                message: "movie '\(scanner.preview(0))' is listed twice")
        }
        var categories: [Int32] = []
        if genres != "(no genres listed)" {
            for genre in genres.split(separator: "|") { categories.append(catalog.category(named: String(genre))) }
        }
        catalog.records.append(ItemRecord(title: title, year: titleYear(title), categories: categories))
    }

    /// The year in a MovieLens title's trailing `(1995)` or `(2007-2013)`, if any.
    static func titleYear(_ title: String) -> Int? {
        var title = title
        return title.withUTF8 { bytes -> Int? in
            var end = bytes.count
            while end > 0 && bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            guard end > 0, bytes[end - 1] == UInt8(ascii: ")") else { return nil }
            var open = end - 2
            while open >= 0 && bytes[open] != UInt8(ascii: "(") { open -= 1 }
            guard open >= 0, end - 1 - (open + 1) >= 4 else { return nil }
            var year = 0
            for k in (open + 1)..<(open + 5) {
                let digit = bytes[k] &- 0x30
                guard digit < 10 else { return nil }
                year = year * 10 + Int(digit)
            }
            return year > 1800 ? year : nil
        }
    }

    /// `u.user` or `users.dat`: attribute columns by user index (users with no ratings are added).
    static func readUsers(
        path: String, label: String, separator: FieldSeparator, names: [String], users: inout IDMap,
        report: inout LoadReport, file: String
    ) throws(DataError) -> [String: [String]] {
        let bytes = try FileBytes(path: path)
        return try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) -> [String: [String]] in
            var scanner = ByteScanner(bytes: raw, separator: separator, file: label)
            var columns = [[String]](repeating: [String](repeating: "", count: users.count), count: names.count - 1)
            var rows = 0
            let before = users.count
            while try scanner.next() {
                try scanner.requireFields(names.count, names: names)
                let user = Int(users.intern(bytes: scanner.bytes(0)))
                for c in 0..<(names.count - 1) {
                    if columns[c].count <= user { columns[c].append(contentsOf: repeatElement("", count: user + 1 - columns[c].count)) }
                    columns[c][user] = scanner.latin1String(c + 1)
                }
                rows += 1
            }
            report.rowsRead[file] = rows
            if users.count > before { report.notes.append("\(file): \(users.count - before) users without ratings") }
            var result: [String: [String]] = [:]
            for c in 0..<(names.count - 1) { result[names[c + 1]] = columns[c] }
            return result
        }
    }

    /// `tags.dat` / `tags.csv`: `user, movie, tag, timestamp`; tags of unknown movies are counted and skipped.
    static func readTags(
        path: String, label: String, separator: FieldSeparator, hasHeader: Bool, items: IDMap, catalog: inout ItemCatalog,
        report: inout LoadReport, file: String
    ) throws(DataError) -> Int {
        let bytes = try FileBytes(path: path)
        return try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) -> Int in
            var scanner = ByteScanner(bytes: raw, separator: separator, file: label)
            if hasHeader { _ = try scanner.next() }
            var rows = 0
            while try scanner.next() {
                try scanner.requireFields(4, names: ["userId", "movieId", "tag", "timestamp"])
                _ = try scanner.int(3, name: "timestamp")
                rows += 1
                guard let item = items.index(bytes: scanner.bytes(1)), Int(item) < catalog.records.count,
                    catalog.records[Int(item)] != nil
                else {
                    report.skip(file, reason: "tag of a movie missing from the catalog")
                    continue
                }
                let tag = try scanner.string(2, name: "tag")
                if !catalog.records[Int(item)]!.tags.contains(tag) { catalog.records[Int(item)]!.tags.append(tag) }
            }
            return rows
        }
    }

    /// Genome: `genome-tags.csv` (`tagId,tag`) and `genome-scores.csv` (`movieId,tagId,relevance`).
    static func readGenome(
        folder: String, label: (String) -> String, top: Int, items: IDMap, catalog: inout ItemCatalog, report: inout LoadReport
    ) throws(DataError) {
        let tagsPath = (folder as NSString).appendingPathComponent("genome-tags.csv")
        var tagNames: [Int64: String] = [:]
        let tagBytes = try FileBytes(path: tagsPath, expectedLayout: "MovieLens genome")
        try tagBytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .csv, file: label("genome-tags.csv"))
            _ = try scanner.next()
            while try scanner.next() {
                try scanner.requireFields(2, names: ["tagId", "tag"])
                tagNames[try scanner.int(0, name: "tagId")] = try scanner.string(1, name: "tag")
            }
        }
        var best = [[(Float, Int64)]](repeating: [], count: catalog.records.count)
        let scorePath = (folder as NSString).appendingPathComponent("genome-scores.csv")
        let scoreBytes = try FileBytes(path: scorePath)
        var rows = 0
        try scoreBytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) in
            var scanner = ByteScanner(bytes: raw, separator: .comma, file: label("genome-scores.csv"))
            _ = try scanner.next()
            while try scanner.next() {
                try scanner.requireFields(3, names: ["movieId", "tagId", "relevance"])
                rows += 1
                guard let item = items.index(bytes: scanner.bytes(0)), Int(item) < best.count else {
                    report.skip("genome-scores.csv", reason: "score of a movie missing from the catalog")
                    continue
                }
                let entry = (try scanner.float(2, name: "relevance"), try scanner.int(1, name: "tagId"))
                var list = best[Int(item)]
                list.append(entry)
                if list.count > top {
                    list.sort { ($0.0, -$0.1) > ($1.0, -$1.1) }
                    list.removeLast()
                }
                best[Int(item)] = list
            }
        }
        report.rowsRead["genome-scores.csv"] = rows
        for (item, list) in best.enumerated() where catalog.records[item] != nil {
            for (_, tagID) in list.sorted(by: { ($0.0, -$0.1) > ($1.0, -$1.1) }) {
                if let name = tagNames[tagID], !catalog.records[item]!.tags.contains(name) {
                    catalog.records[item]!.tags.append(name)
                }
            }
        }
    }
}
