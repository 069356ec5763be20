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
        let result = try CLI.run(["sweep", "run", (Self.sweepsFolder as NSString).appendingPathComponent(file), "--dry-run"])
        #expect(result.status == 0, "\(file): \(result.stderr)")
        #expect(result.stdout.contains(" trials"))
    }
}
