import Foundation
internal import RecNN

/// The like head (`like_weight` > 0): P(rating ≥ 4 | rated) = σ(ℓ) with ℓ = uᵀ M v + w · u + c for
/// the unit user and item vectors u, v of the towers (M: d × d, w: d, c: learned; M and w start at
/// zero, so the head starts at a constant and the towers' first steps are the plain model's).
///
/// Why: the retrieval score u · v and the rating head μ + b_i + a (u · v) are both monotone in the
/// same dot product, so a cold item's place in the ranking cannot express "rated often, rarely
/// liked" (a movie shown for one liked genre but rated by the mean over all its genres). The head
/// is trained with binary cross-entropy on every rated row of the evaluated (explicit) domain and
/// enters that domain's ranking score as u · v + τ log σ(ℓ), i.e. the retrieval logit (u · v / τ)
/// plus the log-probability of a like, in the softmax's units.
struct LikeHead: Trainable, Sendable {
    /// M, row-major d × d: ℓ's bilinear part Σ_jk u_j M_jk v_k.
    var matrix: Parameter
    /// w: ℓ's user part w · u (a user's own threshold: how often they like what they rate).
    var user: Parameter
    /// c.
    var bias: Parameter
    let dimension: Int

    init(dimension: Int) {
        self.dimension = dimension
        matrix = Parameter(
            name: "like.matrix", value: [Float](repeating: 0, count: dimension * dimension), shape: [dimension, dimension],
            decays: true)
        user = Parameter(name: "like.user", value: [Float](repeating: 0, count: dimension), shape: [dimension], decays: false)
        bias = Parameter(name: "like.bias", value: [0], shape: [1], decays: false)
    }

    mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        body(&matrix)
        body(&user)
        body(&bias)
    }

    /// What ℓ needs of user vector `u` (d values): q = Mᵀ u and w · u + c, so that ℓ(v) = q · v + offset.
    func query(_ u: ArraySlice<Float>) -> (q: [Float], offset: Float) {
        let d = dimension
        var q = [Float](repeating: 0, count: d)
        var offset = bias.value[0]
        for (j, uj) in u.enumerated() {
            offset += user.value[j] * uj
            for k in 0..<d { q[k] += uj * matrix.value[j * d + k] }
        }
        return (q, offset)
    }

    /// ℓ for the query of a user and the item vector starting at `values[start]`.
    static func logit(_ query: (q: [Float], offset: Float), _ values: [Float], start: Int) -> Float {
        var result = query.offset
        for k in query.q.indices { result += query.q[k] * values[start + k] }
        return result
    }

    /// log σ(x) = −log(1 + e^(−x)), stable for large |x|.
    static func logSigmoid(_ x: Float) -> Float { min(x, 0) - log1pf(expf(-abs(x))) }

    /// The ranking score's like term τ log σ(ℓ).
    static func scoreTerm(_ logit: Float, temperature: Float) -> Float { temperature * logSigmoid(logit) }

    /// The weighted binary cross-entropy of rows b of `users` and `items` (B × d) against `liked`,
    /// mean over the rows times `weight`; accumulates ∂/∂M, ∂/∂w, ∂/∂c here and adds ∂/∂u, ∂/∂v to
    /// rows b of `userGradient`, `itemGradient`.
    /// - Returns: the loss.
    @discardableResult
    mutating func loss(
        rows: [Int], users: Matrix, items: Matrix, liked: [Bool], weight: Float, userGradient: inout Matrix,
        itemGradient: inout Matrix
    ) -> Float {
        guard !rows.isEmpty else { return 0 }
        let d = dimension
        let scale = weight / Float(rows.count)
        var total: Float = 0
        for (k, b) in rows.enumerated() {
            let u = users.values[(b * d)..<((b + 1) * d)]
            let query = query(u)
            let l = Self.logit(query, items.values, start: b * d)
            // BCE = softplus(ℓ) − y ℓ; ∂/∂ℓ = σ(ℓ) − y.
            let y: Float = liked[k] ? 1 : 0
            total += -Self.logSigmoid(l) + (1 - y) * l
            let g = scale * (1 / (1 + expf(-l)) - y)
            bias.gradient[0] += g
            for j in 0..<d {
                let uj = users.values[b * d + j]
                user.gradient[j] += g * uj
                var mv: Float = 0
                for c in 0..<d {
                    let vc = items.values[b * d + c]
                    matrix.gradient[j * d + c] += g * uj * vc
                    mv += matrix.value[j * d + c] * vc
                }
                userGradient.values[b * d + j] += g * (mv + user.value[j])
                itemGradient.values[b * d + j] += g * query.q[j]
            }
        }
        return scale * total
    }
}
