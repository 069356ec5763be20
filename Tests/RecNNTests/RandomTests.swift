import Foundation
import Testing

@testable import RecNN

@Suite("NNRandom")
struct RandomTests {
    /// SplitMix64's published first outputs for seed 0.
    @Test func splitMix64ReferenceValues() {
        var rng = NNRandom(seed: 0)
        #expect(
            [rng.next(), rng.next(), rng.next()] == [
                0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            ])
    }

    @Test func naturalLogMatchesLibm() {
        var rng = NNRandom(seed: 1)
        var worst = 0.0
        for _ in 0..<10_000 {
            let x = rng.nextDouble() + 0x1p-60
            let mine = NNRandom.naturalLog(x)
            let libm = log(x)
            worst = max(worst, abs(mine - libm) / abs(libm).ulp)
        }
        for x in [1.0, 2.0, 0.5, 1e-30, 1.4142135623730951, 0.7071067811865476, 1e30] {
            worst = max(worst, abs(NNRandom.naturalLog(x) - log(x)) / max(abs(log(x)).ulp, Double.leastNormalMagnitude))
        }
        #expect(worst <= 8, "worst gap \(worst) ulp")
    }

    @Test func normalHasTheRequestedMoments() {
        var rng = NNRandom(seed: 2)
        let samples = (0..<100_000).map { _ in Double(rng.normal(mean: 3, std: 2)) }
        let mean = samples.reduce(0, +) / 100_000
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 100_000
        #expect(abs(mean - 3) < 0.02, "mean \(mean)")
        #expect(abs(variance.squareRoot() - 2) < 0.02, "std \(variance.squareRoot())")
        let within = samples.filter { abs($0 - 3) < 2 }.count
        #expect(abs(Double(within) / 100_000 - 0.6827) < 0.005, "share within one std")
    }

    /// The first normals of seed 7, bit for bit: they must never change (saved models and recorded
    /// results depend on them). Recorded from this implementation, and reproduced bit for bit by a
    /// Python transcription of SplitMix64 and the polar method over libm's `log`:
    /// −0.041741523, 0.876481469, −0.305991168, −0.375629828.
    @Test func normalSequenceIsPinned() {
        var rng = NNRandom(seed: 7)
        let values = (0..<4).map { _ in rng.normal().bitPattern }
        #expect(values == Self.pinnedNormals, "\(values.map { String($0, radix: 16) })")
    }

    static let pinnedNormals: [UInt32] = [3_173_710_121, 1_063_280_919, 3_197_938_400, 3_200_275_086]

    @Test func uniformIntegersAndShuffle() {
        var rng = NNRandom(seed: 3)
        for _ in 0..<1_000 {
            let u = rng.uniform(in: -2...5)
            #expect(u >= -2 && u <= 5)
            let f = rng.nextFloat()
            #expect(f >= 0 && f < 1)
            #expect((0..<7).contains(rng.nextInt(below: 7)))
        }
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<40_000 { counts[rng.nextInt(below: 4)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 }, "\(counts)")
        var a = Array(0..<50)
        var b = a
        var first = NNRandom(seed: 9)
        var second = NNRandom(seed: 9)
        first.shuffle(&a)
        second.shuffle(&b)
        #expect(a == b && a != Array(0..<50) && a.sorted() == Array(0..<50))
    }
}
