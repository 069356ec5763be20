extension MINDLoader {
    /// Parses one `behaviors.tsv` into an impression log, interning users and news ids.
    ///
    /// Whether candidates carry labels is decided by the file's first candidate (`N1-1` or `N1`):
    /// the test set has none, train and dev have them on every candidate, and a file mixing the
    /// two is an error.
    /// - Returns: the log and how many impression ids repeat an earlier one in this file.
    static func loadBehaviors(
        path: String, key: String, split: String, users: inout MINDIDInterner, news: inout MINDIDInterner,
        report: inout LoadReport
    ) throws(DataError) -> (log: MINDImpressionLog, duplicateIDs: Int) {
        let file = try openFile(path)
        return try withBytes(of: file) { raw throws(DataError) in
            var log = MINDImpressionLog(split: split)
            log.reserveCapacity(impressions: ByteScanner.countLines(raw), candidates: 0)
            var scanner = ByteScanner(bytes: raw, separator: .tab, file: path, maxFields: 8)
            var seenSmallIDs: [UInt64] = []
            var numericIDs = Set<Int64>()
            var textIDs = Set<String>()
            var duplicates = 0
            var labeled: Bool?
            // The last history range of each user, to share equal histories.
            var lastHistoryStart: [Int] = []
            var lastHistoryEnd: [Int] = []

            while try scanner.next() {
                try scanner.requireFields(5, names: behaviorsFields)
                let line = scanner.lineNumber

                func fieldError(_ kind: DataError.Kind, _ field: Int, _ message: String, hint: String? = nil)
                    -> DataError
                {
                    DataError(
                        kind, file: path, line: line, fieldIndex: field + 1, fieldName: behaviorsFields[field],
                        message: message, hint: hint)
                }

                // 1: impression id.
                let id: MINDImpressionID
                if let number = canonicalInt64(scanner.bytes(0)) {
                    id = .number(number)
                    if number < 1 << 26 {
                        // Official ids count up from 1: a bitset instead of hashing.
                        let word = Int(number >> 6)
                        let bit: UInt64 = 1 << UInt64(number & 63)
                        if word >= seenSmallIDs.count {
                            seenSmallIDs.append(
                                contentsOf: repeatElement(
                                    0, count: max(word + 1, seenSmallIDs.count * 2) - seenSmallIDs.count))
                        }
                        if seenSmallIDs[word] & bit != 0 { duplicates += 1 }
                        seenSmallIDs[word] |= bit
                    } else if !numericIDs.insert(number).inserted {
                        duplicates += 1
                    }
                } else {
                    let text = try scanner.string(0, name: behaviorsFields[0])
                    guard !text.isEmpty else { throw fieldError(.badValue, 0, "empty impression id") }
                    id = .text(text)
                    if !textIDs.insert(text).inserted { duplicates += 1 }
                }

                // 2: user id.
                let userBytes = scanner.bytes(1)
                guard !userBytes.isEmpty else { throw fieldError(.badValue, 1, "empty user id") }
                guard let user = users.intern(userBytes) else {
                    throw fieldError(.encoding, 1, "not valid UTF-8", hint: "MIND files are UTF-8")
                }

                // 3: time.
                guard let time = parseTime(scanner.bytes(2)) else {
                    throw fieldError(.badDate, 2, "expected \(timeFormat), got '\(scanner.preview(2))'")
                }
                log.beginImpression(id: id, user: user, time: time)

                // 4: history, space-separated news ids, possibly empty.
                let historyBytes = scanner.bytes(3)
                var cursor = 0
                while let token = nextToken(historyBytes, &cursor) {
                    guard let item = news.intern(token) else {
                        throw fieldError(.encoding, 3, "news id is not valid UTF-8", hint: "MIND files are UTF-8")
                    }
                    log.appendHistory(item)
                }
                let userIndex = Int(user)
                if userIndex >= lastHistoryStart.count {
                    let grown = max(userIndex + 1, lastHistoryStart.count * 2)
                    lastHistoryStart.append(contentsOf: repeatElement(-1, count: grown - lastHistoryStart.count))
                    lastHistoryEnd.append(contentsOf: repeatElement(-1, count: grown - lastHistoryEnd.count))
                }
                let previous = lastHistoryStart[userIndex]
                if previous < 0 || !log.shareHistory(with: previous..<lastHistoryEnd[userIndex]) {
                    lastHistoryStart[userIndex] = log.historyStarts[log.count - 1]
                    lastHistoryEnd[userIndex] = log.historyEnds[log.count - 1]
                }

                // 5: impressions, space-separated `Nid-1`/`Nid-0` (or `Nid` in the test set).
                let impressionBytes = scanner.bytes(4)
                cursor = 0
                var candidateCount = 0
                while let token = nextToken(impressionBytes, &cursor) {
                    candidateCount += 1
                    let dash = lastDash(token)
                    if labeled == nil { labeled = dash != nil }
                    let idBytes: UnsafeBufferPointer<UInt8>
                    let label: Int8
                    if labeled! {
                        guard let dash else {
                            throw fieldError(
                                .badValue, 4,
                                "expected 'N123-1' (clicked) or 'N123-0' (not clicked), got '\(preview(token))'",
                                hint: "the file's first candidate has a label, so every candidate needs one")
                        }
                        guard dash > 0, dash == token.count - 2,
                            token[dash + 1] == UInt8(ascii: "0") || token[dash + 1] == UInt8(ascii: "1")
                        else {
                            throw fieldError(
                                .badValue, 4,
                                "expected 'N123-1' (clicked) or 'N123-0' (not clicked), got '\(preview(token))'",
                                hint: "a label is 1 or 0")
                        }
                        idBytes = UnsafeBufferPointer(rebasing: token[0..<dash])
                        label = token[dash + 1] == UInt8(ascii: "1") ? 1 : 0
                    } else {
                        if let dash, dash == token.count - 2,
                            token[dash + 1] == UInt8(ascii: "0") || token[dash + 1] == UInt8(ascii: "1")
                        {
                            throw fieldError(
                                .badValue, 4,
                                "labeled candidate '\(preview(token))' in a file whose first candidate has no label",
                                hint: "label every candidate (train, dev) or none (test)")
                        }
                        idBytes = token
                        label = -1
                    }
                    guard let item = news.intern(idBytes) else {
                        throw fieldError(.encoding, 4, "news id is not valid UTF-8", hint: "MIND files are UTF-8")
                    }
                    log.appendCandidate(item, label: label)
                }
                guard candidateCount > 0 else {
                    throw fieldError(
                        .badValue, 4, "no candidate news", hint: "an impression lists at least one news id")
                }
                log.endImpression()
            }
            guard log.count > 0 else {
                throw DataError(
                    .emptyFile, file: path, message: "no impressions", hint: "a MIND file has at least one row")
            }
            report.rowsRead[key] = log.count
            return (log, duplicates)
        }
    }

    /// A token's text for an error message (lossy, truncated).
    static func preview(_ token: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: token.prefix(40), as: UTF8.self)
        return token.count > 40 ? text + "…" : text
    }

    /// The next space-separated token of `bytes` at or after `cursor`, or nil at the end.
    @inline(__always)
    static func nextToken(_ bytes: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UnsafeBufferPointer<UInt8>? {
        let space = UInt8(ascii: " ")
        let end = bytes.count
        var start = cursor
        while start < end && bytes[start] == space { start += 1 }
        guard start < end else {
            cursor = end
            return nil
        }
        var stop = start + 1
        while stop < end && bytes[stop] != space { stop += 1 }
        cursor = stop
        return UnsafeBufferPointer(rebasing: bytes[start..<stop])
    }

    @inline(__always)
    static func lastDash(_ token: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = token.count - 1
        while index >= 0 {
            if token[index] == UInt8(ascii: "-") { return index }
            index -= 1
        }
        return nil
    }

    /// A canonical non-negative decimal (no sign, no leading zero, at most 18 digits), else nil.
    @inline(__always)
    static func canonicalInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = bytes.count
        guard n >= 1, n <= 18, bytes[0] != UInt8(ascii: "0") || n == 1 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
