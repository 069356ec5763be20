import ArgumentParser
import Foundation
import RecData
import RecEncoder
import Sweep
import SweepRuntime

/// What `sweep run` and `coordinator` check before anything runs: problems that would make the
/// sweep fail for certain, each phrased as `error:` text naming the file or flag and the fix.
struct SweepPreflight {
    var spec: SweepSpec
    /// The sweep file as the user named it.
    var file: String

    /// `--assert` texts with what they parsed to.
    func assertionProblems(_ assertions: [(text: String, assertion: CIAssertion)]) -> [String] {
        assertions.compactMap { text, assertion in
            spec.assertionProblem(assertion, catalog: TrialRunner.catalog, file: file).map { "--assert '\(text)': \($0)" }
        }
    }

    /// A missing or unreadable data path, as `sweep.yaml:6: 'dataset.path': …` (or
    /// `'dataset.domains'` for interaction files named per domain).
    func dataProblems() -> [String] {
        do {
            try spec.dataset.checkDataIsReadable()
            return []
        } catch {
            var key = "dataset.path"
            if case .described = spec.dataset.source { key = "dataset.domains" }
            let line = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { SweepSpec.line(of: key, inYAML: $0) }
            return ["\(file)\(line.map { ":\($0)" } ?? ""): '\(key)': \(error)"]
        }
    }

    /// `sim_ctr@10` is measured only on generated data (its planted truth is the click model): a
    /// sweep that asks for it on other data is refused before anything runs.
    func simulationProblems() -> [String] {
        guard ([spec.metric.primary] + spec.metric.record).contains(SimulatedCTR.metric) else { return [] }
        switch spec.dataset.source {
        case .synthetic:
            return []
        case .path(let path, _):
            let folder = (try? DataFolder().resolve(path)) ?? path
            if FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("truth.json")) { return [] }
        case .described:
            break
        }
        let line = (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { SweepSpec.line(of: "metric", inYAML: $0) }
        return [
            "\(file)\(line.map { ":\($0)" } ?? ""): '\(SimulatedCTR.metric)' is the planted users' click rate: it needs generated data (dataset: {synthetic: …}, or a folder from crossrec data generate with its truth.json)"
        ]
    }

    /// Trials whose content features include `minilm` need the sentence model on every worker;
    /// local workers read `modelPath`, so a missing or partial folder is named before anything runs.
    func encoderProblems(modelPath: String) -> [String] {
        let wanting = spec.expand().trials.filter { trial in
            trial.config.parameters.contains { name, value in
                (name == "features" || name.hasSuffix(".features") || name.hasSuffix("_features"))
                    && (value.stringValue?.split(separator: "+").contains("minilm") ?? false)
            }
        }
        guard !wanting.isEmpty else { return [] }
        do {
            _ = try SentenceModelFolder(validating: modelPath)
            return []
        } catch {
            return ["\(file): \(wanting.count) trials use features 'minilm': \(error)"]
        }
    }

    /// Prints each problem as `error: …` and exits 1 when there is one.
    static func stopIfAny(_ problems: [String]) throws {
        guard !problems.isEmpty else { return }
        for problem in problems { FileHandle.standardError.write(Data("error: \(problem)\n".utf8)) }
        throw ExitCode(1)
    }

    /// A warning when `count` local workers are far more than the cores: each is a process with
    /// its own trial, and when they starve each other the coordinator stops hearing heartbeats and
    /// counts workers lost (their trials retried as infrastructure failures).
    static func workerCountWarning(_ count: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> String? {
        let limit = 4 * max(1, cores)
        guard count > limit else { return nil }
        return "warning: \(count) workers on \(cores) core\(cores == 1 ? "" : "s"): busy workers may miss their heartbeats "
            + "and be counted lost; use --workers \(limit) or fewer (the default is one per core, \(cores))"
    }
}

/// Parses `--assert` texts (a syntax error is a usage error).
func parseAssertions(_ texts: [String]) throws -> [(text: String, assertion: CIAssertion)] {
    try texts.map { text in
        do {
            return (text, try CIAssertion(parsing: text))
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
