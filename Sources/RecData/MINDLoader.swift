import Foundation

/// Loads the Microsoft News Dataset (MIND): `behaviors.tsv`, `news.tsv` and, on request, the
/// knowledge-graph vectors, for any official release (MINDsmall, MINDlarge, MINDdemo).
///
/// A folder is read in one of two layouts, detected from what it holds:
/// - one split: `behaviors.tsv` and `news.tsv` directly (an extracted `MINDsmall_dev.zip`); the
///   split is named after the folder (`…train…`, `…dev…`/`…valid…`, `…test…`; `train` otherwise)
///   unless ``Options/splitName`` says;
/// - several splits: subfolders `train/`, `dev/`, `test/` (or `MINDsmall_train/`, …) each holding the two files.
///
/// Every split shares one user ``IDMap`` and one news ``IDMap``, so indices agree across splits.
/// See ``MINDDataset`` for what becomes an interaction and how click histories are counted.
///
/// Errors name the file, line and field (`dev/behaviors.tsv:12: field 3 'time': expected
/// M/D/YYYY h:mm:ss AM|PM, got '13/01/2019 …'`). Nothing is dropped silently: repeated news rows
/// (first kept), repeated impression ids (all kept) and news ids without a row are counted.
/// - Complexity: O(bytes) time; a `behaviors.tsv` is parsed from mapped bytes without creating
///   strings for times, labels or ids already seen.
public enum MINDLoader {
    public struct Options: Sendable, Equatable {
        /// Read `entity_embedding.vec` and `relation_embedding.vec` (100 numbers per id). Off by
        /// default: the report only notes that the files are there.
        public var loadEmbeddings: Bool
        /// Add the click histories to the news interactions (see ``MINDDataset``).
        public var includeHistory: Bool
        /// The split name of a one-split folder, overriding the guess from the folder name.
        public var splitName: String?

        public init(loadEmbeddings: Bool = false, includeHistory: Bool = true, splitName: String? = nil) {
            self.loadEmbeddings = loadEmbeddings
            self.includeHistory = includeHistory
            self.splitName = splitName
        }
    }

    /// Split names in the order they are loaded (which fixes the indices).
    public static let splitNames = ["train", "dev", "test"]

    static let fetchHint = "get it with `crossrec data fetch mind-small`"
    static let behaviorsFields = ["impression_id", "user_id", "time", "history", "impressions"]
    static let newsFields = [
        "news_id", "category", "subcategory", "title", "abstract", "url", "title_entities", "abstract_entities",
    ]
    static let embeddingFiles = ["entity_embedding.vec", "relation_embedding.vec"]

    /// One split's folder: its name, its path, and its prefix in report keys (`train/` or ``).
    struct SplitFolder: Equatable {
        var split: String
        var path: String
        var prefix: String
    }

    /// What a folder holds.
    struct Layout: Equatable {
        var splits: [SplitFolder]
        var description: String
        var notes: [String]
    }

    /// Loads every split found in `folder`.
    public static func load(folder: String, options: Options = Options()) throws(DataError) -> MINDDataset {
        let layout = try detectLayout(folder: folder, splitName: options.splitName)
        var report = LoadReport()
        report.notes = layout.notes
        var users = MINDIDInterner()
        var news = MINDIDInterner()
        var catalog = ItemCatalog()
        var logs: [String: MINDImpressionLog] = [:]
        var ownNews: [String: [Bool]] = [:]
        var duplicateImpressionIDs: [String: Int] = [:]

        for splitFolder in layout.splits {
            ownNews[splitFolder.split] = try loadNews(
                path: join(splitFolder.path, "news.tsv"), key: splitFolder.prefix + "news.tsv",
                news: &news, catalog: &catalog, report: &report)
            let behaviorsKey = splitFolder.prefix + "behaviors.tsv"
            let (log, duplicates) = try loadBehaviors(
                path: join(splitFolder.path, "behaviors.tsv"), key: behaviorsKey, split: splitFolder.split,
                users: &users, news: &news, report: &report)
            logs[splitFolder.split] = log
            duplicateImpressionIDs[splitFolder.split] = duplicates
            if duplicates > 0 {
                report.notes.append(
                    "\(behaviorsKey): \(duplicates) impression ids occur more than once (all rows kept)")
            }
        }
        catalog.ensureCount(news.count)

        var coverage: [String: MINDDataset.Coverage] = [:]
        for splitFolder in layout.splits {
            coverage[splitFolder.split] = measureCoverage(
                logs[splitFolder.split]!, catalog: catalog, ownNews: ownNews[splitFolder.split] ?? [])
        }

        var interactions = Interactions()
        for splitFolder in layout.splits {
            let clicks = logs[splitFolder.split]!.clicks()
            interactions.reserveCapacity(interactions.count + clicks.count)
            for row in 0..<clicks.count {
                interactions.append(
                    user: clicks.users[row], item: clicks.items[row], value: 1, timestamp: clicks.timestamps[row])
            }
        }
        let impressionClickCount = interactions.count
        if options.includeHistory {
            appendHistory(
                of: layout.splits.map { logs[$0.split]! }, userCount: users.count, newsCount: news.count,
                to: &interactions)
        }

        var entityEmbeddings: MINDEmbeddings?
        var relationEmbeddings: MINDEmbeddings?
        for (path, key) in embeddingLocations(layout: layout, folder: folder) {
            if !options.loadEmbeddings {
                report.notes.append("\(key): present, not loaded (set loadEmbeddings to read it)")
            } else if key.hasSuffix("entity_embedding.vec") {
                try loadEmbeddings(path: path, key: key, into: &entityEmbeddings, report: &report)
            } else {
                try loadEmbeddings(path: path, key: key, into: &relationEmbeddings, report: &report)
            }
        }

        let domain = Domain(
            name: "news", items: news.map, catalog: catalog, interactions: interactions, isExplicit: false)
        let dataset = Dataset(
            name: URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent, layout: layout.description,
            users: users.map, domains: [domain], report: report)
        return MINDDataset(
            dataset: dataset, splits: layout.splits.map(\.split), logs: logs, coverage: coverage,
            impressionClickCount: impressionClickCount, duplicateImpressionIDs: duplicateImpressionIDs,
            entityEmbeddings: entityEmbeddings, relationEmbeddings: relationEmbeddings)
    }

    // MARK: Layout

    /// Finds the split folders in `folder`.
    static func detectLayout(folder: String, splitName: String?) throws(DataError) -> Layout {
        let fileManager = FileManager.default
        let expected =
            "a MIND folder holds behaviors.tsv and news.tsv, or train/, dev/ and test/ subfolders holding them"
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw DataError(.missingFile, file: folder, message: "folder not found", hint: "\(expected); \(fetchHint)")
        }
        guard isDirectory.boolValue else {
            throw DataError(
                .unknownLayout, file: folder, message: "not a folder", hint: "pass the release folder; \(fetchHint)")
        }
        if ["behaviors.tsv", "news.tsv"].contains(where: { fileManager.fileExists(atPath: join(folder, $0)) }) {
            let name = splitName ?? guessSplit(folderName: URL(fileURLWithPath: folder).lastPathComponent) ?? "train"
            return Layout(
                splits: [SplitFolder(split: name, path: folder, prefix: "")],
                description: "MIND single split folder (\(name))", notes: [])
        }
        let entries = (try? fileManager.contentsOfDirectory(atPath: folder))?.sorted() ?? []
        var found: [String: String] = [:]
        var notes: [String] = []
        for entry in entries {
            var entryIsDirectory: ObjCBool = false
            let path = join(folder, entry)
            guard fileManager.fileExists(atPath: path, isDirectory: &entryIsDirectory), entryIsDirectory.boolValue
            else { continue }
            if let split = guessSplit(folderName: entry) {
                if let other = found[split] {
                    throw DataError(
                        .unknownLayout, file: folder,
                        message: "two folders hold the \(split) split: \(other)/ and \(entry)/",
                        hint: "keep one of them")
                }
                found[split] = entry
            } else if fileManager.fileExists(atPath: join(path, "behaviors.tsv")) {
                notes.append("\(entry)/: holds behaviors.tsv but is not named train, dev or test; not loaded")
            }
        }
        guard !found.isEmpty else {
            throw DataError(
                .unknownLayout, file: folder, message: "found neither behaviors.tsv nor train/, dev/, test/ subfolders",
                hint: "\(expected); \(fetchHint)")
        }
        let splits = splitNames.compactMap { name in
            found[name].map { SplitFolder(split: name, path: join(folder, $0), prefix: $0 + "/") }
        }
        return Layout(
            splits: splits, description: "MIND split folders (\(splits.map(\.split).joined(separator: ", ")))",
            notes: notes)
    }

    /// `train`, `dev` or `test` when a folder name says so (`dev`, `MINDsmall_dev`, `mind-valid`), else nil.
    static func guessSplit(folderName: String) -> String? {
        let words = folderName.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard let last = words.last else { return nil }
        switch last {
        case "train", "training": return "train"
        case "dev", "valid", "validation": return "dev"
        case "test": return "test"
        default: return nil
        }
    }

    /// The embedding files present in the split folders and the release folder, split order first.
    static func embeddingLocations(layout: Layout, folder: String) -> [(path: String, key: String)] {
        var places = layout.splits.map { (path: $0.path, prefix: $0.prefix) }
        if !places.contains(where: { $0.prefix.isEmpty }) { places.append((path: folder, prefix: "")) }
        var result: [(path: String, key: String)] = []
        for place in places {
            for file in embeddingFiles {
                let path = join(place.path, file)
                if FileManager.default.fileExists(atPath: path) { result.append((path, place.prefix + file)) }
            }
        }
        return result
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Opens a file of the layout, with a hint on where to get it when it is missing.
    static func openFile(_ path: String) throws(DataError) -> FileBytes {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(
                .missingFile, file: path, message: "file not found",
                hint: "a MIND split folder holds behaviors.tsv and news.tsv; \(fetchHint)")
        }
        return try FileBytes(path: path, expectedLayout: "MIND")
    }

    /// Runs `body` over the file's bytes (typed-throws wrapper around `Data.withUnsafeBytes`).
    static func withBytes<Value>(
        of file: FileBytes, _ body: (UnsafeRawBufferPointer) throws(DataError) -> Value
    ) throws(DataError) -> Value {
        let outcome: Result<Value, DataError> = file.data.withUnsafeBytes { raw in
            do throws(DataError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    // MARK: Derived data

    static func measureCoverage(_ log: MINDImpressionLog, catalog: ItemCatalog, ownNews: [Bool])
        -> MINDDataset.Coverage
    {
        var referenced = [Bool](repeating: false, count: catalog.records.count)
        for index in log.history { referenced[Int(index)] = true }
        for index in log.candidates { referenced[Int(index)] = true }
        var coverage = MINDDataset.Coverage(referenced: 0, missing: 0, missingFromOwnNews: 0)
        for index in 0..<referenced.count where referenced[index] {
            coverage.referenced += 1
            if catalog.records[index] == nil { coverage.missing += 1 }
            if index >= ownNews.count || !ownNews[index] { coverage.missingFromOwnNews += 1 }
        }
        return coverage
    }

    /// Appends one row per distinct (user, news) history pair that is not an impression click of
    /// that user, stamped with the user's earliest impression time minus one second, by user index.
    ///
    /// Reads the logs once in order to collect each user's clicks and distinct history runs (a
    /// history shared by consecutive impressions is one run), groups both by user with a counting
    /// sort, then marks each user's clicks and emits the unmarked history items once each.
    /// - Complexity: O(impressions + candidates + history runs) time; memory O(users + news + clicks + runs).
    static func appendHistory(
        of logs: [MINDImpressionLog], userCount: Int, newsCount: Int, to interactions: inout Interactions
    ) {
        var earliest = [Int64](repeating: .max, count: userCount)
        var lastRun = [Int](repeating: -1, count: userCount)  // history start of the user's last run, per log
        var clickUsers: [Int32] = []
        var clickItems: [Int32] = []
        var runUsers: [Int32] = []
        var runLogs: [Int32] = []
        var runStarts: [Int] = []
        var runEnds: [Int] = []
        for (logIndex, log) in logs.enumerated() {
            for index in lastRun.indices { lastRun[index] = -1 }
            for k in 0..<log.count {
                let user = log.users[k]
                earliest[Int(user)] = min(earliest[Int(user)], log.times[k])
                for slot in log.candidateRange(of: k) where log.labels[slot] == 1 {
                    clickUsers.append(user)
                    clickItems.append(log.candidates[slot])
                }
                let range = log.historyRange(of: k)
                if !range.isEmpty && range.lowerBound != lastRun[Int(user)] {
                    lastRun[Int(user)] = range.lowerBound
                    runUsers.append(user)
                    runLogs.append(Int32(logIndex))
                    runStarts.append(range.lowerBound)
                    runEnds.append(range.upperBound)
                }
            }
        }
        let clickOrder = groupByUser(clickUsers, userCount: userCount)
        let runOrder = groupByUser(runUsers, userCount: userCount)

        // stamp[news] == user: already recorded for this user.
        var stamp = [Int32](repeating: -1, count: newsCount)
        for user in 0..<userCount where runOrder.starts[user] < runOrder.starts[user + 1] {
            let mark = Int32(user)
            for position in clickOrder.starts[user]..<clickOrder.starts[user + 1] {
                stamp[Int(clickItems[clickOrder.rows[position]])] = mark
            }
            let time = earliest[user] - 1
            for position in runOrder.starts[user]..<runOrder.starts[user + 1] {
                let run = runOrder.rows[position]
                let history = logs[Int(runLogs[run])].history
                for index in runStarts[run]..<runEnds[run] {
                    let item = history[index]
                    if stamp[Int(item)] != mark {
                        stamp[Int(item)] = mark
                        interactions.append(user: mark, item: item, value: 1, timestamp: time)
                    }
                }
            }
        }
    }

    /// Row numbers ordered by user (stable), with `starts[u]..<starts[u + 1]` the rows of user `u`.
    static func groupByUser(_ users: [Int32], userCount: Int) -> (starts: [Int], rows: [Int]) {
        var starts = [Int](repeating: 0, count: userCount + 1)
        for user in users { starts[Int(user) + 1] += 1 }
        for user in 0..<userCount { starts[user + 1] += starts[user] }
        var next = starts
        var rows = [Int](repeating: 0, count: users.count)
        for (row, user) in users.enumerated() {
            rows[next[Int(user)]] = row
            next[Int(user)] += 1
        }
        return (starts, rows)
    }
}
