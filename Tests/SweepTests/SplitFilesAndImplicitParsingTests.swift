import Foundation
import Sweep
import Testing

/// `split: {files: {train: …, test: …}}` and `implicit:` in a sweep file's dataset section, and
/// that both enter the data fingerprint (so one store never mixes their trials).
@Suite("Sweep files: fixed split files and implicit feedback")
struct SplitFilesAndImplicitParsingTests {
    static func parse(_ dataset: String) throws(SweepSpecError) -> SweepSpec {
        try SweepSpec(yaml: DescribedDatasetParsingTests.sweep(dataset), file: "sweeps/x.yaml", catalog: TestCatalog.catalog)
    }

    @Test func filesPairParsesAndEntersTheFingerprint() throws {
        let spec = try Self.parse("  path: ml-100k\n  split: {files: {train: u1.base, test: u1.test}}")
        #expect(spec.dataset.split == .givenFiles(train: "u1.base", test: "u1.test"))
        let other = try Self.parse("  path: ml-100k\n  split: {files: {train: u2.base, test: u2.test}}")
        let official = try Self.parse("  path: ml-100k\n  split: {official: u1}")
        #expect(spec.dataset.fingerprint != other.dataset.fingerprint)
        #expect(spec.dataset.fingerprint != official.dataset.fingerprint)
    }

    @Test func filesPairNeedsBothFiles() {
        let message = DescribedDatasetParsingTests.error("  path: ml-100k\n  split: {files: {train: u1.base}}")
        #expect(message.contains("sweeps/x.yaml:"), "\(message)")
        #expect(message.contains("test"), "\(message)")
    }

    @Test(arguments: [
        ("{threshold: 4}", 4.0 as Double?), ("{threshold: 3.5}", 3.5), ("4", 4), ("any", nil), ("{threshold: any}", nil),
    ])
    func implicitForms(text: String, threshold: Double?) throws {
        let spec = try Self.parse("  path: ml-100k\n  implicit: \(text)")
        #expect(spec.dataset.implicit == DatasetSpec.ImplicitFeedback(threshold: threshold))
    }

    @Test func implicitEntersTheFingerprintAndItsAbsenceKeepsOldOnes() throws {
        let plain = try Self.parse("  path: ml-100k")
        let four = try Self.parse("  path: ml-100k\n  implicit: {threshold: 4}")
        let any = try Self.parse("  path: ml-100k\n  implicit: any")
        #expect(Set([plain.dataset.fingerprint, four.dataset.fingerprint, any.dataset.fingerprint]).count == 3)
        #expect(!plain.dataset.canonicalText.contains("implicit"))
    }

    @Test func badImplicitThresholdIsAnErrorWithTheLine() {
        let message = DescribedDatasetParsingTests.error("  path: ml-100k\n  implicit: {threshold: high}")
        #expect(message.contains("sweeps/x.yaml:"), "\(message)")
        #expect(message.contains("'implicit' threshold must be a number"), "\(message)")
    }
}

@Suite("Data requests: file format and joins in the fingerprint")
struct FileFormatFingerprintTests {
    @Test func defaultFormatKeepsTheFingerprintAndOthersChangeIt() {
        let plain = DatasetSpec(source: .path("x.csv", layout: .generic))
        var defaults = plain
        defaults.fileFormat = DatasetSpec.FileFormat()
        #expect(defaults.fingerprint == plain.fingerprint)
        var named = plain
        var format = DatasetSpec.FileFormat()
        format.user = "uid"
        named.fileFormat = format
        #expect(named.fingerprint != plain.fingerprint)
        var joined = plain
        joined.join = DatasetSpec.Join(path: "y.csv", links: "links.csv")
        #expect(joined.fingerprint != plain.fingerprint)
    }
}
