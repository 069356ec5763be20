import SeededRandom
import Testing

/// The one seeded generator: its stream is pinned to the published reference, and each number
/// conversion is an exact function of the next 64 bits (the conversions differ on purpose; see
/// ``SplitMix64``).
@Suite("SplitMix64")
struct SplitMix64Tests {
    /// SplitMix64's published first outputs for seed 0.
    @Test func referenceValues() {
        var generator = SplitMix64(seed: 0)
        #expect(
            [generator.next(), generator.next(), generator.next()] == [
                0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            ])
    }

    @Test(arguments: [0, 7, 0xDEAD_BEEF, UInt64.max] as [UInt64])
    func conversionsReadTheNextWord(seed: UInt64) {
        var generator = SplitMix64(seed: seed), twin = SplitMix64(seed: seed)
        for _ in 0..<1_000 {
            let unit = generator.nextUnit(), bits = twin.next()
            #expect(unit == Double(bits >> 11) / 9_007_199_254_740_992 && unit >= 0 && unit < 1)
            let open = generator.nextOpenUnit(), openBits = twin.next()
            #expect(open == (Double(openBits >> 11) + 0.5) / 9_007_199_254_740_992 && open > 0 && open < 1)
            let float = generator.nextFloat(), floatBits = twin.next()
            #expect(float == Float(floatBits >> 40) / 16_777_216 && float >= 0 && float < 1)
        }
    }

    @Test func boundedDrawsStayInRangeAndBothOverloadsAgree() {
        var ints = SplitMix64(seed: 3), words = SplitMix64(seed: 3)
        var seen = Set<Int>()
        for bound in [1, 2, 3, 10, 1_000, Int.max] {
            for _ in 0..<500 {
                let value = ints.next(below: bound)
                #expect(value >= 0 && value < bound)
                #expect(UInt64(value) == words.next(below: UInt64(bound)))
                if bound == 10 { seen.insert(value) }
            }
        }
        #expect(seen == Set(0..<10), "500 draws below 10 missed \(Set(0..<10).subtracting(seen))")
    }

    @Test func shuffleIsASeededPermutation() {
        var first = SplitMix64(seed: 11), second = SplitMix64(seed: 11), other = SplitMix64(seed: 12)
        var a = Array(0..<50), b = a, c = a
        first.shuffle(&a)
        second.shuffle(&b)
        other.shuffle(&c)
        #expect(a == b && a.sorted() == Array(0..<50) && a != Array(0..<50) && a != c)
    }
}
