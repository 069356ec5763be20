import Foundation
import Testing
import ZIPFoundation

@testable import DataFetch

/// Builders for the archives and folders the fetcher tests use.
enum Fixtures {
    /// A zip holding `files` (path → contents), stored uncompressed so archive sizes are predictable.
    /// Folders are added as directory entries before their files.
    static func zip(_ files: [(path: String, contents: Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        var folders: Set<String> = []
        for (path, contents) in files {
            // Folder entries only for well-formed paths, so a hostile entry stays the only bad one.
            let isWellFormed = !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
            let components = isWellFormed ? path.split(separator: "/").dropLast() : []
            for depth in components.indices {
                let folder = components[...depth].joined(separator: "/") + "/"
                guard folders.insert(folder).inserted else { continue }
                try archive.addEntry(with: folder, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in
                    Data()
                }
            }
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(contents.count), compressionMethod: .none
            ) { position, size in
                contents.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// `count` lines in the MovieLens `u.data` form (`user\titem\trating\ttimestamp`).
    static func ratings(count: Int) -> Data {
        var text = ""
        for index in 0..<count {
            text += "\(index % 943 + 1)\t\(index % 1682 + 1)\t\(index % 5 + 1)\t\(874_965_758 + index)\n"
        }
        return Data(text.utf8)
    }

    /// A MovieLens-like `ml-100k.zip` with a `u.data` of `lines` ratings.
    static func movieLens100k(lines: Int = 5) throws -> (archive: Data, ratings: Data) {
        let ratings = ratings(count: lines)
        let readme = Data("SUMMARY & USAGE LICENSE\n".utf8)
        return (try zip([("ml-100k/README", readme), ("ml-100k/u.data", ratings)]), ratings)
    }

    static func md5(_ data: Data) -> String { FileDigests(of: data).md5 }
    static func sha256(_ data: Data) -> String { FileDigests(of: data).sha256 }
}

/// A fresh folder under the system temporary folder, removed by ``remove()``.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("DataFetchTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
