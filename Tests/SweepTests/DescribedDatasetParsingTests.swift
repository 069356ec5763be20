import Foundation
import RecData
import Sweep
import Testing

/// `dataset: {domains: …, users: …}` in a sweep file, and data-set files given to commands.
@Suite("Sweep files: described data sets")
struct DescribedDatasetParsingTests {
    static func sweep(_ dataset: String) -> String {
        """
        name: linked
        dataset:
        \(dataset)
        metric: {primary: ndcg@10, direction: maximize}
        models:
          popularity:
        """
    }

    static func parse(_ dataset: String) throws(SweepSpecError) -> SweepSpec {
        try SweepSpec(yaml: sweep(dataset), file: "sweeps/x.yaml", catalog: TestCatalog.catalog)
    }

    static func error(_ dataset: String) -> String {
        do {
            _ = try parse(dataset)
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    @Test func domainsWithTestFilesAndSharedUsers() throws {
        let spec = try Self.parse(
            """
              domains:
                phone: {path: data/phone/train.txt, test: data/phone/test.txt}
                sport: {path: data/sport/train.txt, test: data/sport/test.txt, feedback: implicit, separator: tab}
              users: shared
              split: files
              domain: sport
            """)
        guard case .described(let description) = spec.dataset.source else {
            Issue.record("not a described source: \(spec.dataset.source)")
            return
        }
        #expect(description.domains.map(\.name) == ["phone", "sport"])
        #expect(description.domains[0].path == "data/phone/train.txt")
        #expect(description.domains[1].test == "data/sport/test.txt")
        #expect(description.domains[1].feedback == .implicit && description.domains[1].separator == "tab")
        #expect(description.users == .shared)
        #expect(spec.dataset.split == .files)
        #expect(spec.dataset.domain == "sport")
        // The description is part of the data's fingerprint: another test file, another id.
        let other = try Self.parse(
            """
              domains:
                phone: {path: data/phone/train.txt, test: data/phone/test.txt}
                sport: {path: data/sport/train.txt, test: data/sport/test_original.txt, feedback: implicit, separator: tab}
              split: files
              domain: sport
            """)
        #expect(other.dataset.fingerprint != spec.dataset.fingerprint)
    }

    @Test func aDomainMayBeJustItsPathAndUsersMayBeLinked() throws {
        let spec = try Self.parse(
            """
              domains: {books: books.csv, films: films.csv}
              users: {links: links.csv}
            """)
        guard case .described(let description) = spec.dataset.source else {
            Issue.record("not a described source")
            return
        }
        #expect(description.domains.map(\.path) == ["books.csv", "films.csv"])
        #expect(description.users == .links("links.csv"))
    }

    @Test func mistakesNameTheLineAndKey() {
        #expect(
            Self.error("  domains: {a: a.csv}\n  path: x") == "sweeps/x.yaml:4: 'dataset' takes one of 'synthetic', 'path' and 'domains', not two")
        #expect(Self.error("  domains: {a: {path: a.csv, feedbak: implicit}}").contains("sweeps/x.yaml:3"))
        #expect(Self.error("  domains: {a: {path: a.csv, feedbak: implicit}}").contains("did you mean 'feedback'"))
        #expect(
            Self.error("  domains: {a: {path: a.csv, feedback: yes-please}}").contains(
                "'feedback' must be auto (a value column that is the same everywhere is implicit), implicit or explicit"))
        #expect(Self.error("  domains: {a: {test: t.csv}}").contains("missing required key 'path'"))
        #expect(Self.error("  domains: {a: a.csv}\n  users: everyone").contains("'users' must be shared (one id space) or {links: FILE}"))
        #expect(
            Self.error("  domains: {a: a.csv, b: b.csv, c: c.csv}\n  users: {links: l.csv}").contains("a links file joins two domains"))
        #expect(Self.error("  path: x.csv\n  users: shared").contains("this data set has no 'domains'"))
        #expect(Self.error("  domains: {}").contains("names no domain"))
        #expect(Self.error("  domains: {a: a.csv}\n  split: {files: x}").contains("write 'split: files'"))
    }

    @Test func aDataSetFileResolvesPathsAgainstItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-desc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pair.yaml").path
        try "domains:\n  a: {path: a/train.txt, test: /abs/test.txt}\n  b: b.txt\n".write(toFile: file, atomically: true, encoding: .utf8)
        let description = try DatasetDescription.load(file: file)
        #expect(description.domains[0].path == folder.appendingPathComponent("a/train.txt").path)
        #expect(description.domains[0].test == "/abs/test.txt")
        #expect(description.domains[1].path == folder.appendingPathComponent("b.txt").path)
        #expect(description.origin == file)
        try "domains: {a: a.txt}\nsplit: files\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: SweepSpecError.self) { try DatasetDescription.load(file: file) }
        #expect("\(error)".contains("pair.yaml:2") && "\(error)".contains("'split'"), "\(error)")
    }

    @Test func theSampledProtocolIsPartOfTheDataRequest() throws {
        let spec = try Self.parse("  domains: {a: a.csv}\n  sampled: {negatives: 99, seed: 4}")
        #expect(spec.dataset.sampled == DatasetSpec.SampledProtocol(negatives: 99, seed: 4))
        let defaults = try Self.parse("  domains: {a: a.csv}\n  sampled:")
        #expect(defaults.dataset.sampled == DatasetSpec.SampledProtocol(negatives: 999, seed: 1))
        let none = try Self.parse("  domains: {a: a.csv}")
        #expect(none.dataset.sampled == nil)
        #expect(spec.dataset.fingerprint != none.dataset.fingerprint)
        #expect(Self.error("  domains: {a: a.csv}\n  sampled: {negatives: 0}").contains("a positive number of negatives"))
    }
}
