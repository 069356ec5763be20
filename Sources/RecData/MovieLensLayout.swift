import Foundation

/// The official MovieLens release layouts, told apart by the files present.
public enum MovieLensLayout: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `u.data` (tab), `u.item` (`|`, Latin-1, 19 genre flags), `u.user`, folds `u1..u5`, `ua`, `ub`.
    case ml100k = "MovieLens 100K"
    /// `ratings.dat`, `movies.dat` (Latin-1), `users.dat`, all `::`-separated.
    case ml1m = "MovieLens 1M"
    /// `ratings.dat`, `movies.dat`, `tags.dat` (UTF-8), `::`-separated, no `users.dat`.
    case ml10m = "MovieLens 10M"
    /// `ratings.csv`, `movies.csv`, `tags.csv`, `links.csv` with headers, optional genome files:
    /// 20M, 25M, 32M, latest and latest-small.
    case csv = "MovieLens CSV (20M/25M/32M/latest)"

    public var description: String { rawValue }

    /// Detects the layout of `folder`, or explains what was expected.
    public static func detect(folder: String) throws(DataError) -> MovieLensLayout {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(
                .missingFile, file: folder, message: "folder not found",
                hint: "download a release with `crossrec data fetch ml-100k` (or ml-1m, ml-latest-small, …)")
        }
        func has(_ name: String) -> Bool { manager.fileExists(atPath: (folder as NSString).appendingPathComponent(name)) }
        if has("u.data") { return .ml100k }
        if has("ratings.dat") { return has("users.dat") ? .ml1m : .ml10m }
        if has("ratings.csv") { return .csv }
        throw DataError(
            .unknownLayout, file: folder,
            message: "no MovieLens ratings file: expected u.data (100K), ratings.dat (1M, 10M) or ratings.csv (20M and later)",
            hint: "download a release with `crossrec data fetch ml-100k`, or load other files with the generic loader")
    }

    /// The 19 genres of the 100K release in flag order (also in its `u.genre`).
    public static let genres100K = [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ]
}
