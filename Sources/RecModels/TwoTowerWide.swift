internal import RecNN

/// The wide part of the towers (`wide` > 0): a fixed content channel beside the learned vectors,
/// as in wide-and-deep models (Cheng et al. 2016), so that the towers add to the content match
/// instead of having to relearn it from warm items alone.
///
/// - Item side: t_i, the item's fixed unit text vector (the same one the text branch projects).
/// - User side: ũ_u = Σ_d normalize(Σ_{r ∈ rows of u in domain d} c_r t_r), one unit profile per
///   domain the user has rows in, with signed weights c_r = r − r̄_{u,d} on explicit domains (a
///   rating below the user's mean pushes the profile away, as the content model's centred profile)
///   and 1 on implicit ones; the row being predicted is left out, as it is from the pooled history.
/// - The towers' outputs become u' = [u, a ũ_u] and v' = [v, a t_i], so the score is
///   u' · v' = u · v + a² ũ_u · t_i with a learned (``TwoTowerNetwork/wideScale``, started at √wide).
///   The losses see the concatenated vectors; ∂a = Σ_b ∂u'_b[wide] · ũ_b + Σ_k ∂v'_k[wide] · t_k.
///
/// Item vectors are kept sparse (TF-IDF rows have a few dozen words); profiles are dense,
/// `width` wide.
struct WideChannel: Sendable {
    let width: Int
    /// t_i as CSR over global items.
    let offsets: [Int]
    let indices: [Int32]
    let values: [Float]

    init(layout: TwoTowerData) {
        width = layout.textDimension
        var offsets = [0]
        var indices: [Int32] = []
        var values: [Float] = []
        offsets.reserveCapacity(layout.totalItems + 1)
        for item in 0..<layout.totalItems {
            let base = item * width
            for j in 0..<width where layout.text[base + j] != 0 {
                indices.append(Int32(j))
                values.append(layout.text[base + j])
            }
            offsets.append(indices.count)
        }
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    /// The signed rows of `user` that make their profile: every row but `excluding`, the latest
    /// `maxHistory`, weight r − r̄ (the mean of the user's other rows in that domain) on explicit
    /// domains and 1 on implicit ones.
    static func rows(
        of user: Int, layout: TwoTowerData, excluding: Int?, maxHistory: Int
    ) -> [(item: Int32, weight: Float)] {
        var slots = Array(layout.rows(of: user))
        slots.removeAll { $0 == excluding }
        if slots.count > maxHistory {
            slots.sort { (layout.userTimes[$0], $0) > (layout.userTimes[$1], $1) }
            slots.removeLast(slots.count - maxHistory)
        }
        var sums = [Float](repeating: 0, count: layout.domains.count)
        var counts = [Float](repeating: 0, count: layout.domains.count)
        for slot in slots {
            let d = Int(layout.domainOf[Int(layout.userItems[slot])])
            sums[d] += layout.userValues[slot]
            counts[d] += 1
        }
        return slots.map { slot in
            let item = layout.userItems[slot]
            let d = Int(layout.domainOf[Int(item)])
            guard layout.domains[d].isExplicit else { return (item, 1) }
            return (item, layout.userValues[slot] - sums[d] / counts[d])
        }
    }

    /// ũ for `rows` (global items with their weights): the sum of one unit profile per domain.
    func profile(_ rows: [(item: Int32, weight: Float)], layout: TwoTowerData) -> [Float] {
        var result = [Float](repeating: 0, count: width)
        var part = [Float](repeating: 0, count: width)
        for d in layout.domains.indices {
            var any = false
            for (item, weight) in rows where Int(layout.domainOf[Int(item)]) == d && weight != 0 {
                any = true
                let i = Int(item)
                for k in offsets[i]..<offsets[i + 1] { part[Int(indices[k])] += weight * values[k] }
            }
            guard any else { continue }
            var norm: Float = 0
            for j in 0..<width { norm += part[j] * part[j] }
            norm = norm.squareRoot()
            for j in 0..<width {
                if norm > 0 { result[j] += part[j] / norm }
                part[j] = 0
            }
        }
        return result
    }

    /// ũ · t_i.
    func dot(_ profile: [Float], item: Int) -> Float {
        var total: Float = 0
        for k in offsets[item]..<offsets[item + 1] { total += profile[Int(indices[k])] * values[k] }
        return total
    }

    /// The dense rows t_i of `items` (n × width).
    func itemRows(_ items: [Int32]) -> Matrix {
        var result = Matrix(zeros: items.count, columns: width)
        for (row, item) in items.enumerated() {
            let i = Int(item)
            for k in offsets[i]..<offsets[i + 1] { result.values[row * width + Int(indices[k])] = values[k] }
        }
        return result
    }

    /// [deep, a · wide], row by row.
    static func concatenate(_ deep: Matrix, _ wide: Matrix, scale a: Float) -> Matrix {
        precondition(deep.rows == wide.rows, "concatenating \(deep.rows) rows with \(wide.rows)")
        let width = deep.columns + wide.columns
        var values = [Float](repeating: 0, count: deep.rows * width)
        for r in 0..<deep.rows {
            for j in 0..<deep.columns { values[r * width + j] = deep.values[r * deep.columns + j] }
            for j in 0..<wide.columns { values[r * width + deep.columns + j] = a * wide.values[r * wide.columns + j] }
        }
        return Matrix(rows: deep.rows, columns: width, values: values)
    }

    /// Splits the gradient of a concatenated matrix: the deep columns, and ∂a = Σ ∂wide · wide.
    static func split(_ gradient: Matrix, deepColumns: Int, wide: Matrix) -> (deep: Matrix, scale: Float) {
        let width = gradient.columns
        var deep = Matrix(zeros: gradient.rows, columns: deepColumns)
        var scale: Float = 0
        for r in 0..<gradient.rows {
            for j in 0..<deepColumns { deep.values[r * deepColumns + j] = gradient.values[r * width + j] }
            for j in 0..<wide.columns { scale += gradient.values[r * width + deepColumns + j] * wide.values[r * wide.columns + j] }
        }
        return (deep, scale)
    }
}
