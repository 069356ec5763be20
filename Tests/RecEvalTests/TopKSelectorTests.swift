import RecData
import RecEval
import Testing

@Suite("TopKSelector")
struct TopKSelectorTests {
    @Test("ties go to the smaller item index")
    func tiesBySmallerIndex() {
        var selector = TopKSelector()
        let scores: [Float] = [0.5, 0.9, 0.5, 0.1, 0.9, 0.3]
        #expect(selector.select(3, scores: scores) == [1, 4, 0])
        #expect(selector.select(4, scores: scores) == [1, 4, 0, 2])
        #expect(Array(selector.selectedScores) == [0.9, 0.9, 0.5, 0.5])
    }

    @Test("excluded items never appear")
    func exclusionMask() {
        var selector = TopKSelector(capacity: 2)
        let scores: [Float] = [0.5, 0.9, 0.5, 0.1, 0.9, 0.3]
        let excluded = [false, false, false, false, true, false]
        #expect(selector.select(4, scores: scores, excluded: excluded) == [1, 0, 2, 5])
        #expect(selector.select(10, scores: scores, excluded: [Bool](repeating: true, count: 6)) == [])
    }

    @Test("K larger than the eligible items returns them all, ordered")
    func kLargerThanList() {
        var selector = TopKSelector(capacity: 1)
        #expect(selector.select(10, scores: [0.2, 0.7, 0.7]) == [1, 2, 0])
        #expect(selector.count == 3)
        #expect(selector.select(0, scores: [0.2, 0.7]) == [])
    }

    @Test("NaN counts as −∞ and is counted")
    func nanIsMinusInfinity() {
        var selector = TopKSelector()
        #expect(selector.select(4, scores: [.nan, -.infinity, 0, .nan]) == [2, 0, 1, 3])
        #expect(selector.nanCount == 2)
        #expect(selector.select(1, scores: [.nan, -1]) == [1])
    }

    @Test("rank(of:) is 1 + the eligible items ranking before the item")
    func rankOfItem() {
        let scores: [Float] = [0.5, 0.9, 0.5, 0.1, 0.9, 0.3]
        let excluded = [false, true, false, false, false, false]
        scores.withUnsafeBufferPointer { scoreBuffer in
            excluded.withUnsafeBufferPointer { mask in
                #expect(TopKSelector.rank(of: 4, scores: scoreBuffer, excluded: mask) == 1)
                #expect(TopKSelector.rank(of: 2, scores: scoreBuffer, excluded: mask) == 3)
                #expect(TopKSelector.rank(of: 3, scores: scoreBuffer, excluded: mask) == 5)
                #expect(TopKSelector.rank(of: 2, scores: scoreBuffer, excluded: nil) == 4)
            }
        }
    }

    @Test("the heap agrees with a full sort on random tie-heavy scores", arguments: [1, 3, 10, 50, 200])
    func agreesWithFullSort(k: Int) {
        var generator = SeededGenerator(seed: UInt64(k))
        var selector = TopKSelector()
        for _ in 0..<20 {
            let n = 1 + generator.next(below: 150)
            let scores = (0..<n).map { _ in Float(generator.next(below: 8)) / 4 }
            let excluded = (0..<n).map { _ in generator.next(below: 5) == 0 }
            let expected = (0..<n).filter { !excluded[$0] }
                .sorted { (scores[$0], -$0) > (scores[$1], -$1) }
                .prefix(k).map { Int32($0) }
            #expect(selector.select(k, scores: scores, excluded: excluded) == Array(expected))
        }
    }
}
