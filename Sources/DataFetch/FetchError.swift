public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Why a fetch failed, worded for the person who ran `crossrec data fetch` or `crossrec models fetch`.
///
/// Every case names the dataset (or, for a model fetch, the model: the cases shared by both fetchers call it
/// `dataset`) and the URL or file involved, and ``description`` ends with what to do.
/// Underlying errors are kept as text so the error stays `Sendable` and `Equatable`.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No dataset has this name.
    case unknownDataset(name: String, known: [String])
    /// The server answered with an HTTP status that is not a success (404, 500, …).
    case httpStatus(dataset: String, url: URL, status: Int, cacheDirectory: URL)
    /// The transfer failed below HTTP (connection refused, reset, timed out, cut short).
    /// The bytes received so far stay in `<archive>.part` and the next fetch resumes from there.
    case transfer(dataset: String, url: URL, reason: String, cacheDirectory: URL)
    /// A resumed download answered with bytes that do not start where the partial file ends.
    case unexpectedRange(dataset: String, url: URL, partialFile: URL, contentRange: String)
    /// The published `.md5` file could not be understood.
    case malformedChecksumFile(dataset: String, url: URL, reason: String)
    /// The archive's MD5 differs from the published one. `deleted` tells whether `file` was removed.
    case checksumMismatch(dataset: String, url: URL, expected: String, actual: String, file: URL, deleted: Bool)
    /// An archive already in the cache no longer has the SHA-256 recorded when it was downloaded;
    /// it was deleted.
    case archiveChanged(dataset: String, file: URL, recorded: String, actual: String)
    /// The archive holds an entry that would land outside the destination folder (zip-slip) or a symbolic link.
    case unsafeArchiveEntry(dataset: String, archive: URL, entry: String)
    /// The archive could not be read or extracted.
    case unpackFailed(dataset: String, archive: URL, reason: String)
    /// After unpacking, the folder the catalog promises is missing.
    case missingFolder(dataset: String, folder: URL)
    /// A file system operation in the cache failed.
    case fileSystem(dataset: String, path: URL, reason: String)
    /// No model has this name.
    case unknownModel(name: String, known: [String])
    /// A downloaded model file's SHA-256 differs from the pinned one; the download was deleted.
    case modelFileMismatch(model: String, file: String, url: URL, expected: String, actual: String)

    public var description: String {
        switch self {
        case .unknownDataset(let name, let known):
            return "unknown dataset '\(name)'; known datasets: \(known.joined(separator: ", "))"
        case .httpStatus(let dataset, let url, let status, let directory):
            let reason = HTTPURLResponse.localizedString(forStatusCode: status)
            return "\(dataset): GET \(url.absoluteString) answered HTTP \(status) (\(reason)); "
                + "check the URL and the network, or download \(url.absoluteString) by hand into \(directory.path)"
        case .transfer(let dataset, let url, let reason, let directory):
            return "\(dataset): downloading \(url.absoluteString) failed: \(reason); "
                + "re-run to resume, check the network, or download \(url.absoluteString) by hand into "
                + directory.path
        case .unexpectedRange(let dataset, let url, let partialFile, let contentRange):
            return "\(dataset): resuming \(url.absoluteString) the server sent 'Content-Range: \(contentRange)', "
                + "which does not continue \(partialFile.path); delete that file and re-run"
        case .malformedChecksumFile(let dataset, let url, let reason):
            return "\(dataset): cannot read the published checksum \(url.absoluteString): \(reason); "
                + "re-run later, or report it if it persists"
        case .checksumMismatch(let dataset, let url, let expected, let actual, let file, let deleted):
            let fate =
                deleted
                ? "the download was deleted; re-run to download it again" : "replace or delete \(file.path) and re-run"
            return "\(dataset): MD5 of \(url.absoluteString) is \(actual) but the published checksum is \(expected); "
                + fate
        case .archiveChanged(let dataset, let file, let recorded, let actual):
            return
                "\(dataset): \(file.path) changed since it was downloaded (SHA-256 \(actual), recorded \(recorded)); "
                + "it was deleted, re-run to download it again"
        case .unsafeArchiveEntry(let dataset, let archive, let entry):
            return "\(dataset): \(archive.path) holds entry '\(entry)' that is an absolute path, climbs out with '..' "
                + "or is a symbolic link; refusing to unpack. Delete the archive and re-run; report it if it persists"
        case .unpackFailed(let dataset, let archive, let reason):
            return "\(dataset): cannot unpack \(archive.path): \(reason); delete the archive and re-run"
        case .missingFolder(let dataset, let folder):
            return "\(dataset): after unpacking, the expected folder \(folder.path) is missing; "
                + "the archive layout changed upstream, report it"
        case .fileSystem(let dataset, let path, let reason):
            return "\(dataset): file system error at \(path.path): \(reason); check permissions and free space"
        case .unknownModel(let name, let known):
            return "unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
        case .modelFileMismatch(let model, let file, let url, let expected, let actual):
            return "\(model): \(file) downloaded from \(url.absoluteString) has SHA-256 \(actual), but the pinned "
                + "SHA-256 is \(expected); the download was deleted. Re-run to download it again; if it persists, "
                + "the file changed upstream or something on the way altered it: report it"
        }
    }
}
