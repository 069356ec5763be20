extension Embedding {
    /// Mean pooling over bags of ids (an EmbeddingBag), e.g. a movie's genres: bag b holds
    /// `ids[offsets[b]..<offsets[b + 1]]` and its row is (1 / n_b) Σ E[id] over its n_b ids other
    /// than −1. A bag with no such id (empty, or all −1) gives a row of zeros.
    /// - Parameter offsets: B + 1 non-decreasing offsets into `ids`, from 0 to `ids.count` (the CSR
    ///   layout of `MINDImpressionLog.candidateStarts`).
    /// - Complexity: O(ids.count × dimension).
    public func forwardBags(offsets: [Int], ids: [Int32]) -> Matrix {
        Self.checkOffsets(offsets, idCount: ids.count)
        let bags = offsets.count - 1
        let width = dimension
        var output = [Float](repeating: 0, count: bags * width)
        output.withUnsafeMutableBufferPointer { y in
            table.value.withUnsafeBufferPointer { e in
                for bag in 0..<bags {
                    let rows = offsets[bag]..<offsets[bag + 1]
                    let n = rows.reduce(0) { $0 + (ids[$1] == -1 ? 0 : 1) }
                    guard n > 0 else { continue }
                    let scale = 1 / Float(n)
                    let target = bag * width
                    for slot in rows {
                        guard let row = checkedRow(ids[slot]) else { continue }
                        let source = row * width
                        for j in 0..<width { y[target + j] += e[source + j] }
                    }
                    for j in 0..<width { y[target + j] *= scale }
                }
            }
        }
        return Matrix(rows: bags, columns: width, values: output)
    }

    /// Backward of ``forwardBags(offsets:ids:)``: ∂E[id] += (1 / n_b) · gradOutput row b for each
    /// id ≠ −1 in bag b; marks those rows touched.
    public mutating func backwardBags(offsets: [Int], ids: [Int32], gradOutput: Matrix) {
        Self.checkOffsets(offsets, idCount: ids.count)
        precondition(
            gradOutput.rows == offsets.count - 1 && gradOutput.columns == dimension,
            "Embedding.backwardBags expects a \(offsets.count - 1) × \(dimension) gradient, got \(gradOutput.rows) × \(gradOutput.columns)"
        )
        for bag in 0..<gradOutput.rows {
            let rows = offsets[bag]..<offsets[bag + 1]
            let n = rows.reduce(0) { $0 + (ids[$1] == -1 ? 0 : 1) }
            guard n > 0 else { continue }
            let scale = 1 / Float(n)
            for slot in rows {
                guard let row = checkedRow(ids[slot]) else { continue }
                addToRow(row, gradOutput.values, from: bag * dimension, scale: scale)
            }
        }
    }

    private static func checkOffsets(_ offsets: [Int], idCount: Int) {
        precondition(
            offsets.first == 0 && offsets.last == idCount && zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 },
            "bag offsets must run non-decreasing from 0 to ids.count (\(idCount)), one more than the bags")
    }
}
