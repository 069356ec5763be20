import Foundation
import Testing
import ZIPFoundation

@testable import DataFetch

@Suite("Zip extraction")
struct ArchiveUnpackerTests {
    @Test(arguments: [
        "ml-100k/u.data", "ml-100k/", "u.item", "a/b/c.txt", "ml-100k/..data", "ml-100k/u..data",
    ])
    func relativePathsAreSafe(path: String) {
        #expect(ArchiveUnpacker.isSafeEntryPath(path))
    }

    @Test(arguments: [
        "", "/etc/passwd", "\\windows\\x", "../evil.txt", "ml-100k/../../evil.txt", "ml-100k/..",
        "ml-100k\\..\\..\\evil.txt", "C:/evil.txt", "c:evil.txt", "ml-100k/u.data\0.txt",
    ])
    func escapingPathsAreRejected(path: String) {
        #expect(!ArchiveUnpacker.isSafeEntryPath(path))
    }

    @Test(arguments: ["../evil.txt", "/tmp/evil.txt", "ml-100k/../../evil.txt"])
    func unsafeArchiveWritesNothing(entry: String) throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let archiveURL = root.url.appendingPathComponent("bad.zip")
        try Fixtures.zip([("ml-100k/u.data", Data("1\t1\t5\t0\n".utf8)), (entry, Data("x".utf8))])
            .write(to: archiveURL)
        let destination = root.url.appendingPathComponent("out/inner")

        #expect(throws: ArchiveUnpacker.Failure.unsafeEntry(entry)) {
            try ArchiveUnpacker.unpack(archiveURL, into: destination)
        }
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        #expect(!FileManager.default.fileExists(atPath: root.url.appendingPathComponent("out/evil.txt").path))
    }

    @Test func symbolicLinkEntryIsRejected() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let archive = try Archive(data: Data(), accessMode: .create)
        let target = Data("/etc".utf8)
        try archive.addEntry(with: "ml-100k/link", type: .symlink, uncompressedSize: Int64(target.count)) {
            position, size in target.subdata(in: Int(position)..<Int(position) + size)
        }
        let archiveURL = root.url.appendingPathComponent("link.zip")
        try #require(archive.data).write(to: archiveURL)

        #expect(throws: ArchiveUnpacker.Failure.unsafeEntry("ml-100k/link")) {
            try ArchiveUnpacker.unpack(archiveURL, into: root.url.appendingPathComponent("out"))
        }
    }

    @Test func notAZipIsUnreadable() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let archiveURL = root.url.appendingPathComponent("not.zip")
        try Data("<html>502 Bad Gateway</html>".utf8).write(to: archiveURL)

        #expect {
            try ArchiveUnpacker.unpack(archiveURL, into: root.url.appendingPathComponent("out"))
        } throws: { error in
            guard case .unreadable = error as? ArchiveUnpacker.Failure else { return false }
            return true
        }
    }

    @Test func extractsNestedFoldersAndFiles() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let archiveURL = root.url.appendingPathComponent("ok.zip")
        let ratings = Fixtures.ratings(count: 10)
        try Fixtures.zip([("ml-100k/u.data", ratings), ("ml-100k/sub/u.item", Data("1|Toy Story\n".utf8))])
            .write(to: archiveURL)
        let destination = root.url.appendingPathComponent("out")

        try ArchiveUnpacker.unpack(archiveURL, into: destination)

        #expect(try Data(contentsOf: destination.appendingPathComponent("ml-100k/u.data")) == ratings)
        #expect(FileManager.default.fileExists(atPath: destination.appendingPathComponent("ml-100k/sub/u.item").path))
    }
}
