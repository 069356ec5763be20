import Foundation
import Testing

@testable import RecEncoder

@Suite("Embedding cache")
struct EmbeddingCacheTests {
    typealias F = EmbeddingCacheFixtures

    @Test func missEncodesStoresAndReturnsTheVectorsInOrder() throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache()
        let log = EncodeLog()
        let texts = F.texts(5)

        let vectors = try cache.vectors(for: texts, encode: log.encode)

        #expect(vectors == texts.map(F.vector(for:)))
        #expect(log.calls == [texts])
        #expect(try F.segmentFiles(cache).count == 1)
        #expect(try cache.count() == 5)
        #expect(cache.modelFolder.lastPathComponent == String(F.fingerprint.prefix(16)))
    }

    @Test func hitCallsEncodeZeroTimes() throws {
        let scratch = try EmbeddingCacheScratch()
        let texts = F.texts(20)
        let first = EncodeLog()
        _ = try scratch.cache().vectors(for: texts, encode: first.encode)

        let sameInstanceLog = EncodeLog()
        let cache = try scratch.cache()
        let reversed = Array(texts.reversed())
        let vectors = try cache.vectors(for: reversed, encode: sameInstanceLog.encode)
        let again = try cache.matrix(for: texts, encode: sameInstanceLog.encode)

        #expect(sameInstanceLog.calls.isEmpty)
        #expect(vectors == reversed.map(F.vector(for:)))
        #expect(again == texts.flatMap(F.vector(for:)))
    }

    @Test func onlyMissingTextsAreEncodedAndEachDistinctTextOnce() throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache()
        let log = EncodeLog()
        _ = try cache.vectors(for: ["a", "b"], encode: log.encode)

        let vectors = try cache.vectors(for: ["c", "b", "a", "c", "d", "c"], encode: log.encode)

        #expect(log.calls == [["a", "b"], ["c", "d"]])
        #expect(vectors == ["c", "b", "a", "c", "d", "c"].map(F.vector(for:)))
        #expect(try cache.vectors(for: [], encode: log.encode).isEmpty)
        #expect(log.calls.count == 2)
    }

    @Test func textsAreKeyedByTheirExactBytes() throws {
        let scratch = try EmbeddingCacheScratch()
        let log = EncodeLog()
        // "é" precomposed and decomposed: equal as Swift Strings, different bytes, so different entries.
        _ = try scratch.cache().vectors(for: ["caf\u{E9}", "cafe\u{301}", "Cafe", "cafe "], encode: log.encode)
        #expect(log.encodedTexts == 4)
    }

    @Test func manyMissesAreEncodedInBatchesAndEachBatchIsKept() throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache(rowsPerFile: 4)
        let texts = F.texts(10)
        struct Interrupted: Error {}
        var calls = 0
        #expect(throws: Interrupted.self) {
            _ = try cache.vectors(for: texts) { batch in
                calls += 1
                if calls == 3 { throw Interrupted() }
                return batch.map(F.vector(for:))
            }
        }
        #expect(try F.segmentFiles(cache).count == 2)

        let log = EncodeLog()
        let vectors = try scratch.cache(rowsPerFile: 4).vectors(for: texts, encode: log.encode)

        #expect(log.calls == [Array(texts[8...])])
        #expect(vectors == texts.map(F.vector(for:)))
    }

    @Test func otherModelsDoNotShareEntries() throws {
        let scratch = try EmbeddingCacheScratch()
        _ = try scratch.cache().vectors(for: ["a"], encode: EncodeLog().encode)
        let log = EncodeLog()
        let other = try scratch.cache(fingerprint: String(repeating: "cd34", count: 16))
        _ = try other.vectors(for: ["a"], encode: log.encode)
        #expect(log.encodedTexts == 1)
        #expect(other.modelFolder != (try scratch.cache()).modelFolder)
    }

    @Test func wrongEncoderOutputIsAnErrorAndStoresNothing() throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache()
        #expect(throws: EmbeddingCacheError.encoderOutput(texts: 2, vectors: 1, dimension: 8, badLength: nil)) {
            _ = try cache.vectors(for: ["a", "b"]) { _ in [F.vector(for: "a")] }
        }
        #expect(throws: EmbeddingCacheError.encoderOutput(texts: 1, vectors: 1, dimension: 8, badLength: 3)) {
            _ = try cache.vectors(for: ["a"]) { _ in [[1, 2, 3]] }
        }
        #expect(try F.segmentFiles(cache).isEmpty)
    }

    @Test(arguments: ["corrupted", "truncated", "emptied"])
    func damagedFileIsReportedDeletedAndRebuilt(damage: String) throws {
        let scratch = try EmbeddingCacheScratch()
        let texts = F.texts(6)
        _ = try scratch.cache().vectors(for: texts, encode: EncodeLog().encode)
        let file = try #require(try F.segmentFiles(scratch.cache()).first)
        let original = try Data(contentsOf: file)
        var bytes = original
        switch damage {
        case "corrupted": bytes[bytes.count - 100] ^= 0x40  // one bit of one float
        case "truncated": bytes.removeLast(10)
        default: bytes = Data()
        }
        try bytes.write(to: file)

        let warnings = WarningLog()
        let log = EncodeLog()
        let cache = try scratch.cache(warnings: warnings)
        let vectors = try cache.vectors(for: texts, encode: log.encode)

        #expect(vectors == texts.map(F.vector(for:)), "no vector comes from the damaged file")
        #expect(log.calls == [texts])
        let warning = try #require(warnings.warnings.first)
        #expect(warnings.warnings.count == 1)
        guard case .discardedFile(let path, let reason) = warning else {
            Issue.record("expected a discarded file, got \(warning)")
            return
        }
        #expect(path == file.path)
        #expect(warning.description.contains(file.lastPathComponent) && !reason.isEmpty)
        // Deleted, and the same batch encoded again is the same content under the same name.
        #expect(try Data(contentsOf: file) == original, "the damaged file is replaced by a whole one")
        #expect(try F.segmentFiles(cache).count == 1)
        let rebuilt = EncodeLog()
        _ = try scratch.cache().vectors(for: texts, encode: rebuilt.encode)
        #expect(rebuilt.calls.isEmpty)
    }

    @Test func fileOfAnotherDimensionIsNotTrusted() throws {
        let scratch = try EmbeddingCacheScratch()
        _ = try scratch.cache().vectors(for: ["a"], encode: EncodeLog().encode)
        let warnings = WarningLog()
        let wide = try EmbeddingCache(
            folder: scratch.url, modelFingerprint: F.fingerprint, dimension: 16, warning: { warnings.record($0) })
        let vectors = try wide.vectors(for: ["a"]) { texts in texts.map { _ in [Float](repeating: 1, count: 16) } }
        #expect(vectors == [[Float](repeating: 1, count: 16)])
        #expect(warnings.warnings.first?.description.contains("8-dimensional") == true)
    }

    @Test func temporaryFilesOfADeadWriterAreRemovedByTheNextWriter() throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache()
        let leftover = cache.modelFolder.appendingPathComponent(".tmp-99999-dead.embeddings")
        try Data(repeating: 7, count: 100).write(to: leftover)
        #expect(try cache.vectors(for: ["a"], encode: EncodeLog().encode).count == 1, "ignored by readers")
        #expect(try F.temporaryFiles(cache).isEmpty)
    }

    @Test func twoInstancesOnThreadsEncodeEachTextOnce() throws {
        let scratch = try EmbeddingCacheScratch()
        let texts = F.texts(40)
        let log = EncodeLog()
        let instances = [try scratch.cache(rowsPerFile: 8), try scratch.cache(rowsPerFile: 8)]
        let inputs = [texts, texts.reversed()]
        let results = ThreadResults()
        // Threads of their own (not the shared task pool, which other suites may keep busy), released together.
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for (position, cache) in instances.enumerated() {
            done.enter()
            Thread {
                start.wait()
                let began = Date()
                let vectors = Result {
                    try cache.vectors(for: inputs[position]) { batch in
                        usleep(20_000)
                        return log.encode(batch)
                    }
                }
                results.record(position, vectors, began...Date())
                done.leave()
            }.start()
        }
        start.signal()
        start.signal()
        done.wait()

        for position in 0..<2 {
            #expect(try results.vectors(position) == inputs[position].map(F.vector(for:)))
        }
        #expect(results.overlapped, "the two calls ran at the same time")
        #expect(log.encodedTexts == texts.count, "the folder lock keeps the second from encoding again")
        #expect(try scratch.cache().count() == texts.count)
    }

    @Test func concurrentSegmentWritesOfTheSameBatchLeaveOneValidFile() async throws {
        let scratch = try EmbeddingCacheScratch()
        let cache = try scratch.cache()
        let texts = F.texts(50)
        let bytes = EmbeddingSegment.encoded(
            keys: texts.map(EmbeddingKey.init(text:)), vectors: texts.map(F.vector(for:)), dimension: F.dimension,
            modelDigest: cache.modelDigest)
        let folder = cache.modelFolder
        // Writers that bypass the folder lock: the rename alone must keep the file whole.
        try await withThrowingTaskGroup(of: URL.self) { group in
            for _ in 0..<8 { group.addTask { try EmbeddingSegment.write(bytes, into: folder) } }
            for try await _ in group {}
        }

        #expect(try F.segmentFiles(cache).count == 1)
        #expect(try F.temporaryFiles(cache).isEmpty)
        let log = EncodeLog()
        #expect(try cache.vectors(for: texts, encode: log.encode) == texts.map(F.vector(for:)))
        #expect(log.calls.isEmpty)
    }
}

/// What each of two threads got from the cache, and when.
private final class ThreadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Int: (vectors: Result<[[Float]], any Error>, interval: ClosedRange<Date>)] = [:]

    func record(_ position: Int, _ vectors: Result<[[Float]], any Error>, _ interval: ClosedRange<Date>) {
        lock.withLock { outcomes[position] = (vectors, interval) }
    }

    func vectors(_ position: Int) throws -> [[Float]]? { try lock.withLock { try outcomes[position]?.vectors.get() } }

    var overlapped: Bool {
        lock.withLock {
            guard let first = outcomes[0]?.interval, let second = outcomes[1]?.interval else { return false }
            return first.overlaps(second)
        }
    }
}
