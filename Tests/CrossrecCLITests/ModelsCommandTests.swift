import Foundation
import Testing

@Suite("crossrec models")
struct ModelsCommandTests {
    static let sharedModel = URL(fileURLWithPath: "../shared/models/all-MiniLM-L6-v2").standardizedFileURL.path
    static let sharedModelAbsent = !FileManager.default.fileExists(atPath: sharedModel + "/model.safetensors")

    @Test func checkOfAPartialModelDirNamesTheMissingFilesAndHowToGetThem() throws {
        let folder = try TemporaryFolder()
        try folder.write("model/config.json", "{}")
        try folder.write("model/vocab.txt", "[PAD]\n")
        let modelDir = folder.file("model")

        let result = try CLI.run(["models", "check", "--model-dir", modelDir])

        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(modelDir): not a complete sentence-model folder"))
        #expect(result.stderr.contains("tokenizer_config.json, 1_Pooling/config.json, model.safetensors"))
        #expect(result.stderr.contains("crossrec models fetch all-MiniLM-L6-v2"))
        #expect(result.stdout.isEmpty)
    }

    @Test func checkWithoutAFetchedModelSaysToFetchIt() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["models", "check"], currentDirectory: folder.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("crossrec-cache/models/all-MiniLM-L6-v2"))
        #expect(result.stderr.contains("crossrec models fetch all-MiniLM-L6-v2"))
    }

    @Test(.disabled(if: sharedModelAbsent, "../shared/models/all-MiniLM-L6-v2 absent: skipped"))
    func checkOfTheSharedModelPrintsItsFingerprint() throws {
        let result = try CLI.run(["models", "check", "--model-dir", Self.sharedModel])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == "\(Self.sharedModel)\t781683236d3ac8c7fdbf606c3c391e17905d6d09d64efe1951c14972332b7ad2\n")
    }

    @Test func listShowsThePinnedRevision() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["models", "list"], currentDirectory: folder.path)
        #expect(result.status == 0)
        #expect(
            result.stdout.hasPrefix(
                "all-MiniLM-L6-v2\tsentence-transformers/all-MiniLM-L6-v2@c9745ed1d9f207416be6d2e6f8de32d1f16199bf\t"))
        #expect(result.stdout.contains("not fetched"))
    }

    @Test func fetchOfAnUnknownModelListsTheKnownOnes() throws {
        let result = try CLI.run(["models", "fetch", "bert-huge"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown model 'bert-huge'; known models: all-MiniLM-L6-v2"))
    }

    @Test func fetchFromAnUnreachableServerNamesTheURLAndLeavesNoModelFile() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(
            [
                "models", "fetch", "all-MiniLM-L6-v2", "--cache", folder.file("cache"), "--base-url",
                "http://127.0.0.1:9/",
            ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "downloading http://127.0.0.1:9/sentence-transformers/all-MiniLM-L6-v2/resolve/"
                    + "c9745ed1d9f207416be6d2e6f8de32d1f16199bf/config.json failed"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("cache/models/all-MiniLM-L6-v2/config.json")))
    }

    @Test func helpListsTheModelsCommands() throws {
        let result = try CLI.run(["models", "--help"])
        #expect(result.status == 0)
        for subcommand in ["fetch", "list", "check"] { #expect(result.stdout.contains(subcommand)) }
    }
}
