import Foundation
import RecData
import Sweep
import Testing

/// The sweep files shipped in `sweeps/` parse, validate against the issue's model catalog and
/// expand to the trial counts their comments promise.
@Suite("Shipped sweep files")
struct SweepFilesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sweeps")

    @Test(arguments: [
        ("smoke.yaml", 4, ["noop": 1, "sleep": 1, "mf": 2]),
        (
            "quickstart.yaml", 50,
            [
                "popularity": 2, "mf": 8, "als": 8, "bpr": 8, "itemknn": 6, "ease": 6, "content": 4, "hybrid": 4,
                "unified": 4,
            ]
        ),
        ("ml100k-mf.yaml", 162, ["baseline": 18, "mf": 144]),
        ("ml100k-als.yaml", 120, ["als": 120]),
        ("ml100k-knn-ease.yaml", 28, ["popularity": 1, "itemknn": 20, "ease": 7]),
        ("ml100k-content.yaml", 13, ["popularity": 1, "content": 12]),
        ("synthetic-news-impressions.yaml", 13, ["popularity": 1, "content": 4, "itemknn": 3, "ease": 3, "bpr": 2]),
        ("synthetic-hybrid.yaml", 33, ["ease": 3, "itemknn": 3, "content": 3, "hybrid": 24]),
        ("synthetic-cross-domain.yaml", 18, ["popularity": 3, "als": 3, "unified": 12]),
        ("ml100k-cross-domain.yaml", 5, ["popularity": 1, "ease": 1, "unified": 3]),
        ("amazon-phone-sport.yaml", 64, ["popularity": 1, "als": 3, "unified": 48, "emcdr": 12]),
        ("amazon-sport-phone.yaml", 64, ["popularity": 1, "als": 3, "unified": 48, "emcdr": 12]),
        ("amazon-phone-sport-specific.yaml", 7, ["unified": 6, "emcdr": 1]),
        ("amazon-sport-phone-specific.yaml", 7, ["unified": 6, "emcdr": 1]),
        ("amazon-phone-sport-coldsim.yaml", 5, ["unified": 4, "emcdr": 1]),
        ("amazon-sport-phone-coldsim.yaml", 5, ["unified": 4, "emcdr": 1]),
        ("amazon-phone-sport-twotower.yaml", 4, ["twotower": 3, "emcdr": 1]),
        ("amazon-sport-phone-twotower.yaml", 4, ["twotower": 3, "emcdr": 1]),
        ("mind-sample-content.yaml", 8, ["popularity": 1, "content": 7]),
        ("synthetic-twotower.yaml", 22, ["ease": 2, "unified": 4, "twotower": 16]),
        ("synthetic-cold-items.yaml", 6, ["popularity": 1, "als": 1, "content": 4]),
        ("ml100k-twotower.yaml", 8, ["twotower": 8]),
        ("ml100k-twotower-warm.yaml", 16, ["twotower": 16]),
    ])
    func parsesValidatesAndExpands(file: String, trials: Int, perModel: [String: Int]) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let spec = try SweepSpec(contentsOfFile: path, catalog: TestCatalog.catalog)
        let expansion = spec.expand()
        #expect(expansion.trials.count == trials)
        // Only the hybrid file repeats grid points: content_weight does not apply to its stack
        // trials, so 3 weights × 2 cf × 3 seeds collapse to 2 × 3 (12 repeats).
        #expect(expansion.duplicatesRemoved == (file == "synthetic-hybrid.yaml" ? 12 : 0))
        #expect(expansion.countsByModel == perModel)
        #expect(spec.name == String(file.dropLast(".yaml".count)))
    }

    @Test func smokeIsTinySyntheticData() throws {
        let spec = try SweepSpec(
            contentsOfFile: Self.folder.appendingPathComponent("smoke.yaml").path, catalog: TestCatalog.catalog)
        guard case .synthetic(let synthetic) = spec.dataset.source else {
            Issue.record("smoke.yaml should use synthetic data")
            return
        }
        #expect(synthetic.users == 300)
        #expect(spec.seeds == [1])
        #expect(spec.timeout == .seconds(60))
    }

    @Test func ml100kFilesUseTheOfficialSplit() throws {
        for file in ["ml100k-mf.yaml", "ml100k-als.yaml", "ml100k-knn-ease.yaml", "ml100k-content.yaml"] {
            let spec = try SweepSpec(
                contentsOfFile: Self.folder.appendingPathComponent(file).path, catalog: TestCatalog.catalog)
            // A data-set name, found in the data folder (data/ or $CROSSREC_DATA), not a path of this machine.
            #expect(spec.dataset.source == .path("ml-100k", layout: .movielens))
            #expect(spec.dataset.split == .official("u1"))
        }
    }

    @Test func errorsNameThePathAsGiven() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweepspec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.yaml").path
        try TestCatalog.sweep(models: "  mf:\n    factors: \"abc\"").write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: SweepSpecError(
                file: path, line: 7, key: "models.mf.factors",
                message: "'factors' must be an integer in 1…1024, got string 'abc'")
        ) {
            try SweepSpec(contentsOfFile: path, catalog: TestCatalog.catalog)
        }
    }
}

/// The data-set files shipped in sweeps/datasets: they parse, and when the data they name is on
/// this machine (../shared), they open with the documented counts.
@Suite("Sweep files: data-set files")
struct DatasetFilesTests {
    static let file = SweepFilesTests.folder.appendingPathComponent("datasets/amazon-phone-sport.yaml").path
    /// `../shared/data` as the data folder, where the file's `amazon-cdr-phone-sport/…` names are found.
    static let sharedData = DataFolder(
        environment: [
            "CROSSREC_DATA": SweepFilesTests.folder.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("shared/data").path
        ])
    static var dataIsPresent: Bool {
        (try? DatasetDescription.load(file: file, dataFolder: sharedData)).map {
            FileManager.default.fileExists(atPath: $0.domains[0].path)
        } ?? false
    }

    @Test func amazonPhoneSportParses() throws {
        let description = try DatasetDescription.load(file: Self.file)
        try description.validate()
        #expect(description.domains.map(\.name) == ["phone", "sport"])
        #expect(description.domains.allSatisfy { $0.test != nil })
        #expect(description.users == .shared)
    }

    @Test(.enabled(if: DatasetFilesTests.dataIsPresent, "../shared/data/amazon-cdr-phone-sport absent: skipped"))
    func amazonPhoneSportOpensWithThePublishedCounts() throws {
        let dataset = try DatasetDescription.load(file: Self.file, dataFolder: Self.sharedData).open()
        #expect(dataset.users.count == 4_998)
        let phone = try #require(dataset.domain("phone")), sport = try #require(dataset.domain("sport"))
        #expect(phone.interactions.count == 42_446 && phone.givenTest?.count == 3_999)
        #expect(sport.interactions.count == 50_558 && sport.givenTest?.count == 3_698)
        #expect(phone.items.count == 13_655 && sport.items.count == 20_845)
        #expect(!phone.isExplicit && !sport.isExplicit)
    }
}
