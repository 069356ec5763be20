import Checksums
import Foundation

@testable import RecEncoder

/// Helpers for the embedding cache tests: a stand-in encoder, a call log and a scratch folder.
enum EmbeddingCacheFixtures {
    static let dimension = 8
    static let fingerprint = String(repeating: "ab12", count: 16)

    /// A deterministic stand-in for the sentence encoder: numbers derived from the text's SHA-256.
    static func vector(for text: String) -> [Float] {
        let digest = Array(SHA256.hash(data: Data(text.utf8)))
        return (0..<dimension).map { Float(digest[$0]) / 255 - 0.5 }
    }

    static func texts(_ count: Int, prefix: String = "item") -> [String] {
        (0..<count).map { "\(prefix) \($0): a title, and an abstract with ünïcödé" }
    }

    /// The segment files of a cache.
    static func segmentFiles(_ cache: EmbeddingCache) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: cache.modelFolder.path).sorted()
            .filter { $0.hasSuffix(".embeddings") && !$0.hasPrefix(".") }
            .map { cache.modelFolder.appendingPathComponent($0) }
    }

    static func temporaryFiles(_ cache: EmbeddingCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.modelFolder.path).filter { $0.hasPrefix(".tmp-") }
    }
}

/// Records the texts of every `encode` call; usable from several threads.
final class EncodeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [[String]] = []

    /// An encoder that records its input and answers with ``EmbeddingCacheFixtures/vector(for:)``.
    func encode(_ texts: [String]) -> [[Float]] {
        lock.withLock { batches.append(texts) }
        return texts.map(EmbeddingCacheFixtures.vector(for:))
    }

    var calls: [[String]] { lock.withLock { batches } }
    var encodedTexts: Int { lock.withLock { batches.reduce(0) { $0 + $1.count } } }
}

/// A fresh folder under the system temporary folder, removed on deinit.
final class EmbeddingCacheScratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "RecEncoderTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func cache(
        fingerprint: String = EmbeddingCacheFixtures.fingerprint, rowsPerFile: Int = 4096,
        warnings: WarningLog? = nil
    ) throws -> EmbeddingCache {
        try EmbeddingCache(
            folder: url, modelFingerprint: fingerprint, dimension: EmbeddingCacheFixtures.dimension,
            rowsPerFile: rowsPerFile, warning: { warnings?.record($0) })
    }
}

/// Collects the cache's warnings.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [EmbeddingCacheError] = []

    func record(_ warning: EmbeddingCacheError) { lock.withLock { recorded.append(warning) } }
    var warnings: [EmbeddingCacheError] { lock.withLock { recorded } }
}
