import Checksums
import Foundation

/// The MD5 and SHA-256 of a file, as lowercase hexadecimal, computed in one streaming pass.
///
/// - Complexity: O(file size) time, O(1) memory (reads 1 MiB at a time).
struct FileDigests: Sendable, Hashable {
    var md5: String
    var sha256: String

    init(md5: String, sha256: String) {
        self.md5 = md5
        self.sha256 = sha256
    }

    /// Hashes the file at `url`.
    /// - Throws: the file system's error when the file cannot be opened or read.
    init(of url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var md5 = Insecure.MD5()
        var sha256 = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            md5.update(data: chunk)
            sha256.update(data: chunk)
        }
        self.init(md5: Self.hex(md5.finalize()), sha256: Self.hex(sha256.finalize()))
    }

    /// Hashes bytes held in memory.
    init(of bytes: Data) {
        self.init(md5: Self.hex(Insecure.MD5.hash(data: bytes)), sha256: Self.hex(SHA256.hash(data: bytes)))
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }
}
