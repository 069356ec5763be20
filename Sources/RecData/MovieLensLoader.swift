import Foundation

/// Loads any official MovieLens release into a one-domain ``Dataset`` (domain `movies`).
///
/// Items are indexed in catalog order (`u.item`, `movies.*`), users in first-seen order of the
/// ratings file. Ratings of movies missing from the catalog are kept and counted in the report.
/// Movie text = title, year, genres, tags.
public struct MovieLensLoader: Sendable {
    public var duplicates: DuplicatePolicy = .keepLast
    /// Load `tags.*` into the catalog (as tags on each movie).
    public var includeTags = true
    /// Load `genome-scores.csv`: each movie gets its `genomeTopTags` most relevant genome tags as tags.
    public var includeGenome = false
    public var genomeTopTags = 10

    public init() {}

    public func load(folder: String) throws(DataError) -> Dataset {
        let layout = try MovieLensLayout.detect(folder: folder)
        var users = IDMap()
        var items = IDMap()
        var catalog = ItemCatalog()
        var report = LoadReport()
        var interactions = Interactions()
        var userAttributes: [String: [String]] = [:]
        let path = { (name: String) in (folder as NSString).appendingPathComponent(name) }
        let label = { (name: String) in ((folder as NSString).lastPathComponent as NSString).appendingPathComponent(name) }

        switch layout {
        case .ml100k:
            catalog.categories = try Self.readGenres100K(path: path("u.genre"), label: label("u.genre"), report: &report)
            try Self.readItems100K(path: path("u.item"), label: label("u.item"), genreCount: catalog.categories.count, items: &items, catalog: &catalog)
            let parser = RatingsParser(
                file: path("u.data"), displayName: label("u.data"), separator: .tab, columns: .movieLens,
                fieldNames: ["user id", "item id", "rating", "timestamp"], hasHeader: false, valueRange: 1...5,
                exactFieldCount: 4, numericIDs: true)
            report.rowsRead["u.data"] = try parser.parse(into: &interactions, users: &users, items: &items)
            if FileManager.default.fileExists(atPath: path("u.user")) {
                userAttributes = try Self.readUsers(
                    path: path("u.user"), label: label("u.user"), separator: .pipe,
                    names: ["user id", "age", "gender", "occupation", "zip code"], users: &users, report: &report, file: "u.user")
            }
        case .ml1m, .ml10m:
            try Self.readMoviesDat(
                path: path("movies.dat"), label: label("movies.dat"), latin1: layout == .ml1m, items: &items, catalog: &catalog)
            let parser = RatingsParser(
                file: path("ratings.dat"), displayName: label("ratings.dat"), separator: .doubleColon, columns: .movieLens,
                fieldNames: ["UserID", "MovieID", "Rating", "Timestamp"], hasHeader: false,
                valueRange: layout == .ml1m ? 1...5 : 0.5...5, exactFieldCount: 4, numericIDs: true)
            report.rowsRead["ratings.dat"] = try parser.parse(into: &interactions, users: &users, items: &items)
            if layout == .ml1m {
                userAttributes = try Self.readUsers(
                    path: path("users.dat"), label: label("users.dat"), separator: .doubleColon,
                    names: ["UserID", "Gender", "Age", "Occupation", "Zip-code"], users: &users, report: &report, file: "users.dat")
            }
            if includeTags && FileManager.default.fileExists(atPath: path("tags.dat")) {
                report.rowsRead["tags.dat"] = try Self.readTags(
                    path: path("tags.dat"), label: label("tags.dat"), separator: .doubleColon, hasHeader: false,
                    items: items, catalog: &catalog, report: &report, file: "tags.dat")
            }
        case .csv:
            try Self.readMoviesCSV(path: path("movies.csv"), label: label("movies.csv"), items: &items, catalog: &catalog)
            let parser = RatingsParser(
                file: path("ratings.csv"), displayName: label("ratings.csv"), separator: .comma, columns: .movieLens,
                fieldNames: ["userId", "movieId", "rating", "timestamp"], hasHeader: true, valueRange: 0.5...5,
                exactFieldCount: 4, numericIDs: true)
            report.rowsRead["ratings.csv"] = try parser.parse(into: &interactions, users: &users, items: &items)
            if includeTags && FileManager.default.fileExists(atPath: path("tags.csv")) {
                report.rowsRead["tags.csv"] = try Self.readTags(
                    path: path("tags.csv"), label: label("tags.csv"), separator: .csv, hasHeader: true,
                    items: items, catalog: &catalog, report: &report, file: "tags.csv")
            }
            if FileManager.default.fileExists(atPath: path("genome-scores.csv")) {
                if includeGenome {
                    try Self.readGenome(folder: folder, label: label, top: genomeTopTags, items: items, catalog: &catalog, report: &report)
                } else {
                    report.notes.append("genome-scores.csv present, not loaded (enable genome loading to add genome tags to movie text)")
                }
            }
            if FileManager.default.fileExists(atPath: path("links.csv")) {
                report.notes.append("links.csv present (IMDb/TMDb ids), not needed for recommendation")
            }
        }

        let described = catalog.records.count
        catalog.ensureCount(items.count)
        if items.count > described {
            let file = layout == .ml100k ? "u.data" : (layout == .csv ? "ratings.csv" : "ratings.dat")
            report.skip(file, reason: "movies rated but missing from the catalog (kept, no text)", count: items.count - described)
        }
        let itemCount = items.count
        let ratingsFile = layout == .ml100k ? "u.data" : (layout == .csv ? "ratings.csv" : "ratings.dat")
        let removed = try Self.applyDuplicates(
            duplicates, to: &interactions, users: users, items: items, itemCount: itemCount, file: label(ratingsFile))
        if removed > 0 { report.duplicatesRemoved[ratingsFile] = removed }

        let domain = Domain(name: "movies", items: items, catalog: catalog, interactions: interactions, isExplicit: true)
        return Dataset(
            name: (folder as NSString).lastPathComponent, layout: layout.rawValue, users: users, domains: [domain],
            report: report, userAttributes: userAttributes)
    }

    static func applyDuplicates(
        _ policy: DuplicatePolicy, to interactions: inout Interactions, users: IDMap, items: IDMap, itemCount: Int, file: String
    ) throws(DataError) -> Int {
        do {
            return try interactions.resolveDuplicates(policy, userCount: users.count, itemCount: itemCount) {
                "user '\(users[$0])', item '\(items[$1])'"
            }
        } catch {
            var located = error
            located.file = file
            throw located
        }
    }

    // MARK: Official folds

    /// The official train/test folds present in a 100K folder: `u1`…`u5`, `ua`, `ub` (in that order).
    /// Indices agree with `dataset`, which must be the same folder loaded with ``load(folder:)``.
    public func officialFolds(folder: String, dataset: Dataset) throws(DataError) -> [Split] {
        let names = ["u1", "u2", "u3", "u4", "u5", "ua", "ub"]
        var splits: [Split] = []
        for name in names {
            let base = (folder as NSString).appendingPathComponent("\(name).base")
            guard FileManager.default.fileExists(atPath: base) else { continue }
            splits.append(try officialFold(name, folder: folder, dataset: dataset))
        }
        return splits
    }

    /// One official fold (`u1`…`u5`, `ua`, `ub`) of a 100K folder.
    public func officialFold(_ name: String, folder: String, dataset: Dataset) throws(DataError) -> Split {
        guard let movies = dataset.domain("movies") else {
            throw DataError(.invalidArgument, file: folder, message: "data set has no 'movies' domain")
        }
        var users = dataset.users
        var items = movies.items
        func read(_ suffix: String) throws(DataError) -> Interactions {
            let file = (folder as NSString).appendingPathComponent("\(name).\(suffix)")
            guard FileManager.default.fileExists(atPath: file) else {
                throw DataError(
                    .missingFile, file: file, message: "fold file not found",
                    hint: "the 100K release has folds u1…u5, ua and ub; others have no official folds")
            }
            let parser = RatingsParser(
                file: file, displayName: ((folder as NSString).lastPathComponent as NSString).appendingPathComponent("\(name).\(suffix)"),
                separator: .tab, columns: .movieLens, fieldNames: ["user id", "item id", "rating", "timestamp"],
                hasHeader: false, valueRange: 1...5, exactFieldCount: 4, numericIDs: true)
            var interactions = Interactions()
            _ = try parser.parse(into: &interactions, users: &users, items: &items, knownOnly: true)
            return interactions
        }
        return Split(name: name, train: try read("base"), test: try read("test"))
    }
}
