import Foundation
import Testing

@testable import DataFetch

@Suite("Digests and the SHA-256 manifest")
struct ChecksumTests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ])
    func knownVectors(text: String, md5: String, sha256: String) throws {
        #expect(FileDigests(of: Data(text.utf8)) == FileDigests(md5: md5, sha256: sha256))
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let file = root.url.appendingPathComponent("f")
        try Data(text.utf8).write(to: file)
        #expect(try FileDigests(of: file) == FileDigests(md5: md5, sha256: sha256))
    }

    @Test func fileDigestsMatchInMemoryDigestsAcrossChunks() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let bytes = Data((0..<((1 << 20) * 2 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let file = root.url.appendingPathComponent("big")
        try bytes.write(to: file)
        #expect(try FileDigests(of: file) == FileDigests(of: bytes))
    }

    @Test func manifestRoundTripsInSha256sumFormat() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        #expect(try ChecksumManifest(in: root.url) == ChecksumManifest())
        let a = String(repeating: "ab", count: 32)
        let b = String(repeating: "0f", count: 32)
        try ChecksumManifest(sha256ByFileName: ["MINDdemo_train.zip": a, "MINDdemo_dev.zip": b]).write(in: root.url)

        let text = try String(contentsOf: root.url.appendingPathComponent("downloads.sha256"), encoding: .utf8)
        #expect(text == "\(b)  MINDdemo_dev.zip\n\(a)  MINDdemo_train.zip\n")
        #expect(
            try ChecksumManifest(in: root.url).sha256ByFileName == ["MINDdemo_train.zip": a, "MINDdemo_dev.zip": b])
    }

    @Test func manifestSkipsLinesNotInSha256sumForm() {
        let digest = String(repeating: "AB", count: 32)
        let manifest = ChecksumManifest(parsing: "garbage\n\(digest) *x.zip\nabc  y.zip\n")
        #expect(manifest.sha256ByFileName == ["x.zip": digest.lowercased()])
    }
}
