import Checksums
import Foundation

/// The identity of a text in the ``EmbeddingCache``: the SHA-256 of its exact UTF-8 bytes (no
/// normalisation: texts that differ in any byte are different entries).
///
/// Held as four words for fast hashing; the on-disk form is the 32 digest bytes in order.
struct EmbeddingKey: Hashable, Sendable {
    static let byteCount = 32

    private var word0: UInt64
    private var word1: UInt64
    private var word2: UInt64
    private var word3: UInt64

    init(text: String) {
        let digest = SHA256.hash(data: Data(text.utf8))
        self = digest.withUnsafeBytes { EmbeddingKey(bytes: $0.baseAddress!) }
    }

    /// Reads the 32 digest bytes at `bytes` (any alignment).
    init(bytes: UnsafeRawPointer) {
        word0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        word1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        word2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        word3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// Appends the 32 digest bytes, in the order ``init(bytes:)`` reads them.
    func append(to bytes: inout [UInt8]) {
        for word in [word0, word1, word2, word3] {
            withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
        }
    }
}
