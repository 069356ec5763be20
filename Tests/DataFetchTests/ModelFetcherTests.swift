import Foundation
import Testing

@testable import DataFetch

/// A loopback server that mimics huggingface.co's `/<repo>/resolve/<revision>/<path>` layout, a cache
/// folder, and a fetcher pointed at the server.
private struct ModelHarness {
    static let revision = "0123456789abcdef0123456789abcdef01234567"
    static let files: [(path: String, contents: Data)] = [
        ("config.json", Data(#"{"hidden_size": 8}"#.utf8)),
        ("vocab.txt", Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n".utf8)),
        ("1_Pooling/config.json", Data(#"{"pooling_mode_mean_tokens": true}"#.utf8)),
        ("model.safetensors", Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })),
    ]
    static let model = ModelRelease(
        name: "tiny-model",
        repository: "acme/tiny-model",
        revision: revision,
        files: files.map {
            ModelFile(path: $0.path, size: Int64($0.contents.count), sha256: Fixtures.sha256($0.contents))
        },
        homepage: URL(string: "https://example.org/tiny-model")!,
        license: "test fixture"
    )

    let server: LoopbackHTTPServer
    let root: TemporaryDirectory
    let fetcher: ModelFetcher

    var cache: URL { root.url.appendingPathComponent("cache", isDirectory: true) }
    var folder: URL { ModelFetcher.directory(of: "tiny-model", in: cache) }

    init(catalog: ModelCatalog = ModelCatalog(models: [model])) throws {
        server = try LoopbackHTTPServer()
        root = try TemporaryDirectory()
        fetcher = ModelFetcher(catalog: catalog, baseURL: server.baseURL, requestTimeout: 10)
    }

    static func serverPath(_ file: String, repository: String = "acme/tiny-model", revision: String = revision)
        -> String
    {
        "/\(repository)/resolve/\(revision)/\(file)"
    }

    /// Serves every fixture file, except those in `except`, with the bytes in `replacing` for some.
    func serveFiles(except: Set<String> = [], replacing: [String: Data] = [:]) {
        for (path, contents) in Self.files where !except.contains(path) {
            server.serve(Self.serverPath(path), replacing[path] ?? contents)
        }
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path)
    }

    func contents(_ path: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(path)) }

    func tearDown() {
        server.stop()
        root.remove()
    }
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

@Suite("Model fetcher against a loopback HTTP server", .serialized)
struct ModelFetcherTests {
    @Test func fetchDownloadsEveryFileAndVerifiesItsSHA256() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        harness.serveFiles()

        let report = try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)

        #expect(report.folder.standardizedFileURL == harness.folder.standardizedFileURL)
        #expect(report.downloaded == ModelHarness.files.map(\.path))
        #expect(report.verified.isEmpty && report.replaced.isEmpty)
        for (path, contents) in ModelHarness.files {
            #expect(try harness.contents(path) == contents, "\(path)")
            #expect(!harness.exists(path + ".part"), "\(path).part left behind")
        }
        #expect(
            harness.server.recordedRequests.map(\.path) == ModelHarness.files.map { ModelHarness.serverPath($0.path) })
    }

    @Test func fetchOfACompleteFolderDownloadsNothing() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        harness.serveFiles()
        try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)
        let requests = harness.server.recordedRequests.count

        let report = try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)

        #expect(report.downloaded.isEmpty && report.replaced.isEmpty)
        #expect(report.verified == ModelHarness.files.map(\.path))
        #expect(harness.server.recordedRequests.count == requests)
    }

    @Test func checksumMismatchNamesTheFileAndLeavesNothingUnderItsName() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        let tampered = Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\nhullo\n".utf8)
        harness.serveFiles(replacing: ["vocab.txt": tampered])

        let error = try await fetchError { try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache) }

        let expected = Fixtures.sha256(ModelHarness.files[1].contents)
        let actual = Fixtures.sha256(tampered)
        guard case .modelFileMismatch(let model, let file, let url, let expectedSHA, let actualSHA) = error else {
            Issue.record("expected a SHA-256 mismatch, got \(error)")
            return
        }
        #expect(model == "tiny-model" && file == "vocab.txt")
        #expect(url.absoluteString.hasSuffix(ModelHarness.serverPath("vocab.txt")))
        #expect(expectedSHA == expected && actualSHA == actual)
        #expect(error.description.contains("vocab.txt") && error.description.contains(expected))
        #expect(error.description.contains(actual) && error.description.contains("Re-run"))
        #expect(!harness.exists("vocab.txt") && !harness.exists("vocab.txt.part"))
        #expect(harness.exists("config.json"), "files verified before the bad one stay")
        #expect(!harness.exists("model.safetensors"), "the fetch stops at the first bad file")
    }

    @Test func missingFileGivesHTTP404NamingTheURL() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        harness.serveFiles(except: ["1_Pooling/config.json"])

        let error = try await fetchError { try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache) }

        guard case .httpStatus(let model, let url, let status, _) = error else {
            Issue.record("expected an HTTP error, got \(error)")
            return
        }
        #expect(model == "tiny-model" && status == 404)
        #expect(url.absoluteString.hasSuffix(ModelHarness.serverPath("1_Pooling/config.json")))
        #expect(error.description.contains(url.absoluteString) && error.description.contains("404"))
        #expect(!harness.exists("1_Pooling/config.json"))
    }

    @Test func interruptedDownloadResumesWithRange() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        harness.serveFiles()
        let weights = ModelHarness.serverPath("model.safetensors")
        harness.server.cutNextResponse(to: weights, afterBytes: 100_000)

        let error = try await fetchError { try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache) }
        guard case .transfer = error else {
            Issue.record("expected a transfer error, got \(error)")
            return
        }
        #expect(!harness.exists("model.safetensors"))
        #expect(try harness.contents("model.safetensors.part") == ModelHarness.files[3].contents.prefix(100_000))

        let report = try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)

        #expect(report.downloaded == ["model.safetensors"])
        #expect(report.verified == ["config.json", "vocab.txt", "1_Pooling/config.json"])
        #expect(harness.server.recordedRequests.filter { $0.path == weights }.map(\.range) == [nil, "bytes=100000-"])
        #expect(try harness.contents("model.safetensors") == ModelHarness.files[3].contents)
        #expect(!harness.exists("model.safetensors.part"))
    }

    @Test func changedFileInTheFolderIsDownloadedAgain() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        harness.serveFiles()
        try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)
        let corrupted = Data("{}".utf8)
        try corrupted.write(to: harness.folder.appendingPathComponent("config.json"))

        let report = try await harness.fetcher.fetch(name: "tiny-model", into: harness.cache)

        #expect(report.replaced == [.init(path: "config.json", actualSHA256: Fixtures.sha256(corrupted))])
        #expect(report.downloaded == ["config.json"])
        #expect(try harness.contents("config.json") == ModelHarness.files[0].contents)
    }

    @Test func unknownNameListsTheKnownModels() async throws {
        let harness = try ModelHarness()
        defer { harness.tearDown() }
        let error = try await fetchError { try await harness.fetcher.fetch(name: "bert-huge", into: harness.cache) }
        #expect(error == .unknownModel(name: "bert-huge", known: ["tiny-model"]))
        #expect(error.description.contains("tiny-model"))
    }

    @Test func officialURLsAreHuggingFaceResolveURLsAtThePinnedRevision() throws {
        let model = try ModelCatalog.official.model(named: "all-MiniLM-L6-v2")
        let pooling = try #require(model.files.first { $0.path == "1_Pooling/config.json" })
        #expect(
            ModelFetcher().url(of: pooling, in: model).absoluteString
                == "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/"
                + "c9745ed1d9f207416be6d2e6f8de32d1f16199bf/1_Pooling/config.json")
        #expect(model.revision.count == 40 && model.revision.allSatisfy(\.isHexDigit))
        let required = [
            "model.safetensors", "vocab.txt", "config.json", "tokenizer_config.json", "1_Pooling/config.json",
        ]
        #expect(Set(required).isSubset(of: model.files.map(\.path)))
    }
}

/// The official pins against the published copies in `../shared/models/all-MiniLM-L6-v2`, when present.
@Suite("all-MiniLM-L6-v2 pins", .serialized)
struct OfficialModelPinTests {
    static let sharedCopy = URL(fileURLWithPath: "../shared/models/all-MiniLM-L6-v2")
    static let sharedCopyAbsent = !FileManager.default.fileExists(
        atPath: sharedCopy.appendingPathComponent("model.safetensors").path)

    @Test(.disabled(if: sharedCopyAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func pinnedSizesAndSHA256sMatchThePublishedCopies() throws {
        for file in ModelCatalog.allMiniLML6v2.files {
            let url = Self.sharedCopy.appendingPathComponent(file.path)
            let digests = try FileDigests(of: url)
            #expect(digests.sha256 == file.sha256, "\(file.path)")
            let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber
            #expect(size?.int64Value == file.size, "\(file.path)")
        }
    }

    @Test(.disabled(if: sharedCopyAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func officialModelFetchesFromAMirrorOfThePublishedFiles() async throws {
        let server = try LoopbackHTTPServer()
        let root = try TemporaryDirectory()
        defer {
            server.stop()
            root.remove()
        }
        let model = ModelCatalog.allMiniLML6v2
        for file in model.files {
            let body = try Data(contentsOf: Self.sharedCopy.appendingPathComponent(file.path))
            server.serve("/\(model.repository)/resolve/\(model.revision)/\(file.path)", body)
        }
        let fetcher = ModelFetcher(baseURL: server.baseURL, requestTimeout: 30)

        let report = try await fetcher.fetch(name: "all-MiniLM-L6-v2", into: root.url)

        #expect(report.downloaded == model.files.map(\.path))
        #expect(report.folder.path.hasSuffix("models/all-MiniLM-L6-v2"))
        for file in model.files {
            #expect(try FileDigests(of: report.folder.appendingPathComponent(file.path)).sha256 == file.sha256)
        }
    }
}
