import Foundation
import Testing

/// Every shipped sweep file must validate against the real model catalog (not a test literal),
/// so a renamed hyperparameter breaks the build instead of a user's sweep.
@Suite("Shipped sweep files against the real catalog")
struct SweepFilesTests {
    static let sweepsFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("sweeps").path
    }()

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sweepsFolder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theExpectedFilesAreThere() {
        #expect(Set(Self.files).isSuperset(of: ["quickstart.yaml", "smoke.yaml"]))
        #expect(Self.files.count >= 5)
    }

    @Test(arguments: files)
    func validatesAgainstTheRealCatalog(_ file: String) throws {
        // The sentence model for 'minilm' trials: the shared copy when this machine has it.
        let model = ModelsCommandTests.sharedModelAbsent ? [] : ["--model-dir", ModelsCommandTests.sharedModel]
        let result = try CLI.run(
            ["sweep", "run", (Self.sweepsFolder as NSString).appendingPathComponent(file), "--dry-run"] + model)
        // The dry run also checks that the data (and the sentence model) are here; a machine
        // without the shared files still validates the file against the catalog (the trials are
        // listed before that check).
        let dataMissingHere =
            result.status == 1
            && (result.stderr.contains("'dataset.path'") && result.stderr.contains("no such file or folder")
                || result.stderr.contains("'dataset.domains'") && result.stderr.contains("no such file"))
        let modelMissingHere =
            ModelsCommandTests.sharedModelAbsent && result.status == 1
            && result.stderr.contains("not a complete sentence-model folder")
        #expect(result.status == 0 || dataMissingHere || modelMissingHere, "\(file): \(result.stderr)")
        #expect(result.stdout.contains(" trials"))
    }
}
