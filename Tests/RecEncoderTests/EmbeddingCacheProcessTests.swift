import Foundation
import Testing

@testable import RecEncoder

/// The cache shared by real processes: children are this same test binary running
/// `childProcessEncodesTexts()` against a folder given in the environment (as the sweep store's SIGKILL
/// tests do), so these run only where the tests run as an executable (`swift test` on Linux).
@Suite("Embedding cache across processes", .serialized)
struct EmbeddingCacheProcessTests {
    static let childEnvironment = "CROSSREC_EMBEDDING_CACHE_CHILD"
    static let executable = CommandLine.arguments.first ?? ""
    static let canSpawnSelf =
        executable.hasSuffix(".xctest") && FileManager.default.isExecutableFile(atPath: executable)

    /// What a child reports: texts it encoded, `encode` calls, whether every vector was right, and when
    /// its call to the cache started and ended (seconds since 1970).
    struct ChildReport: Codable, Equatable {
        var encodedTexts: Int
        var calls: Int
        var correct: Bool
        var started: Double = 0
        var finished: Double = 0

        /// The report without its times, for comparisons.
        var counts: ChildReport { ChildReport(encodedTexts: encodedTexts, calls: calls, correct: correct) }
    }

    /// Starts a child on `folder`; when `barrier`, it creates `<report>.ready` and waits for `<folder>/go`.
    /// Then it asks for `count` texts
    /// with an encoder that sleeps `delayMilliseconds` per call, and writes its report to `report`.
    static func spawnChild(
        folder: URL, count: Int, rowsPerFile: Int, delayMilliseconds: Int, report: URL, barrier: Bool
    ) throws -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = [
            "--testing-library", "swift-testing", "--filter", "EmbeddingCacheProcessTests/childProcessEncodesTexts",
        ]
        let settings = [folder.path, "\(count)", "\(rowsPerFile)", "\(delayMilliseconds)", report.path, "\(barrier)"]
        child.environment = ProcessInfo.processInfo.environment.merging(
            [childEnvironment: settings.joined(separator: "\n")]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        return child
    }

    /// Waits for `child` (two minutes at most, then kills it) and reads its report.
    static func finish(_ child: Process, report: URL) throws -> ChildReport {
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning && Date() < deadline { usleep(10_000) }
        if child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            Issue.record("child \(child.processIdentifier) did not finish within two minutes")
        }
        child.waitUntilExit()
        #expect(child.terminationReason == .exit && child.terminationStatus == 0)
        return try JSONDecoder().decode(ChildReport.self, from: Data(contentsOf: report))
    }

    @Test(.enabled(if: canSpawnSelf, "needs the test binary as an executable"))
    func vectorsEncodedByOneProcessAreReusedByOthers() throws {
        let scratch = try EmbeddingCacheScratch()
        let texts = EmbeddingCacheFixtures.texts(30)
        let first = scratch.url.appendingPathComponent("first.json")
        let second = scratch.url.appendingPathComponent("second.json")

        let writer = try Self.spawnChild(
            folder: scratch.url, count: texts.count, rowsPerFile: 4096, delayMilliseconds: 0, report: first,
            barrier: false)
        #expect(try Self.finish(writer, report: first).counts == ChildReport(encodedTexts: 30, calls: 1, correct: true))
        let reader = try Self.spawnChild(
            folder: scratch.url, count: texts.count, rowsPerFile: 4096, delayMilliseconds: 0, report: second,
            barrier: false)
        #expect(try Self.finish(reader, report: second).counts == ChildReport(encodedTexts: 0, calls: 0, correct: true))

        let log = EncodeLog()
        #expect(try scratch.cache().vectors(for: texts, encode: log.encode) == texts.map(EmbeddingCacheFixtures.vector))
        #expect(log.calls.isEmpty)
    }

    @Test(.enabled(if: canSpawnSelf, "needs the test binary as an executable"))
    func twoProcessesEncodingTheSameTextsAtOnceBothEndWithAValidCache() throws {
        let scratch = try EmbeddingCacheScratch()
        let count = 64
        let reports = [scratch.url.appendingPathComponent("a.json"), scratch.url.appendingPathComponent("b.json")]
        let children = try reports.map {
            try Self.spawnChild(
                folder: scratch.url, count: count, rowsPerFile: 16, delayMilliseconds: 150, report: $0, barrier: true)
        }
        defer { for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        // Start them together once both are up and polling.
        let deadline = Date().addingTimeInterval(60)
        while !reports.allSatisfy({ FileManager.default.fileExists(atPath: $0.path + ".ready") }) {
            try #require(Date() < deadline, "the children did not start within a minute")
            usleep(2_000)
        }
        try Data().write(to: scratch.url.appendingPathComponent("go"))

        let results = try zip(children, reports).map { try Self.finish($0, report: $1) }

        #expect(results.allSatisfy { $0.correct })
        #expect(
            max(results[0].started, results[1].started) < min(results[0].finished, results[1].finished),
            "the two children's calls overlapped in time \(results)")
        #expect(
            results.map(\.encodedTexts).reduce(0, +) == count,
            "each text encoded once in all: the second waited for the first's lock, then found the vectors \(results)")
        let cache = try scratch.cache()
        #expect(try cache.count() == count)
        #expect(try EmbeddingCacheFixtures.temporaryFiles(cache).isEmpty)
        let log = EncodeLog()
        let texts = EmbeddingCacheFixtures.texts(count)
        #expect(try cache.vectors(for: texts, encode: log.encode) == texts.map(EmbeddingCacheFixtures.vector))
        #expect(log.calls.isEmpty)
    }

    /// The child side (see ``spawnChild(folder:count:rowsPerFile:delayMilliseconds:report:barrier:)``).
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childEnvironment] != nil))
    func childProcessEncodesTexts() throws {
        let settings = try #require(ProcessInfo.processInfo.environment[Self.childEnvironment])
            .split(separator: "\n").map(String.init)
        try #require(settings.count == 6)
        let folder = URL(fileURLWithPath: settings[0])
        let (count, rowsPerFile, delay) = (Int(settings[1])!, Int(settings[2])!, Int(settings[3])!)
        if settings[5] == "true" {
            try Data().write(to: URL(fileURLWithPath: settings[4] + ".ready"))
            let go = folder.appendingPathComponent("go")
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: go.path) && Date() < deadline { usleep(1_000) }
        }
        let cache = try EmbeddingCache(
            folder: folder, modelFingerprint: EmbeddingCacheFixtures.fingerprint,
            dimension: EmbeddingCacheFixtures.dimension, rowsPerFile: rowsPerFile)
        let log = EncodeLog()
        let texts = EmbeddingCacheFixtures.texts(count)
        let started = Date().timeIntervalSince1970
        let vectors = try cache.vectors(for: texts) { batch in
            usleep(UInt32(delay * 1000))
            return log.encode(batch)
        }
        let report = ChildReport(
            encodedTexts: log.encodedTexts, calls: log.calls.count,
            correct: vectors == texts.map(EmbeddingCacheFixtures.vector), started: started,
            finished: Date().timeIntervalSince1970)
        try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: settings[4]), options: .atomic)
    }
}
