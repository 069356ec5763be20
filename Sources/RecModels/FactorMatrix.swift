internal import RecData

/// A dense rows × factors matrix of `Float`, row-major, each row padded with zeros to
/// ``stride`` = factors rounded up to a multiple of 8, the layout ``VectorKernels`` expects.
///
/// Padding stays zero under every update the models make (each update of a padding lane is a
/// combination of padding lanes), so dot products over ``stride`` equal those over `factors`.
struct FactorMatrix: Sendable, Equatable {
    let rows: Int
    let factors: Int
    let stride: Int
    var values: [Float]

    /// All zeros.
    init(rows: Int, factors: Int) {
        self.rows = rows
        self.factors = factors
        stride = VectorKernels.paddedCount(factors)
        values = [Float](repeating: 0, count: rows * stride)
    }

    /// Entries drawn from N(0, standardDeviation²) in row order, two per Box–Muller pair.
    init(rows: Int, factors: Int, standardDeviation: Float, generator: inout SeededGenerator) {
        self.init(rows: rows, factors: factors)
        let stride = stride, count = rows * factors
        values.withUnsafeMutableBufferPointer { buffer in
            var entry = 0
            while entry < count {
                let (first, second) = generator.nextGaussianPair()
                buffer[entry / factors * stride + entry % factors] = Float(first) * standardDeviation
                if entry + 1 < count {
                    buffer[(entry + 1) / factors * stride + (entry + 1) % factors] = Float(second) * standardDeviation
                }
                entry += 2
            }
        }
    }

    /// Entries drawn from U[0, uniformBound) in row order, one ``SeededGenerator/nextUnit()`` each.
    init(rows: Int, factors: Int, uniformBound: Float, generator: inout SeededGenerator) {
        self.init(rows: rows, factors: factors)
        let stride = stride
        values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<rows {
                for factor in 0..<factors {
                    buffer[row * stride + factor] = Float(generator.nextUnit()) * uniformBound
                }
            }
        }
    }

    /// Sets `row` to zeros.
    mutating func clear(row: Int) {
        for k in (row * stride)..<((row + 1) * stride) { values[k] = 0 }
    }

    /// Σ of squared entries.
    var squaredNorm: Double {
        var total = 0.0
        for value in values { total += Double(value) * Double(value) }
        return total
    }
}
