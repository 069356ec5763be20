import Foundation

extension FileDownload {
    /// Downloads `url` into `part` until the part holds the whole file: resumes an existing part, and starts
    /// over from zero once when the server's file no longer matches the part's length (416 with another size).
    ///
    /// Shared by the dataset and model fetchers; verifying what was downloaded is the caller's job.
    /// - Throws: ``Failure`` (``Failure/transport(_:)`` when the server keeps rejecting the resume range,
    ///   ``Failure/file(_:)`` when the stale part cannot be deleted); `CancellationError`.
    static func runUntilComplete(
        url: URL,
        to part: URL,
        requestTimeout: TimeInterval,
        progress: @escaping @Sendable (Int64, Int64?) -> Void
    ) async throws {
        for _ in 0..<2 {
            let outcome = try await run(url: url, to: part, requestTimeout: requestTimeout, progress: progress)
            switch outcome {
            case .downloaded, .alreadyComplete:
                return
            case .restartWithoutRange:
                do {
                    try FileManager.default.removeItem(at: part)
                } catch {
                    throw Failure.file("cannot delete the stale partial file \(part.path): \(describe(error))")
                }
            }
        }
        throw Failure.transport("the server keeps rejecting the resume range")
    }
}
