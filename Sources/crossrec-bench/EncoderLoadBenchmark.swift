import Foundation

/// Issue 11's throughput goal in the issue's own condition: `crossrec-bench encoder --loads
/// 0,1,2,3` runs ``EncoderBenchmark`` once per number of busy background threads, one after
/// another, and applies the rule fixed before the first such runs (docs/semantic-text.md): the
/// condition that counts is the load whose sentence-transformers figures are closest to the ones
/// the issue quotes as "measured here under moderate load" (39 titles/s, 21 abstracts/s), by the
/// smallest |ln(titles/39)| + |ln(abstracts/21)|; the goal is met when both speedups are ≥ 2 there
/// and the peak resident memory is under 250 MB. The quiet run (load 0) is reported beside it.
struct EncoderLoadBenchmark {
    var base: EncoderBenchmark
    var loads: [Int]
    /// The issue's quoted sentence-transformers figures (texts/s): titles, abstracts.
    static let reference = (titles: 39.0, abstracts: 21.0)

    struct Run: Encodable {
        var backgroundLoad: Int
        /// |ln(peer titles/s ÷ 39)| + |ln(peer abstracts/s ÷ 21)|; nil without the peer.
        var distanceToIssueCondition: Double?
        var report: EncoderBenchmark.Report
    }

    struct Report: Encodable {
        var benchmark = "sentence-encoder-by-load"
        var rule =
            "the condition that counts is the background load whose sentence-transformers figures are closest to issue 11's "
            + "39 titles/s and 21 abstracts/s (smallest |ln(titles/39)| + |ln(abstracts/21)|); met if both speedups are >= 2 "
            + "there and peak RSS < 250 MB"
        var runs: [Run]
        var chosenBackgroundLoad: Int?
        var titlesSpeedup: Double?
        var abstractsSpeedup: Double?
        var quietTitlesSpeedup: Double?
        var quietAbstractsSpeedup: Double?
        var goalsMet: Bool?

        enum CodingKeys: String, CodingKey {
            case benchmark, rule, runs, chosenBackgroundLoad, titlesSpeedup, abstractsSpeedup, quietTitlesSpeedup
            case quietAbstractsSpeedup, goalsMet
        }

        /// Writes figures that were not measured as JSON null.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(benchmark, forKey: .benchmark)
            try c.encode(rule, forKey: .rule)
            try c.encode(runs, forKey: .runs)
            try c.encode(chosenBackgroundLoad, forKey: .chosenBackgroundLoad)
            try c.encode(titlesSpeedup, forKey: .titlesSpeedup)
            try c.encode(abstractsSpeedup, forKey: .abstractsSpeedup)
            try c.encode(quietTitlesSpeedup, forKey: .quietTitlesSpeedup)
            try c.encode(quietAbstractsSpeedup, forKey: .quietAbstractsSpeedup)
            try c.encode(goalsMet, forKey: .goalsMet)
        }
    }

    /// |ln(titles/39)| + |ln(abstracts/21)| for a peer's texts/s.
    static func distance(titles: Double, abstracts: Double) -> Double {
        abs(log(titles / reference.titles)) + abs(log(abstracts / reference.abstracts))
    }

    func run(progress: (String) -> Void) throws -> Report {
        var runs: [Run] = []
        for load in loads {
            progress("encoder: \(load) busy background thread(s)…")
            var benchmark = base
            benchmark.backgroundLoad = load
            let report = try benchmark.run()
            let distance = report.peer.map { Self.distance(titles: $0.titlesPerSecond, abstracts: $0.abstractsPerSecond) }
            runs.append(Run(backgroundLoad: load, distanceToIssueCondition: distance, report: report))
        }
        var result = Report(runs: runs)
        if let quiet = runs.first(where: { $0.backgroundLoad == 0 }) {
            result.quietTitlesSpeedup = quiet.report.titlesSpeedup
            result.quietAbstractsSpeedup = quiet.report.abstractsSpeedup
        }
        let measured = runs.filter { $0.distanceToIssueCondition != nil }
        if let chosen = measured.min(by: { $0.distanceToIssueCondition! < $1.distanceToIssueCondition! }) {
            result.chosenBackgroundLoad = chosen.backgroundLoad
            result.titlesSpeedup = chosen.report.titlesSpeedup
            result.abstractsSpeedup = chosen.report.abstractsSpeedup
            result.goalsMet = chosen.report.goalsMet
        }
        return result
    }
}
