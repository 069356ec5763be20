import Foundation
import ParameterSpecs
import RecData
import RecModels
import Sweep

/// Fit time of the unified model on two linked generic interaction files (same user ids, e.g.
/// the Amazon phone/sport pair) for several thread counts, and whether every thread count gives
/// the single thread's scores bit for bit. The first file is the evaluated domain, the second the
/// other domain; users are matched by their id text. Every row is a training row (no split):
/// this measures the fit, not ranking quality.
struct UnifiedThreadsBenchmark {
    var target: String
    var other: String
    var threads: [Int]
    var factors: Int
    var iterations: Int
    /// A number, or `auto` (chosen on a holdout of the first file's rows).
    var otherWeight: String

    struct Run: Codable {
        var threads: Int
        var fitSeconds: Double
        var identicalToFirst: Bool
    }

    struct Report: Codable {
        var benchmark = "unified-threads"
        var buildConfiguration: String
        var activeProcessors: Int
        var target: String
        var other: String
        var users: Int
        var targetItems: Int
        var targetRows: Int
        var otherItems: Int
        var otherRows: Int
        var factors: Int
        var iterations: Int
        var otherWeight: String
        /// The first fit's ``UnifiedModel/fitSummary`` (with `auto`: the chosen weight).
        var fitSummary: [String: Double]
        var runs: [Run]
        /// Fit seconds of the first thread count divided by each one's.
        var speedups: [String: Double]
    }

    func run() throws -> Report {
        let first = try GenericInteractionsLoader().load(file: target)
        let second = try GenericInteractionsLoader().load(file: other)
        guard let targetDomain = first.domains.first, let otherDomain = second.domains.first else {
            throw BenchmarkError("\(target) or \(other) holds no interactions")
        }
        var users = first.users
        var otherRows = otherDomain.interactions
        for k in 0..<otherRows.count { otherRows.users[k] = users.intern(second.users[otherRows.users[k]]) }
        var data = TrainingData(
            interactions: targetDomain.interactions, userCount: users.count, itemCount: targetDomain.items.count,
            isExplicit: targetDomain.isExplicit)
        data.otherDomains = [
            .init(
                name: "other", interactions: otherRows, itemCount: otherDomain.items.count,
                isExplicit: otherDomain.isExplicit)
        ]
        var runs: [Run] = []
        var reference: [Float]?
        var summary: [String: Double] = [:]
        let weight: ParameterValue = otherWeight == "auto" ? .string("auto") : .double(Double(otherWeight) ?? 1)
        for count in threads {
            var model = try ModelRegistry.make(
                UnifiedModel.name,
                parameters: [
                    "factors": .int(factors), "iterations": .int(iterations), "other_weight": weight,
                    "threads": .int(count),
                ], seed: 1)
            let start = ContinuousClock.now
            try model.fit(data)
            let seconds = BenchmarkSupport.seconds(since: start)
            var scores = [Float](repeating: 0, count: data.itemCount * 200)
            for user in 0..<min(200, data.userCount) {
                scores.withUnsafeMutableBufferPointer {
                    model.scoreAll(
                        user: Int32(user),
                        into: UnsafeMutableBufferPointer(
                            rebasing: $0[(user * data.itemCount)..<((user + 1) * data.itemCount)]))
                }
            }
            if reference == nil {
                reference = scores
                summary = model.fitSummary
            }
            runs.append(Run(threads: count, fitSeconds: seconds, identicalToFirst: scores == reference))
            FileHandle.standardError.write(
                Data("unified-threads: \(count) thread(s) \(String(format: "%.2f", seconds)) s\n".utf8))
        }
        var speedups: [String: Double] = [:]
        for run in runs { speedups[String(run.threads)] = runs[0].fitSeconds / run.fitSeconds }
        return Report(
            buildConfiguration: BenchmarkSupport.buildConfiguration,
            activeProcessors: ProcessInfo.processInfo.activeProcessorCount, target: target, other: other,
            users: users.count, targetItems: data.itemCount, targetRows: data.interactions.count,
            otherItems: otherDomain.items.count, otherRows: otherRows.count, factors: factors, iterations: iterations,
            otherWeight: otherWeight, fitSummary: summary, runs: runs, speedups: speedups)
    }
}
