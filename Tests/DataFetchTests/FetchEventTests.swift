import Foundation
import Testing

@testable import DataFetch

/// Collects the fetcher's events.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [FetchEvent] = []

    func record(_ event: FetchEvent) { lock.withLock { events.append(event) } }
    var all: [FetchEvent] { lock.withLock { events } }
}

/// `crossrec data fetch` prints these events: "verified" must come after the download and only
/// when the checksum matched (it used to be printed before anything was downloaded).
@Suite("Fetch events", .serialized)
struct FetchEventTests {
    @Test func verifiedComesAfterTheDownloadAndBeforeUnpacking() async throws {
        let server = try LoopbackHTTPServer()
        let root = try TemporaryDirectory()
        defer {
            server.stop()
            root.remove()
        }
        let (archive, _) = try Fixtures.movieLens100k()
        server.serve("/movielens/ml-100k.zip", archive)
        server.serve("/movielens/ml-100k.zip.md5", Data("MD5 (ml-100k.zip) = \(Fixtures.md5(archive))\n".utf8))
        let fetcher = Fetcher(baseURLs: [.grouplens: server.baseURL.appendingPathComponent("movielens/")], requestTimeout: 10)
        let cache = root.url.appendingPathComponent("data", isDirectory: true)
        let log = EventLog()
        let folder = try await fetcher.fetch(name: "ml-100k", into: cache, events: { log.record($0) })
        let base = server.baseURL.appendingPathComponent("movielens/")
        #expect(
            log.all == [
                .downloading(archive: "ml-100k.zip", url: base.appendingPathComponent("ml-100k.zip")),
                .verified(archive: "ml-100k.zip", md5: Fixtures.md5(archive), url: base.appendingPathComponent("ml-100k.zip.md5")),
                .unpacked(folder: folder),
            ])
        let again = EventLog()
        _ = try await fetcher.fetch(name: "ml-100k", into: cache, events: { again.record($0) })
        #expect(again.all == [.alreadyComplete(folder: folder)])
    }

    @Test func aMismatchReportsNoVerification() async throws {
        let server = try LoopbackHTTPServer()
        let root = try TemporaryDirectory()
        defer {
            server.stop()
            root.remove()
        }
        let (archive, _) = try Fixtures.movieLens100k()
        server.serve("/movielens/ml-100k.zip", archive)
        server.serve("/movielens/ml-100k.zip.md5", Data("MD5 (ml-100k.zip) = 0123456789abcdef0123456789abcdef\n".utf8))
        let fetcher = Fetcher(baseURLs: [.grouplens: server.baseURL.appendingPathComponent("movielens/")], requestTimeout: 10)
        let log = EventLog()
        await #expect(throws: FetchError.self) {
            try await fetcher.fetch(name: "ml-100k", into: root.url.appendingPathComponent("data"), events: { log.record($0) })
        }
        #expect(log.all.count == 1)
        guard case .downloading? = log.all.first else {
            Issue.record("expected only a downloading event, got \(log.all)")
            return
        }
    }

}
