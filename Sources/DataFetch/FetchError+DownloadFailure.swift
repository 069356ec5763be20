import Foundation

extension FetchError {
    /// The user-facing error for a failed transfer of `url` on behalf of `name` (a dataset or a model).
    ///
    /// - Parameter part: the partial file being written, named by file-system and range errors;
    ///   `nil` for in-memory fetches (published checksums), where `cacheDirectory` is named instead.
    init(_ failure: FileDownload.Failure, name: String, url: URL, part: URL?, cacheDirectory: URL) {
        switch failure {
        case .status(let status):
            self = .httpStatus(dataset: name, url: url, status: status, cacheDirectory: cacheDirectory)
        case .transport(let reason):
            self = .transfer(dataset: name, url: url, reason: reason, cacheDirectory: cacheDirectory)
        case .unexpectedRange(let contentRange):
            self = .unexpectedRange(
                dataset: name, url: url, partialFile: part ?? cacheDirectory, contentRange: contentRange)
        case .file(let reason):
            self = .fileSystem(dataset: name, path: part ?? cacheDirectory, reason: reason)
        }
    }
}
