import Foundation
import RecData
import Sweep
import Testing

@testable import SweepRuntime

/// Which failures the coordinator retries (infrastructure) and which are final (deterministic):
/// the rule documented on ``TrialRunner``.
@Suite("Trial failure kinds")
struct TrialFailureKindTests {
    final class Folder {
        let path = NSTemporaryDirectory() + "crossrec-failure-kinds-\(UUID().uuidString)"
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }

    static func failure(_ config: TrialConfig, _ dataset: DatasetSpec) throws -> TrialFailure {
        let result = TrialRunner().run(config, dataset: dataset, cancel: CancellationFlag())
        guard case .failure(let failure) = result else {
            Issue.record("\(config.label) succeeded: \(result)")
            throw CancellationError()
        }
        return failure
    }

    static let mf = TrialConfig(model: "mf", parameters: ["factors": .int(4), "epochs": .int(2)], seed: 1)

    @Test(arguments: DatasetLayout.allCases)
    func aMissingDataPathIsInfrastructure(_ layout: DatasetLayout) throws {
        let missing = NSTemporaryDirectory() + "crossrec-no-such-data-\(UUID().uuidString)"
        let failure = try Self.failure(Self.mf, DatasetSpec(source: .path(missing, layout: layout)))
        #expect(failure.kind == .infrastructure, "\(failure.message)")
        #expect(failure.message.hasPrefix("data: ") && failure.message.contains(missing), "\(failure.message)")
    }

    @Test func aMalformedDataFileIsInfrastructure() throws {
        let folder = try Folder()
        let file = try folder.write("ratings.csv", "user,item,rating\nu1,i1,4\nu2,i2,four\n")
        let failure = try Self.failure(Self.mf, DatasetSpec(source: .path(file, layout: .generic)))
        #expect(failure.kind == .infrastructure, "\(failure.message)")
        #expect(failure.message.contains("ratings.csv:3"), "names the file and line: \(failure.message)")
    }

    @Test func aFolderOfNoKnownLayoutIsInfrastructure() throws {
        let folder = try Folder()
        _ = try folder.write("notes.txt", "not data\n")
        let failure = try Self.failure(Self.mf, DatasetSpec(source: .path(folder.path, layout: .auto)))
        #expect(failure.kind == .infrastructure, "\(failure.message)")
    }

    @Test func aDivergingModelIsDeterministic() throws {
        let folder = try Folder()
        // Ratings of 1 and 1e18 and the largest learning rate: the first epochs overflow.
        var rows = "user,item,rating\n"
        for user in 1...20 {
            for item in 1...10 where (user + item) % 3 != 0 { rows += "u\(user),i\(item),\((user * 7 + item) % 2 == 0 ? "1e18" : "1")\n" }
        }
        let file = try folder.write("huge.csv", rows)
        let config = TrialConfig(
            model: "mf", parameters: ["factors": .int(8), "epochs": .int(5), "lr": .double(1), "reg": .double(0)], seed: 1)
        let failure = try Self.failure(config, DatasetSpec(source: .path(file, layout: .generic)))
        #expect(failure.kind == .deterministic, "\(failure.message)")
        #expect(failure.message.contains("diverged"), "\(failure.message)")
    }

    @Test func aParameterTheModelRejectsIsDeterministic() throws {
        let dataset = DatasetSpec(source: .synthetic(SyntheticDatasetSpec(users: 40, movies: 20, news: 20)))
        let failure = try Self.failure(TrialConfig(model: "ease", parameters: ["lambda": .double(-1)], seed: 1), dataset)
        #expect(failure.kind == .deterministic, "\(failure.message)")
        #expect(failure.message.contains("lambda"), "\(failure.message)")
    }

    @Test func builtInFailuresKeepTheirKinds() throws {
        let failure = try Self.failure(TrialConfig(model: "sleep", parameters: ["fail": .bool(true)], seed: 1), DatasetSpec(
            source: .synthetic(SyntheticDatasetSpec())))
        #expect(failure.kind == .deterministic)
    }

    @Test func environmentalErrorsFromAModelAreInfrastructure() {
        #expect(TrialRunner.modelFailure(DataError(.io, file: "f", message: "read failed")).kind == .infrastructure)
        #expect(TrialRunner.modelFailure(DataError(.missingFile, file: "f", message: "gone")).kind == .infrastructure)
        #expect(TrialRunner.modelFailure(CocoaError(.fileReadNoPermission)).kind == .infrastructure)
        #expect(TrialRunner.modelFailure(DataError(.badNumber, file: "f", message: "x")).kind == .deterministic)
        #expect(TrialRunner.modelFailure(CancellationError()).kind == .deterministic, "unknown errors are final")
        #expect(TrialRunner.dataFailure(DataError(.badNumber, file: "f", message: "x")).kind == .infrastructure)
    }
}
