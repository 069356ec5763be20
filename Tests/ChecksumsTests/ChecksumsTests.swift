import Checksums
import Foundation
import Testing

/// The two hash functions against published vectors (FIPS 180-4 examples, RFC 1321's test suite)
/// and against the system's `sha256sum` and `md5sum` on data that crosses block boundaries.
@Suite("Checksums")
struct ChecksumsTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardsExamples(message: String, expected: String) {
        #expect(SHA256.hash(data: Data(message.utf8)).description == expected)
    }

    @Test func sha256OfAMillionAs() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(data: million).description == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5MatchesRFC1321(message: String, expected: String) {
        #expect(Insecure.MD5.hash(data: Data(message.utf8)).description == expected)
    }

    /// Pieces of every size from 0 to 130 bytes fed one after another give the one-shot digest.
    @Test func streamingInPiecesEqualsOneShot() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var sha = SHA256()
        var md5 = Insecure.MD5()
        var offset = 0, size = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            sha.update(data: bytes[offset..<end])
            md5.update(data: bytes[offset..<end])
            offset = end
            size = (size + 1) % 131
        }
        #expect(sha.finalize() == SHA256.hash(data: bytes))
        #expect(md5.finalize() == Insecure.MD5.hash(data: bytes))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum"), "no sha256sum: skipped"))
    func agreesWithTheSystemTools() throws {
        let path = NSTemporaryDirectory() + "checksums-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for length in [55, 56, 63, 64, 65, 119, 120, 1_000, 65_537] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try Self.tool("/usr/bin/sha256sum", path) == SHA256.hash(data: bytes).description, "length \(length)")
            #expect(try Self.tool("/usr/bin/md5sum", path) == Insecure.MD5.hash(data: bytes).description, "length \(length)")
        }
    }

    static func tool(_ executable: String, _ file: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [file]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix { $0 != " " })
    }
}
