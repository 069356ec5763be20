import Foundation
import RecData
import Sweep
import Testing

@testable import SweepRuntime

/// `DatasetSpec.checkDataIsReadable`: what `sweep run` (and `--dry-run`) checks before workers start.
@Suite("Data set preflight")
struct DatasetPreflightTests {
    final class Folder {
        let path = NSTemporaryDirectory() + "crossrec-preflight-\(UUID().uuidString)"
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        @discardableResult
        func write(_ name: String, _ text: String = "1\t1\t5\t0\n") throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }

    static func error(_ spec: DatasetSpec, in folder: String? = nil) -> DataError? {
        do {
            try spec.checkDataIsReadable(currentDirectory: folder)
            return nil
        } catch {
            return error
        }
    }

    @Test func syntheticDataPasses() {
        #expect(Self.error(DatasetSpec(source: .synthetic(SyntheticDatasetSpec()))) == nil)
    }

    @Test func aMissingRelativePathNamesThePathTheFolderAndWhatToDo() throws {
        let folder = try Folder()
        let error = try #require(Self.error(DatasetSpec(source: .path("data/ml-100k", layout: .movielens)), in: folder.path))
        #expect(error.kind == .missingFile)
        #expect(error.file == "data/ml-100k")
        #expect(error.description.contains("no such file or folder; looked in data/ml-100k (from \(folder.path))"), "\(error)")
        #expect(error.description.contains("crossrec data fetch ml-100k"), "\(error)")
    }

    @Test func aMovieLensFolderWithItsOfficialSplitPasses() throws {
        let folder = try Folder()
        for name in ["u.data", "u.item", "u.genre", "u1.base", "u1.test"] { try folder.write("ml/\(name)") }
        let spec = DatasetSpec(source: .path("ml", layout: .auto), split: .official("u1"))
        #expect(Self.error(spec, in: folder.path) == nil)
        #expect(Self.error(DatasetSpec(source: .path(folder.path + "/ml", layout: .movielens)), in: "/nonexistent") == nil)
        let missingFold = try #require(Self.error(DatasetSpec(source: .path("ml", layout: .auto), split: .official("u2")), in: folder.path))
        #expect(missingFold.file == "ml/u2.base" && missingFold.kind == .missingFile, "\(missingFold)")
    }

    @Test func aFolderOfNoKnownLayoutFailsWithLayoutAuto() throws {
        let folder = try Folder()
        try folder.write("notes/readme.txt", "hello\n")
        let error = try #require(Self.error(DatasetSpec(source: .path("notes", layout: .auto)), in: folder.path))
        #expect(error.kind == .unknownLayout, "\(error)")
    }

    @Test func layoutAndKindOfPathMustAgree() throws {
        let folder = try Folder()
        try folder.write("ratings.csv", "user,item,rating\nu1,i1,4\n")
        #expect(Self.error(DatasetSpec(source: .path("ratings.csv", layout: .generic)), in: folder.path) == nil)
        #expect(Self.error(DatasetSpec(source: .path("ratings.csv", layout: .auto)), in: folder.path) == nil)
        let file = try #require(Self.error(DatasetSpec(source: .path("ratings.csv", layout: .movielens)), in: folder.path))
        #expect(file.message.contains("layout 'movielens' reads a folder"), "\(file)")
        let directory = try #require(Self.error(DatasetSpec(source: .path(".", layout: .generic)), in: folder.path))
        #expect(directory.message.contains("layout 'generic' reads one file"), "\(directory)")
    }

    /// Root reads everything, so the permission case only means something for other users.
    @Test(.enabled(if: getuid() != 0, "root can read any file"))
    func anUnreadableFileInsideTheFolderIsNamed() throws {
        let folder = try Folder()
        try folder.write("ml/u.data")
        let secret = try folder.write("ml/u.item")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: secret)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret) }
        let error = try #require(Self.error(DatasetSpec(source: .path("ml", layout: .movielens)), in: folder.path))
        #expect(error.kind == .io && error.file == "ml/u.item", "\(error)")
        #expect(error.description.contains("permission denied"))
    }
}

@Suite("Data set preflight: split files")
struct SplitFilesPreflightTests {
    @Test func aMissingSplitFileIsNamedBeforeAnyWorkerStarts() throws {
        let folder = NSTemporaryDirectory() + "crossrec-preflight-files-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/pair", withIntermediateDirectories: true)
        try "u,i,3.5\n".write(toFile: folder + "/pair/train.csv", atomically: true, encoding: .utf8)
        var request = DatasetSpec(source: .path("pair/train.csv", layout: .generic))
        request.split = .givenFiles(train: "train.csv", test: "test.csv")
        let error = try #require(throws: DataError.self) { try request.checkDataIsReadable(currentDirectory: folder) }
        #expect(error.file == "test.csv")
        #expect(error.description.contains("pair/test.csv (beside the data set)"), "\(error)")
        try "u,i,4\n".write(toFile: folder + "/pair/test.csv", atomically: true, encoding: .utf8)
        try request.checkDataIsReadable(currentDirectory: folder)
    }
}
