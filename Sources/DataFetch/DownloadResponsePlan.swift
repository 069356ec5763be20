import Foundation

/// What to do with the head of an HTTP response to an archive download, given how many bytes of the
/// archive are already on disk. Pure: performs no I/O, so every resume case is tested without a server.
///
/// | status | meaning |
/// | --- | --- |
/// | 200 | the whole file follows: truncate the partial file and write from byte 0 |
/// | 206 | `Content-Range: bytes a-b/T` with `a` = bytes on disk: append; any other `a`: unexpected |
/// | 416 | nothing left to send: complete, unless `Content-Range: bytes */T` has `T` ≠ bytes on disk: restart |
/// | other | failure |
enum DownloadResponsePlan: Sendable, Equatable {
    /// Write the body to the partial file starting at byte `offset` (0 truncates). `total` is the full
    /// archive size when the server told it.
    case write(offset: Int64, total: Int64?)
    /// The partial file already holds the whole archive.
    case alreadyComplete
    /// The partial file does not match the server's file: delete it and request the whole file.
    case restartWithoutRange
    /// A 206 whose range does not continue the partial file.
    case unexpectedRange(contentRange: String)
    /// Any status that is not a usable answer.
    case failure(status: Int)

    /// Decides from the status, the `Range` offset that was requested (0 when no `Range` header was sent),
    /// the `Content-Range` header and the `Content-Length` (`nil` when absent).
    static func decide(status: Int, requestedOffset: Int64, contentRange: String?, contentLength: Int64?) -> Self {
        switch status {
        case 200:
            return .write(offset: 0, total: contentLength)
        case 206:
            guard let contentRange, let range = ContentRange(contentRange), let first = range.first,
                first == requestedOffset
            else {
                return .unexpectedRange(contentRange: contentRange ?? "(none)")
            }
            return .write(offset: first, total: range.total)
        case 416 where requestedOffset > 0:
            if let contentRange, let total = ContentRange(contentRange)?.total, total != requestedOffset {
                return .restartWithoutRange
            }
            return .alreadyComplete
        default:
            return .failure(status: status)
        }
    }

    /// `bytes a-b/T`, `bytes a-b/*` or `bytes */T`.
    private struct ContentRange {
        var first: Int64?
        var total: Int64?

        init?(_ header: String) {
            let parts = header.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bytes" else { return nil }
            let rangeAndTotal = parts[1].split(separator: "/", maxSplits: 1)
            guard rangeAndTotal.count == 2 else { return nil }
            if rangeAndTotal[0] == "*" {
                first = nil
            } else {
                let bounds = rangeAndTotal[0].split(separator: "-", maxSplits: 1)
                guard bounds.count == 2, let first = Int64(bounds[0]), Int64(bounds[1]) != nil else { return nil }
                self.first = first
            }
            if rangeAndTotal[1] == "*" {
                total = nil
            } else {
                guard let total = Int64(rangeAndTotal[1]) else { return nil }
                self.total = total
            }
        }
    }
}
