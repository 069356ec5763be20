import RecData
import RecEval
import Testing

@Suite("MetricReport")
struct MetricReportTests {
    var report: MetricReport {
        var report = MetricReport(title: "top-K on tiny")
        report.add("ndcg@10", 0.123456)
        report.add("mrr", .nan)
        report.count("users evaluated", 120)
        report.count("users skipped: no relevant test row", 3)
        report.notes = ["ties broken by the smaller item index"]
        return report
    }

    @Test("render aligns names left and values right")
    func render() {
        let expected = """
            top-K on tiny
            metric                                value
            -------------------------------------------
            ndcg@10                              0.1235
            mrr                                     n/a
            -------------------------------------------
            users evaluated                         120
            users skipped: no relevant test row       3
            note: ties broken by the smaller item index

            """
        #expect(report.render() == expected)
    }

    @Test("JSON round trip; NaN is written as null")
    func json() throws {
        let text = try report.jsonText()
        #expect(text.contains("\"value\" : null"))
        #expect(text.contains("\"name\" : \"ndcg@10\""))
        let decoded = try MetricReport(jsonText: text)
        #expect(decoded.title == report.title)
        #expect(decoded.counts == report.counts)
        #expect(decoded[metric: "ndcg@10"] == 0.123456)
        #expect(decoded[metric: "mrr"]!.isNaN)
        #expect(decoded.values.count == 2)
    }

    @Test("a top-K report lists every metric per K, then MRR, then coverage")
    func topKNames() throws {
        let split = Split(
            name: "s", train: Interactions(users: [0], items: [0], values: [1], timestamps: [0]),
            test: Interactions(users: [0], items: [1], values: [1], timestamps: [0]))
        let result = try TopKEvaluator(ks: [1, 3]).evaluate(split, userCount: 1, itemCount: 3) { _, scores in
            scores[0] = 0
            scores[1] = 1
            scores[2] = 2
        }
        #expect(
            result.report.metrics.map(\.name) == [
                "precision@1", "precision@3", "recall@1", "recall@3", "ndcg@1", "ndcg@3", "hit_rate@1", "hit_rate@3",
                "map@1", "map@3", "mrr", "coverage@1", "coverage@3",
            ])
        // Candidates 1 and 2: item 2 first, the relevant item 1 second.
        #expect(result.report[metric: "mrr"] == 0.5)
        #expect(close(result.report[metric: "ndcg@3"]!, 0.6309297535714575))
        #expect(result.report[metric: "coverage@1"] == 1.0 / 3)
    }
}
