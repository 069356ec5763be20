import Foundation
import Testing
import ZIPFoundation

@testable import DataFetch

/// A loopback server, a cache folder and a fetcher whose sources all point at the server.
private struct Harness {
    let server: LoopbackHTTPServer
    let root: TemporaryDirectory
    let fetcher: Fetcher

    /// The cache is `<root>/cache`, so an escaping `../x` entry would land in `<root>`.
    var cache: URL { root.url.appendingPathComponent("cache", isDirectory: true) }

    init() throws {
        server = try LoopbackHTTPServer()
        root = try TemporaryDirectory()
        fetcher = Fetcher(
            baseURLs: [
                .grouplens: server.baseURL.appendingPathComponent("movielens/"),
                .mindRelease: server.baseURL.appendingPathComponent("release/"),
                .mindDemo: server.baseURL.appendingPathComponent("newsrec/"),
            ],
            requestTimeout: 10
        )
    }

    /// Serves `archive` as `/movielens/ml-100k.zip` with its `.md5` beside it (BSD form).
    func serveMovieLens(_ archive: Data, md5: String? = nil) {
        server.serve("/movielens/ml-100k.zip", archive)
        server.serve("/movielens/ml-100k.zip.md5", Data("MD5 (ml-100k.zip) = \(md5 ?? Fixtures.md5(archive))\n".utf8))
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: cache.appendingPathComponent(relativePath).path)
    }

    func contents(_ relativePath: String) throws -> Data {
        try Data(contentsOf: cache.appendingPathComponent(relativePath))
    }

    func requests(to path: String) -> [LoopbackHTTPServer.Request] {
        server.recordedRequests.filter { $0.path == path }
    }

    func tearDown() {
        server.stop()
        root.remove()
    }
}

/// Collects progress calls from the fetcher's background queue.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(done: Int64, total: Int64?)] = []

    func record(_ done: Int64, _ total: Int64?) { lock.withLock { calls.append((done, total)) } }
    var last: (done: Int64, total: Int64?)? { lock.withLock { calls.last } }
    var count: Int { lock.withLock { calls.count } }
}

/// Runs `body` and returns the ``FetchError`` it throws (failing the test if it throws anything else or nothing).
private func fetchError(_ body: () async throws -> Void) async throws -> FetchError {
    do {
        try await body()
    } catch let error as FetchError {
        return error
    }
    Issue.record("expected a FetchError, but the fetch succeeded")
    throw CancellationError()
}

@Suite("Fetcher against a loopback HTTP server", .serialized)
struct FetcherTests {
    @Test func fetchDownloadsVerifiesUnpacksAndMarksComplete() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        let progress = ProgressLog()

        let directory = try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) { done, total in
            progress.record(done, total)
        }

        #expect(directory.standardizedFileURL == harness.cache.appendingPathComponent("ml-100k").standardizedFileURL)
        #expect(try harness.contents("ml-100k/u.data") == ratings)
        #expect(harness.exists("ml-100k/.complete"))
        #expect(harness.exists("ml-100k.zip"))
        #expect(!harness.exists("ml-100k.zip.part"))
        #expect(!harness.exists(".ml-100k.unpacking"))
        let manifest = try ChecksumManifest(in: harness.cache)
        #expect(manifest.sha256ByFileName == ["ml-100k.zip": Fixtures.sha256(archive)])
        #expect(progress.last?.done == Int64(archive.count))
        #expect(progress.last?.total == Int64(archive.count))
        #expect(
            harness.server.recordedRequests.map(\.path) == ["/movielens/ml-100k.zip.md5", "/movielens/ml-100k.zip"])
        #expect(harness.requests(to: "/movielens/ml-100k.zip").first?.range == nil)
        #expect(try harness.fetcher.completedDirectory(of: "ml-100k", in: harness.cache) != nil)
    }

    @Test func secondFetchOfCompleteDatasetIsANoOp() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        harness.serveMovieLens(try Fixtures.movieLens100k().archive)

        let first = try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache)
        let requestsAfterFirst = harness.server.recordedRequests.count
        let second = try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache)

        #expect(first == second)
        #expect(harness.server.recordedRequests.count == requestsAfterFirst)
    }

    @Test func interruptedDownloadResumesWithRange() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k(lines: 20_000)
        #expect(archive.count > 200_000)
        harness.serveMovieLens(archive)
        let cut = 100_000
        harness.server.cutNextResponse(to: "/movielens/ml-100k.zip", afterBytes: cut)

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }
        guard case .transfer(let dataset, let url, _, _) = error else {
            Issue.record("expected a transfer error, got \(error)")
            return
        }
        #expect(dataset == "ml-100k")
        #expect(url.absoluteString.hasSuffix("/movielens/ml-100k.zip"))
        #expect(error.description.contains("re-run to resume"))
        #expect(try harness.contents("ml-100k.zip.part") == archive.prefix(cut))
        #expect(!harness.exists("ml-100k"))

        let progress = ProgressLog()
        try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) { progress.record($0, $1) }

        let zipRequests = harness.requests(to: "/movielens/ml-100k.zip")
        #expect(zipRequests.map(\.range) == [nil, "bytes=\(cut)-"])
        #expect(try harness.contents("ml-100k.zip") == archive)
        #expect(try harness.contents("ml-100k/u.data") == ratings)
        #expect(progress.last?.done == Int64(archive.count))
        #expect(progress.last?.total == Int64(archive.count))
    }

    @Test func cancellingTheTaskStopsTheTransferAndKeepsThePart() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, _) = try Fixtures.movieLens100k(lines: 20_000)
        harness.serveMovieLens(archive)
        let sent = 60_000
        harness.server.stallNextResponse(to: "/movielens/ml-100k.zip", afterBytes: sent)
        let progress = ProgressLog()

        let fetch = Task {
            try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) { progress.record($0, $1) }
        }
        // Generous: under a loaded CI machine the transfer may take a while to reach the stall point.
        let deadline = ContinuousClock.now + .seconds(120)
        while (progress.last?.done ?? 0) < Int64(sent), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require((progress.last?.done ?? 0) >= Int64(sent), "the transfer never reached the stall point")
        fetch.cancel()
        let result = await fetch.result

        #expect(throws: CancellationError.self) { try result.get() }
        #expect(try harness.contents("ml-100k.zip.part") == archive.prefix(sent))
        #expect(!harness.exists("ml-100k"))
    }

    @Test func serverWithoutRangeSupportRestartsFromZero() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        harness.server.serve("/movielens/ml-100k.zip", archive, honorsRange: false)
        try FileManager.default.createDirectory(at: harness.cache, withIntermediateDirectories: true)
        try Data(repeating: 0xEE, count: 100).write(to: harness.cache.appendingPathComponent("ml-100k.zip.part"))

        try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache)

        #expect(harness.requests(to: "/movielens/ml-100k.zip").map(\.range) == ["bytes=100-"])
        #expect(try harness.contents("ml-100k.zip") == archive)
        #expect(try harness.contents("ml-100k/u.data") == ratings)
    }

    @Test func completePartialFileIsAcceptedOn416() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        try FileManager.default.createDirectory(at: harness.cache, withIntermediateDirectories: true)
        try archive.write(to: harness.cache.appendingPathComponent("ml-100k.zip.part"))
        let progress = ProgressLog()

        try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) { progress.record($0, $1) }

        #expect(harness.requests(to: "/movielens/ml-100k.zip").map(\.range) == ["bytes=\(archive.count)-"])
        #expect(try harness.contents("ml-100k/u.data") == ratings)
        #expect(progress.last?.done == Int64(archive.count))
    }

    @Test func oversizedPartialFileRestartsWithoutRange() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        try FileManager.default.createDirectory(at: harness.cache, withIntermediateDirectories: true)
        try (archive + Data(count: 10)).write(to: harness.cache.appendingPathComponent("ml-100k.zip.part"))

        try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache)

        #expect(harness.requests(to: "/movielens/ml-100k.zip").map(\.range) == ["bytes=\(archive.count + 10)-", nil])
        #expect(try harness.contents("ml-100k/u.data") == ratings)
    }

    @Test func checksumMismatchThrowsAndLeavesNoArchive() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, _) = try Fixtures.movieLens100k()
        let wrong = "0123456789abcdef0123456789abcdef"
        harness.serveMovieLens(archive, md5: wrong)

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        let url = harness.server.baseURL.appendingPathComponent("movielens/ml-100k.zip")
        #expect(
            error
                == .checksumMismatch(
                    dataset: "ml-100k", url: url, expected: wrong, actual: Fixtures.md5(archive),
                    file: harness.cache.appendingPathComponent("ml-100k.zip.part"), deleted: true))
        #expect(error.description.contains(url.absoluteString))
        #expect(error.description.contains(wrong))
        #expect(error.description.contains(Fixtures.md5(archive)))
        #expect(error.description.contains("re-run"))
        #expect(!harness.exists("ml-100k.zip.part"))
        #expect(!harness.exists("ml-100k.zip"))
        #expect(!harness.exists("ml-100k"))
    }

    @Test func missingArchiveGivesHTTPErrorNamingTheURL() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, _) = try Fixtures.movieLens100k()
        harness.server.serve("/movielens/ml-100k.zip.md5", Data("\(Fixtures.md5(archive))  ml-100k.zip\n".utf8))

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        let url = harness.server.baseURL.appendingPathComponent("movielens/ml-100k.zip")
        #expect(error == .httpStatus(dataset: "ml-100k", url: url, status: 404, cacheDirectory: harness.cache))
        #expect(error.description.contains("ml-100k: GET \(url.absoluteString) answered HTTP 404"))
        #expect(error.description.contains("download \(url.absoluteString) by hand into \(harness.cache.path)"))
        #expect(!harness.exists("ml-100k.zip.part"))
    }

    @Test func missingChecksumFileGivesHTTPErrorNamingItsURL() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        let url = harness.server.baseURL.appendingPathComponent("movielens/ml-100k.zip.md5")
        #expect(error == .httpStatus(dataset: "ml-100k", url: url, status: 404, cacheDirectory: harness.cache))
        #expect(harness.requests(to: "/movielens/ml-100k.zip").isEmpty)
    }

    @Test func unreachableServerGivesTransferError() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        harness.server.stop()

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        guard case .transfer(let dataset, let url, _, _) = error else {
            Issue.record("expected a transfer error, got \(error)")
            return
        }
        #expect(dataset == "ml-100k")
        #expect(url.absoluteString.hasSuffix("ml-100k.zip.md5"))
        #expect(error.description.contains("check the network"))
    }

    @Test func unknownNameListsTheKnownNames() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-1b", into: harness.cache) }

        #expect(error == .unknownDataset(name: "ml-1b", known: DatasetCatalog.official.names))
        #expect(
            error.description
                == "unknown dataset 'ml-1b'; known datasets: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m, "
                + "ml-latest-small, ml-latest, mind-small, mind-large, mind-demo")
        #expect(harness.server.recordedRequests.isEmpty)
    }

    @Test func zipSlipEntryIsRejected() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let archive = try Fixtures.zip([
            ("ml-100k/u.data", Fixtures.ratings(count: 3)),
            ("../evil.txt", Data("escaped\n".utf8)),
        ])
        harness.serveMovieLens(archive)

        // This test once flaked with 404s its own server never saw: a stopped server's accepting
        // thread took the connections of the next server given the same descriptor number (fixed
        // in LoopbackHTTPServer.stop and tested on MetricsServer).
        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        #expect(
            error
                == .unsafeArchiveEntry(
                    dataset: "ml-100k", archive: harness.cache.appendingPathComponent("ml-100k.zip"),
                    entry: "../evil.txt"))
        #expect(error.description.contains("'../evil.txt'"))
        #expect(!FileManager.default.fileExists(atPath: harness.root.url.appendingPathComponent("evil.txt").path))
        #expect(!harness.exists("ml-100k"))
        #expect(!harness.exists(".ml-100k.unpacking"))
    }

    @Test func archiveWithoutExpectedFolderIsReported() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        harness.serveMovieLens(try Fixtures.zip([("ml-100K/u.data", Fixtures.ratings(count: 3))]))

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        let folder = harness.cache.appendingPathComponent("ml-100k", isDirectory: true)
        #expect(error == .missingFolder(dataset: "ml-100k", folder: folder))
    }

    @Test func handPlacedArchiveIsVerifiedAgainstPublishedMD5() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, ratings) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        try FileManager.default.createDirectory(at: harness.cache, withIntermediateDirectories: true)
        try archive.write(to: harness.cache.appendingPathComponent("ml-100k.zip"))

        try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache)

        #expect(harness.server.recordedRequests.map(\.path) == ["/movielens/ml-100k.zip.md5"])
        #expect(try harness.contents("ml-100k/u.data") == ratings)
        #expect(try ChecksumManifest(in: harness.cache).sha256ByFileName["ml-100k.zip"] == Fixtures.sha256(archive))
    }

    @Test func corruptHandPlacedArchiveIsKeptAndReported() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let (archive, _) = try Fixtures.movieLens100k()
        harness.serveMovieLens(archive)
        try FileManager.default.createDirectory(at: harness.cache, withIntermediateDirectories: true)
        let file = harness.cache.appendingPathComponent("ml-100k.zip")
        try archive.dropLast().write(to: file)

        let error = try await fetchError { try await harness.fetcher.fetch(name: "ml-100k", into: harness.cache) }

        guard case .checksumMismatch(_, _, _, _, let reported, let deleted) = error else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(reported == file)
        #expect(!deleted)
        #expect(error.description.contains("replace or delete \(file.path) and re-run"))
        #expect(harness.exists("ml-100k.zip"))
    }

    @Test func mindDemoUnpacksEachArchiveIntoItsSplitAndRecordsSHA256() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let train = try Fixtures.zip([
            ("behaviors.tsv", Data("1\tU1\t11/11/2019 9:05:58 AM\tN1\tN2-1 N3-0\n".utf8)),
            ("news.tsv", Data("N1\tsports\tsoccer\tTitle\tAbstract\t\t[]\t[]\n".utf8)),
        ])
        let dev = try Fixtures.zip([("behaviors.tsv", Data("2\tU2\t11/15/2019 8:00:00 AM\tN1\tN3-1\n".utf8))])
        harness.server.serve("/newsrec/MINDdemo_train.zip", train)
        harness.server.serve("/newsrec/MINDdemo_dev.zip", dev)

        let directory = try await harness.fetcher.fetch(name: "mind-demo", into: harness.cache)

        #expect(directory.lastPathComponent == "mind-demo")
        #expect(harness.exists("mind-demo/train/behaviors.tsv"))
        #expect(harness.exists("mind-demo/train/news.tsv"))
        #expect(harness.exists("mind-demo/dev/behaviors.tsv"))
        #expect(harness.exists("mind-demo/.complete"))
        #expect(
            try ChecksumManifest(in: harness.cache).sha256ByFileName == [
                "MINDdemo_train.zip": Fixtures.sha256(train), "MINDdemo_dev.zip": Fixtures.sha256(dev),
            ])
        #expect(
            harness.server.recordedRequests.map(\.path) == ["/newsrec/MINDdemo_train.zip", "/newsrec/MINDdemo_dev.zip"])
        let marker = String(decoding: try harness.contents("mind-demo/.complete"), as: UTF8.self)
        #expect(marker.contains(Fixtures.sha256(train)))
    }

    @Test func changedCachedArchiveIsDetectedDeletedAndDownloadedAgain() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let train = try Fixtures.zip([("behaviors.tsv", Data("1\tU1\n".utf8))])
        let dev = try Fixtures.zip([("behaviors.tsv", Data("2\tU2\n".utf8))])
        harness.server.serve("/newsrec/MINDdemo_train.zip", train)
        harness.server.serve("/newsrec/MINDdemo_dev.zip", dev)
        try await harness.fetcher.fetch(name: "mind-demo", into: harness.cache)
        try FileManager.default.removeItem(at: harness.cache.appendingPathComponent("mind-demo"))
        let trainFile = harness.cache.appendingPathComponent("MINDdemo_train.zip")
        try (train + Data("junk".utf8)).write(to: trainFile)

        let error = try await fetchError { try await harness.fetcher.fetch(name: "mind-demo", into: harness.cache) }

        #expect(
            error
                == .archiveChanged(
                    dataset: "mind-demo", file: trainFile, recorded: Fixtures.sha256(train),
                    actual: Fixtures.sha256(train + Data("junk".utf8))))
        #expect(!harness.exists("MINDdemo_train.zip"))
        let requestsBefore = harness.server.recordedRequests.count

        try await harness.fetcher.fetch(name: "mind-demo", into: harness.cache)

        #expect(
            harness.server.recordedRequests.dropFirst(requestsBefore).map(\.path) == ["/newsrec/MINDdemo_train.zip"])
        #expect(try harness.contents("MINDdemo_train.zip") == train)
        #expect(harness.exists("mind-demo/dev/behaviors.tsv"))
    }

    @Test func largeArchiveIsStreamedInChunks() async throws {
        let harness = try Harness()
        defer { harness.tearDown() }
        let payload = Data((0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        let train = try Fixtures.zip([("news.tsv", payload)])
        let dev = try Fixtures.zip([("news.tsv", Data())])
        harness.server.serve("/newsrec/MINDdemo_train.zip", train)
        harness.server.serve("/newsrec/MINDdemo_dev.zip", dev)
        let progress = ProgressLog()

        try await harness.fetcher.fetch(name: "mind-demo", into: harness.cache) { progress.record($0, $1) }

        #expect(progress.count > 4)
        #expect(try harness.contents("mind-demo/train/news.tsv") == payload)
    }
}
