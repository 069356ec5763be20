import Foundation

/// The one folder where `crossrec data fetch` puts data sets, and how a data-set name given to a
/// command or a sweep file (`crossrec train ml-100k`, `path: ml-100k`) finds its files.
///
/// The folder is `$CROSSREC_DATA` when that variable is set and not empty, else `data/` in the
/// current directory. A path resolves, first match wins:
/// 1. the path as given, when it exists (absolute, or relative to the current directory);
/// 2. for a relative path, the same path inside the data folder (`data/ml-100k`,
///    `$CROSSREC_DATA/ml-100k/u.data`).
///
/// Nothing else is searched: a data set is never picked up from an unexpected place. When neither
/// exists, ``resolve(_:)`` throws an error that names the folders looked in and, for a name
/// `crossrec data fetch` knows, the command that gets it; when an earlier crossrec left the data
/// set in the old cache folder (`crossrec-cache/`), it says how to use it.
public struct DataFolder: Sendable, Equatable {
    /// The environment variable that moves the data folder.
    public static let environmentVariable = "CROSSREC_DATA"
    /// The data folder when the variable is unset, relative to the current directory.
    public static let defaultPath = "data"
    /// Where `crossrec data fetch` unpacked before the data folder existed.
    public static let legacyCachePath = "crossrec-cache"
    /// The names `crossrec data fetch NAME` downloads, each into a folder of that name (the
    /// catalogue of the DataFetch module; a command-line test checks the two agree).
    public static let fetchableNames = [
        "ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-32m", "ml-latest-small", "ml-latest", "mind-small",
        "mind-large", "mind-demo",
    ]

    /// The data folder as it will be used (relative to ``currentDirectory`` unless absolute).
    public var path: String
    /// Whether ``path`` came from `$CROSSREC_DATA` (for messages).
    public var fromEnvironment: Bool
    /// What relative paths resolve against.
    public var currentDirectory: String

    /// - Parameters:
    ///   - environment: nil: this process's.
    ///   - currentDirectory: nil: this process's.
    public init(environment: [String: String]? = nil, currentDirectory: String? = nil) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let value = environment[Self.environmentVariable], !value.isEmpty {
            path = value
            fromEnvironment = true
        } else {
            path = Self.defaultPath
            fromEnvironment = false
        }
        self.currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
    }

    /// The data folder as an absolute path.
    public var absolutePath: String { absolute(path) }

    /// Where `name` would be found or fetched: `<data folder>/<name>`, as the user would type it.
    public func location(of name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The path to open for `given`, by the rules above; the result is `given` itself when it
    /// exists as given, else the data-folder path (both as the user would type them).
    /// - Throws: ``DataError`` of kind `missingFile` naming what was looked for and where.
    public func resolve(_ given: String) throws(DataError) -> String {
        if let found = find(given) { return found }
        throw missing(given)
    }

    /// The path to open for `given`, or nil when neither place has it.
    public func find(_ given: String) -> String? {
        if FileManager.default.fileExists(atPath: absolute(given)) { return given }
        guard !given.hasPrefix("/"), !given.isEmpty else { return nil }
        let inFolder = location(of: given)
        return FileManager.default.fileExists(atPath: absolute(inFolder)) ? inFolder : nil
    }

    /// The error for a path found in neither place.
    public func missing(_ given: String) -> DataError {
        let variable = fromEnvironment ? "$\(Self.environmentVariable)" : "the data folder"
        var places = ["\(given) (from \(currentDirectory))"]
        if !given.hasPrefix("/") { places.append("\(location(of: given)) (\(variable))") }
        let message = "no such file or folder; looked in " + places.joined(separator: " and ")
        let components = given.split(separator: "/").map(String.init)
        // `ml-100k`, `ml-100k/u.data`, `data/ml-100k`: the catalogue name among the components.
        let first = components.first(where: Self.fetchableNames.contains) ?? components.first ?? given
        let legacy = (Self.legacyCachePath as NSString).appendingPathComponent(first)
        var hint: String
        if !given.hasPrefix("/"), FileManager.default.fileExists(atPath: absolute(legacy)) {
            hint = "an earlier `crossrec data fetch` left it in \(legacy); move it into the data folder "
                + "(mkdir -p \(path) && mv \(legacy) \(path)/) or set \(Self.environmentVariable)=\(Self.legacyCachePath)"
        } else if !given.hasPrefix("/"), Self.fetchableNames.contains(first) {
            hint = "get it with `crossrec data fetch \(first)` (it unpacks into \(location(of: first)))"
        } else {
            hint = "give an existing path, or put the data set in \(path)/ (set \(Self.environmentVariable) to use "
                + "another folder); `crossrec data fetch` downloads \(Self.fetchableNames.joined(separator: ", "))"
        }
        return DataError(.missingFile, file: given, message: message, hint: hint)
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (currentDirectory as NSString).appendingPathComponent(path)
    }
}
