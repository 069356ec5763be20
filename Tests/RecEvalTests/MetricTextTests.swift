import RecEval
import Testing

@Suite("How metric values are written for people")
struct MetricTextTests {
    @Test("counts are written as integers, with or without a stage prefix")
    func countsAsIntegers() {
        #expect(MetricText.value(456, of: "users_evaluated") == "456")
        #expect(MetricText.value(2, of: "member") == "2")
        #expect(MetricText.value(3, of: "ensemble_members") == "3")
        #expect(MetricText.value(64, of: "validation.content.vocabulary") == "64")
        #expect(MetricText.value(16, of: "user_dimension") == "16")
    }

    @Test("other figures get four decimals, and a count that is not whole keeps its fraction")
    func figuresWithDecimals() {
        #expect(MetricText.value(0.04571, of: "ndcg@10") == "0.0457")
        #expect(MetricText.value(2, of: "loss") == "2.0000")
        #expect(MetricText.value(2.5, of: "ensemble_members") == "2.5000")
    }

    @Test("non-finite values are written as words")
    func nonFinite() {
        #expect(MetricText.value(.nan, of: "ndcg@10") == "nan")
        #expect(MetricText.value(.infinity, of: "loss") == "inf")
        #expect(MetricText.value(-.infinity, of: "loss") == "-inf")
    }
}
