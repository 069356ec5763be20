import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET streamed to a file with URLSession's delegate API, resuming from the file's length.
///
/// Contract: if `file` exists with `n > 0` bytes the request carries `Range: bytes=n-`; the response head
/// is judged by ``DownloadResponsePlan`` (206 appends, 200 truncates and restarts, 416 means complete).
/// Each body chunk is appended to the file as it arrives, so memory stays O(chunk) whatever the archive
/// size, and bytes received before a failure stay on disk for the next attempt to resume from.
/// `progress` is called on a private serial queue with (bytes on disk, full size if known).
/// Works on Darwin and on Linux's swift-corelibs-foundation (libcurl). Task cancellation cancels the transfer.
final class FileDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How a download ended without error.
    enum Outcome: Sendable, Equatable {
        /// The body was written; the file now holds `bytes` bytes.
        case downloaded(bytes: Int64)
        /// The server answered 416: the file already holds the whole archive.
        case alreadyComplete
        /// The file does not match the server's (416 with another size): delete it and start over.
        case restartWithoutRange
    }

    /// Why a download failed.
    enum Failure: Error, Sendable, Equatable {
        case status(Int)
        case transport(String)
        case unexpectedRange(contentRange: String)
        case file(String)
    }

    /// Downloads `url` into `file` as described in the type's contract.
    static func run(
        url: URL,
        to file: URL,
        requestTimeout: TimeInterval,
        progress: @escaping @Sendable (Int64, Int64?) -> Void
    ) async throws -> Outcome {
        let existingBytes = Self.size(of: file)
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: requestTimeout)
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if existingBytes > 0 {
            request.setValue("bytes=\(existingBytes)-", forHTTPHeaderField: "Range")
        }
        let download = FileDownload(file: file, existingBytes: existingBytes, progress: progress)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: Self.configuration(), delegate: download, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                download.start(session.dataTask(with: request), continuation: continuation)
            }
        } onCancel: {
            download.cancel()
        }
    }

    /// Fetches a small resource (a checksum file) into memory.
    /// - Throws: ``Failure/status(_:)`` for a non-200 answer, ``Failure/transport(_:)`` below HTTP.
    static func text(of url: URL, requestTimeout: TimeInterval) async throws -> String {
        let request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: requestTimeout)
        let session = URLSession(configuration: configuration())
        defer { session.finishTasksAndInvalidate() }
        let (body, response): (Data, URLResponse)
        do {
            (body, response) = try await session.data(for: request)
        } catch {
            throw Failure.transport(Self.describe(error))
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode else {
            throw Failure.transport("not an HTTP response")
        }
        guard status == 200 else { throw Failure.status(status) }
        return String(decoding: body, as: UTF8.self)
    }

    // MARK: - State (guarded by `lock`; delegate calls arrive on one serial queue)

    private let file: URL
    private let existingBytes: Int64
    private let progress: @Sendable (Int64, Int64?) -> Void
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<Outcome, any Error>?
    private var cancelled = false
    private var handle: FileHandle?
    private var bytesOnDisk: Int64 = 0
    private var total: Int64?
    /// Set when the response head or a write decided the result before the transfer ended.
    private var decided: Result<Outcome, any Error>?

    private init(file: URL, existingBytes: Int64, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
        self.file = file
        self.existingBytes = existingBytes
        self.progress = progress
    }

    private func start(_ task: URLSessionDataTask, continuation: CheckedContinuation<Outcome, any Error>) {
        lock.lock()
        if cancelled {
            lock.unlock()
            continuation.resume(throwing: CancellationError())
            return
        }
        self.task = task
        self.continuation = continuation
        lock.unlock()
        task.resume()
    }

    private func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }

    // MARK: - URLSessionDataDelegate

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            decide(.failure(Failure.transport("not an HTTP response")))
            completionHandler(.cancel)
            return
        }
        let plan = DownloadResponsePlan.decide(
            status: http.statusCode,
            requestedOffset: existingBytes,
            contentRange: http.value(forHTTPHeaderField: "Content-Range"),
            contentLength: http.expectedContentLength >= 0 ? http.expectedContentLength : nil
        )
        switch plan {
        case .write(let offset, let total):
            do {
                try openFile(keepingBytes: offset)
            } catch {
                decide(.failure(Failure.file("cannot write \(file.path): \(Self.describe(error))")))
                completionHandler(.cancel)
                return
            }
            let reported: Int64? =
                total ?? (http.expectedContentLength >= 0 ? offset + http.expectedContentLength : nil)
            lock.lock()
            bytesOnDisk = offset
            self.total = reported
            lock.unlock()
            progress(offset, reported)
            completionHandler(.allow)
        case .alreadyComplete:
            progress(existingBytes, existingBytes)
            decide(.success(.alreadyComplete))
            completionHandler(.cancel)
        case .restartWithoutRange:
            decide(.success(.restartWithoutRange))
            completionHandler(.cancel)
        case .unexpectedRange(let contentRange):
            decide(.failure(Failure.unexpectedRange(contentRange: contentRange)))
            completionHandler(.cancel)
        case .failure(let status):
            decide(.failure(Failure.status(status)))
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        guard decided == nil, let handle else {
            lock.unlock()
            return
        }
        do {
            try handle.write(contentsOf: data)
        } catch {
            lock.unlock()
            decide(.failure(Failure.file("cannot write \(file.path): \(Self.describe(error))")))
            dataTask.cancel()
            return
        }
        bytesOnDisk += Int64(data.count)
        let (done, total) = (bytesOnDisk, self.total)
        lock.unlock()
        progress(done, total)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        let handle = self.handle
        self.handle = nil
        let continuation = self.continuation
        self.continuation = nil
        let (decided, cancelled, done, total) = (self.decided, self.cancelled, bytesOnDisk, self.total)
        lock.unlock()
        var result: Result<Outcome, any Error>
        if let decided {
            result = decided
        } else if cancelled {
            result = .failure(CancellationError())
        } else if let error {
            let received = total.map { "received \(done) of \($0) bytes" } ?? "received \(done) bytes"
            result = .failure(Failure.transport("\(Self.describe(error)) (\(received))"))
        } else if let total, total != done {
            result = .failure(Failure.transport("connection ended after \(done) of \(total) bytes"))
        } else {
            result = .success(.downloaded(bytes: done))
        }
        do {
            try handle?.synchronize()
            try handle?.close()
        } catch {
            if case .success = result {
                result = .failure(Failure.file("cannot write \(file.path): \(Self.describe(error))"))
            }
        }
        continuation?.resume(with: result)
    }

    // MARK: - Helpers

    /// Records the first decision; later ones are ignored.
    private func decide(_ result: Result<Outcome, any Error>) {
        lock.lock()
        if decided == nil { decided = result }
        lock.unlock()
    }

    /// Opens `file` for appending after truncating it to `keepingBytes` (creating it when absent).
    private func openFile(keepingBytes: Int64) throws {
        if !FileManager.default.fileExists(atPath: file.path) {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
        }
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(keepingBytes))
        try handle.seekToEnd()
        lock.lock()
        self.handle = handle
        lock.unlock()
    }

    private static func configuration() -> URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return configuration
    }

    static func size(of file: URL) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        return "\(nsError.localizedDescription) [\(nsError.domain) \(nsError.code)]"
    }
}
