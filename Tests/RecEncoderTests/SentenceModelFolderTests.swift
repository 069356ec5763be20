import Foundation
import Testing

@testable import RecEncoder

@Suite("Sentence model folder")
struct SentenceModelFolderTests {
    static let sharedModel = "../shared/models/all-MiniLM-L6-v2"
    static let sharedModelAbsent = !FileManager.default.fileExists(atPath: sharedModel + "/model.safetensors")

    /// A folder holding `files` (each with a few bytes, or none for the names in `empty`).
    static func folder(_ scratch: EmbeddingCacheScratch, files: [String], empty: Set<String> = []) throws -> String {
        let folder = scratch.url.appendingPathComponent("model")
        for file in files {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(empty.contains(file) ? [] : Array("\(file)\n".utf8)).write(to: url)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    @Test func partialFolderNamesTheMissingFilesAndHowToGetThem() throws {
        let scratch = try EmbeddingCacheScratch()
        let path = try Self.folder(
            scratch, files: ["config.json", "vocab.txt", "model.safetensors.part", "tokenizer_config.json"],
            empty: ["vocab.txt"])

        #expect(throws: EncoderError.self) { try SentenceModelFolder(validating: path) }
        do {
            _ = try SentenceModelFolder(validating: path)
        } catch let error as EncoderError {
            #expect(
                error
                    == .incompleteModelFolder(
                        path: path, missing: ["vocab.txt (empty)", "1_Pooling/config.json", "model.safetensors"]))
            #expect(error.description.contains(path))
            #expect(error.description.contains("crossrec models fetch all-MiniLM-L6-v2"))
            #expect(error.description.contains("--model-dir"))
        }
    }

    @Test func absentFolderListsEveryFile() throws {
        let path = "/nonexistent/crossrec-model-\(UUID().uuidString)"
        #expect(throws: EncoderError.incompleteModelFolder(path: path, missing: SentenceModelFolder.requiredFiles)) {
            try SentenceModelFolder(validating: path)
        }
    }

    @Test func completeFolderGivesThePathsAndAFingerprintThatFollowsItsContents() throws {
        let scratch = try EmbeddingCacheScratch()
        let path = try Self.folder(scratch, files: SentenceModelFolder.requiredFiles + ["README.md"])
        let folder = try SentenceModelFolder(validating: path)
        #expect(folder.weightsPath == path + "/model.safetensors")
        #expect(folder.poolingConfigurationPath == path + "/1_Pooling/config.json")

        let fingerprint = try folder.fingerprint()
        #expect(fingerprint.count == 64 && fingerprint.allSatisfy(\.isHexDigit))
        #expect(try folder.fingerprint() == fingerprint)
        try Data("other\n".utf8).write(to: URL(fileURLWithPath: path + "/README.md"))
        #expect(try folder.fingerprint() == fingerprint, "files the encoder does not read do not count")
        try Data("[PAD]\n".utf8).write(to: URL(fileURLWithPath: folder.vocabularyPath))
        #expect(try folder.fingerprint() != fingerprint)
    }

    @Test(.disabled(if: sharedModelAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func publishedMiniLMFolderIsCompleteWithAStableFingerprint() throws {
        let folder = try SentenceModelFolder(validating: Self.sharedModel)
        #expect(
            try folder.sha256(ofFile: "model.safetensors")
                == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
        // sha256sum config.json tokenizer_config.json vocab.txt 1_Pooling/config.json model.safetensors,
        // sorted by name, piped to sha256sum.
        #expect(try folder.fingerprint() == Self.expectedMiniLMFingerprint)
    }

    static let expectedMiniLMFingerprint = "781683236d3ac8c7fdbf606c3c391e17905d6d09d64efe1951c14972332b7ad2"
}
