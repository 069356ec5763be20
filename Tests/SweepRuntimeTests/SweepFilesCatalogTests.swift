import Foundation
import Sweep
import Testing

@testable import SweepRuntime

/// Every shipped sweep file against the catalog the runtime really announces (the Sweep tests use
/// a literal catalog, which could agree with the files while the runtime does not).
@Suite("Shipped sweep files against the runtime catalog")
struct SweepFilesCatalogTests {
    static let folder: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/SweepRuntimeTests/file -> repo root
        return url.appendingPathComponent("sweeps")
    }()

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreSweepFiles() {
        #expect(Self.files.count >= 7, "\(Self.files)")
    }

    @Test(arguments: files)
    func parsesAgainstTheRuntimeCatalog(file: String) throws {
        let spec = try SweepSpec(contentsOfFile: Self.folder.appendingPathComponent(file).path, catalog: TrialRunner.catalog)
        #expect(!spec.expand().trials.isEmpty, "\(file) expands to no trial")
    }
}
