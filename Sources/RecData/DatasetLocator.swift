import Foundation

/// Opens whatever a path holds: a MovieLens release folder, a MIND folder, a generated linked
/// folder (`movielens/`, `mind/`, `links.csv`), or a generic interactions file.
/// This is what every command that takes a data set path calls.
public struct DatasetLocator: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case auto, movielens, mind, linked, generic
    }

    public var kind: Kind = .auto
    public var movieLens = MovieLensLoader()
    public var generic = GenericInteractionsLoader()

    public init() {}

    /// What was opened, with figures specific to its format for `data inspect`.
    public struct Opened: Sendable {
        public var dataset: Dataset
        public var extra: [String: String]
        /// The MIND part (impression logs) of a MIND or linked folder, its users numbered as
        /// `dataset`'s.
        public var mind: MINDDataset?

        public init(dataset: Dataset, extra: [String: String], mind: MINDDataset? = nil) {
            self.dataset = dataset
            self.extra = extra
            self.mind = mind
        }
    }

    public func detect(path: String) throws(DataError) -> Kind {
        if kind != .auto { return kind }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(
                .missingFile, file: path, message: "no such file or folder",
                hint: "generate data with `crossrec data generate`, or download with `crossrec data fetch ml-100k`")
        }
        if !isDirectory.boolValue { return .generic }
        let has = { (name: String) in FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name)) }
        if has("links.csv") && has("movielens") && has("mind") { return .linked }
        if has("u.data") || has("ratings.dat") || has("ratings.csv") { return .movielens }
        if has("behaviors.tsv") || has("train/behaviors.tsv") || has("dev/behaviors.tsv") { return .mind }
        throw DataError(
            .unknownLayout, file: path,
            message: "not a known layout: expected a MovieLens folder (u.data, ratings.dat or ratings.csv), a MIND folder "
                + "(behaviors.tsv and news.tsv, or train/ and dev/), a generated folder (movielens/, mind/, links.csv) or a file",
            hint: "see `crossrec data inspect --help`")
    }

    public func open(path: String) throws(DataError) -> Opened {
        switch try detect(path: path) {
        case .auto, .movielens:
            return Opened(dataset: try movieLens.load(folder: path), extra: [:])
        case .generic:
            return Opened(dataset: try generic.load(file: path), extra: [:])
        case .mind:
            return try openMIND(path: path)
        case .linked:
            return try openLinked(path: path)
        }
    }
}
