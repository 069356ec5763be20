import Foundation
import Testing

@testable import RecEncoder

@Suite("BERT kernels")
struct BertKernelsTests {
    /// The branch-free erf stays within 3.7e-7 of the C library's double-precision erf.
    @Test func erfWithinItsStatedError() {
        var worst = 0.0
        for step in -80_000...80_000 {
            let z = Float(step) / 10_000  // −8 … 8
            worst = max(worst, abs(Double(BertKernels.erf(z)) - erf(Double(z))))
        }
        #expect(worst <= 3.7e-7, "erf off by \(worst)")
    }

    /// The branch-free exponential stays within 2 ulp of eˣ on [−87, 0] and gives ≈ 0 below.
    @Test func expWithinTwoUnitsInTheLastPlace() {
        var worstUlps: Float = 0
        for step in 0...870_000 {
            let x = -Float(step) / 10_000
            let exact = exp(Double(x))
            let ours = BertKernels.expNonPositive(x)
            worstUlps = max(worstUlps, Float(abs(Double(ours) - exact)) / Float(exact).ulp)
        }
        #expect(worstUlps <= 2, "exp off by \(worstUlps) ulp")
        #expect(BertKernels.expNonPositive(-1_000) < 1e-37 && BertKernels.expNonPositive(0) == 1)
    }

    @Test(arguments: [1, 5, 16, 37])
    func softmaxRowsSumToOne(width: Int) {
        var scores = (0..<(3 * width)).map { Float(($0 * 7919) % 23) / 3 - 4 }
        let original = scores
        scores.withUnsafeMutableBufferPointer { BertKernels.softmaxRows($0.baseAddress!, rows: 3, width: width) }
        for row in 0..<3 {
            let slice = Array(scores[row * width..<(row + 1) * width])
            #expect(abs(slice.reduce(0, +) - 1) < 1e-6)
            let logits = original[row * width..<(row + 1) * width].map(Double.init)
            let top = logits.max()!
            let total = logits.reduce(0) { $0 + exp($1 - top) }
            for (p, logit) in zip(slice, logits) { #expect(abs(Double(p) - exp(logit - top) / total) < 1e-6) }
        }
    }

    @Test func layerNormGivesZeroMeanUnitVariance() {
        let width = 37
        var values = (0..<(2 * width)).map { Float(($0 * 31) % 17) * 0.5 + 3 }
        let ones = [Float](repeating: 1, count: width)
        let zeros = [Float](repeating: 0, count: width)
        values.withUnsafeMutableBufferPointer { buffer in
            BertKernels.layerNorm(buffer.baseAddress!, rows: 2, width: width, scale: ones, bias: zeros, epsilon: 1e-12)
        }
        for row in 0..<2 {
            let slice = values[row * width..<(row + 1) * width].map(Double.init)
            let mean = slice.reduce(0, +) / Double(width)
            let variance = slice.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
            #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-5)
        }
    }
}
