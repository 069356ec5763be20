import Foundation
public import RecData
public import Sweep

extension DatasetSpec {
    /// Checks, before any worker starts, that the files a `path:` data set names are there and
    /// readable, so that a sweep whose data is missing stops with one clear error instead of
    /// failing every trial. Synthetic data sets pass (the workers generate them).
    ///
    /// Checked, each a certain failure of ``PreparedData/prepare(_:)`` later:
    /// - the path exists (a relative path resolves against `currentDirectory`, as it does for
    ///   workers started from there);
    /// - it is readable, a folder also listable, and so is every file and folder inside it;
    /// - layout `auto`: the folder is of a known layout (``RecData/DatasetLocator/detect(path:)``);
    ///   layout `generic` names a file, the others a folder;
    /// - an official split (`official: u1`): the folder holds `u1.base` and `u1.test`;
    /// - a pair of split files (`files: {train, test}`): both are found (as given, beside the data
    ///   set, or in the data folder).
    ///
    /// Not checked: the files' contents (that is the load itself; a malformed file fails its
    /// trials as infrastructure failures, see ``TrialRunner``).
    /// - Complexity: one `stat` and one `access` per entry of the folder's tree (nothing is
    ///   opened), at most ``preflightEntryLimit`` entries.
    /// - Parameter currentDirectory: what a relative path resolves against; nil: this process's.
    /// - Throws: a ``RecData/DataError`` naming the path as written and saying what to do.
    public func checkDataIsReadable(currentDirectory: String? = nil) throws(DataError) {
        let currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
        let dataFolder = DataFolder(currentDirectory: currentDirectory)
        if case .described(let written) = source {
            try written.validate()
            let description = written.resolvingPaths(in: dataFolder)
            var files = description.domains.flatMap { [$0.path] + ($0.test.map { [$0] } ?? []) }
            if case .links(let links) = description.users { files.append(links) }
            for file in files {
                let resolved = file.hasPrefix("/") ? file : (currentDirectory as NSString).appendingPathComponent(file)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
                    var error = dataFolder.missing(file)
                    error.hint = "fix the path under 'domains' (or 'users: {links: …}') in \(description.origin); "
                        + (error.hint ?? "")
                    throw error
                }
                guard !isDirectory.boolValue else {
                    throw DataError(
                        .invalidArgument, file: file, message: "is a folder; 'domains' names one interaction file per domain",
                        hint: "name the file inside it, e.g. \((file as NSString).appendingPathComponent("train.txt"))")
                }
                try Self.checkReadable(resolved, shown: file, isDirectory: false)
            }
            return
        }
        guard case .path(let written, let layout) = source else { return }
        // As the worker will: the path as given, else the data folder's copy (DataFolder).
        let path = try dataFolder.resolve(written)
        let resolved = path.hasPrefix("/") ? path : (currentDirectory as NSString).appendingPathComponent(path)
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        _ = files.fileExists(atPath: resolved, isDirectory: &isDirectory)
        try Self.checkReadable(resolved, shown: path, isDirectory: isDirectory.boolValue)
        if isDirectory.boolValue {
            var seen = 0
            let enumerator = files.enumerator(atPath: resolved)
            while seen < Self.preflightEntryLimit, let relative = enumerator?.nextObject() as? String {
                seen += 1
                var isFolder: ObjCBool = false
                let full = (resolved as NSString).appendingPathComponent(relative)
                guard files.fileExists(atPath: full, isDirectory: &isFolder) else { continue }  // a dangling link
                try Self.checkReadable(full, shown: (path as NSString).appendingPathComponent(relative), isDirectory: isFolder.boolValue)
            }
        }
        switch layout {
        case .auto:
            _ = try DatasetLocator().detect(path: resolved)
        case .generic:
            if isDirectory.boolValue {
                throw DataError(
                    .invalidArgument, file: path, message: "layout 'generic' reads one file, and this is a folder",
                    hint: "name the interactions file in 'path', or set 'layout' to the folder's layout (or auto)")
            }
        case .movielens, .mind, .linked:
            if !isDirectory.boolValue {
                throw DataError(
                    .invalidArgument, file: path, message: "layout '\(layout.rawValue)' reads a folder, and this is a file",
                    hint: "name the data set's folder in 'path', or use layout 'generic' for a user,item,value file")
            }
        }
        if case .givenFiles(let train, let test) = split {
            for file in [train, test] { _ = try PreparedData.splitFile(file, beside: path, in: dataFolder) }
        }
        if case .official(let name) = split {
            for suffix in ["base", "test"] {
                let file = (resolved as NSString).appendingPathComponent("\(name).\(suffix)")
                guard files.fileExists(atPath: file) else {
                    throw DataError(
                        .missingFile, file: (path as NSString).appendingPathComponent("\(name).\(suffix)"),
                        message: "the official split '\(name)' needs this file, which is missing",
                        hint: "the MovieLens 100K release has folds u1…u5, ua and ub; other data sets need another split, "
                            + "e.g. 'split: {per-user: {test: 0.2, seed: 1}}'")
                }
            }
        }
    }

    /// Entries of a data folder the preflight looks at, at most (data sets have a handful of files;
    /// a path naming a home folder by mistake must not take minutes).
    public static let preflightEntryLimit = 10_000

    private static func checkReadable(_ path: String, shown: String, isDirectory: Bool) throws(DataError) {
        let files = FileManager.default
        let readable = files.isReadableFile(atPath: path) && (!isDirectory || files.isExecutableFile(atPath: path))
        guard readable else {
            throw DataError(
                .io, file: shown, message: isDirectory ? "the folder cannot be listed (permission denied)" : "the file cannot be read (permission denied)",
                hint: "give the user running the sweep read access, e.g. chmod -R a+rX on the data folder")
        }
    }
}
