import Foundation
internal import RecNN

/// The user tower's `domains` pooling: one profile per domain, each shrunk toward a learned prior by
/// a learned pseudo-count, mapped by its own matrix and summed.
///
///   p_d = (Σ_{r ∈ d} w_r v_r + α_d m_d) / (Σ_{r ∈ d} w_r + α_d),   α_d = softplus(θ_d)
///   x   = Σ_d M_d p_d
///
/// Why: mean pooling over all rows lets the domain with more rows drown the other and gives a
/// user with three rows the same confidence as one with sixty. Here a few rows stay close to the
/// population's prior m_d (the neural counterpart of a Dirichlet posterior mean), a user without
/// rows in a domain gets that domain's prior, and M_d lets the other domain's profile be
/// translated before it is added (news topics to movie genres). M_d starts as the identity,
/// m_d at zero and α_d at 1.
struct DomainPooling: Sendable {
    /// m: domains × dimension.
    var priors: Parameter
    /// θ: one per domain; α = softplus(θ).
    var pseudoCounts: Parameter
    /// M: domains × dimension × dimension (row-major, M_d[i][j] maps p_d[j] into x[i]).
    var maps: Parameter
    let domains: Int
    let dimension: Int

    init(domains: Int, dimension: Int) {
        self.domains = domains
        self.dimension = dimension
        priors = Parameter(
            name: "pooling.priors", value: [Float](repeating: 0, count: domains * dimension), shape: [domains, dimension],
            decays: false)
        // softplus(θ) = 1 at θ = log(e − 1).
        pseudoCounts = Parameter(
            name: "pooling.pseudo_counts", value: [Float](repeating: Float(log(M_E - 1)), count: domains), shape: [domains],
            decays: false)
        var identity = [Float](repeating: 0, count: domains * dimension * dimension)
        for d in 0..<domains { for i in 0..<dimension { identity[(d * dimension + i) * dimension + i] = 1 } }
        maps = Parameter(
            name: "pooling.maps", value: identity, shape: [domains, dimension, dimension], decays: false)
    }

    mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        body(&priors)
        body(&pseudoCounts)
        body(&maps)
    }

    /// α_d.
    func alpha(_ d: Int) -> Float {
        let theta = pseudoCounts.value[d]
        return theta > 20 ? theta : log1pf(expf(theta))
    }

    /// What the backward pass needs of one history: its per-domain profiles p_d (domains ×
    /// dimension) and denominators Σ w + α_d.
    struct Kept: Sendable {
        var profiles: [Float]
        var denominators: [Float]
    }

    /// Pools `histories` (their rows' domains in `History.domains`) over `items`; the coefficients
    /// are a_r = w_r / (Σ_{s ∈ d(r)} w_s + α_{d(r)}), the share of v_r in its domain's profile.
    func pool(_ histories: [TwoTowerNetwork.History], items: Matrix) -> (
        pooled: Matrix, coefficients: [[Float]], kept: [Kept]
    ) {
        let d = dimension
        var pooled = [Float](repeating: 0, count: histories.count * d)
        var coefficients: [[Float]] = []
        var kept: [Kept] = []
        coefficients.reserveCapacity(histories.count)
        kept.reserveCapacity(histories.count)
        for (b, history) in histories.enumerated() {
            var totals = [Float](repeating: 0, count: domains)
            for (r, weight) in history.weights.enumerated() { totals[Int(history.domains[r])] += weight }
            var denominators = [Float](repeating: 0, count: domains)
            var profiles = [Float](repeating: 0, count: domains * d)
            for k in 0..<domains {
                let alpha = alpha(k)
                denominators[k] = totals[k] + alpha
                for j in 0..<d { profiles[k * d + j] = alpha * priors.value[k * d + j] }
            }
            var a = [Float](repeating: 0, count: history.positions.count)
            for (r, position) in history.positions.enumerated() {
                let k = Int(history.domains[r])
                a[r] = history.weights[r] / denominators[k]
                guard history.weights[r] != 0 else { continue }
                for j in 0..<d { profiles[k * d + j] += history.weights[r] * items.values[position * d + j] }
            }
            for k in 0..<domains {
                for j in 0..<d { profiles[k * d + j] /= denominators[k] }
                let map = k * d * d
                for i in 0..<d {
                    var sum: Float = 0
                    for j in 0..<d { sum += maps.value[map + i * d + j] * profiles[k * d + j] }
                    pooled[b * d + i] += sum
                }
            }
            coefficients.append(a)
            kept.append(Kept(profiles: profiles, denominators: denominators))
        }
        return (Matrix(rows: histories.count, columns: d, values: pooled), coefficients, kept)
    }

    /// From ∂x (B × dimension): accumulates ∂m, ∂θ, ∂M and adds ∂v_r into `itemGradient`.
    mutating func backward(
        _ gradInput: Matrix, histories: [TwoTowerNetwork.History], coefficients: [[Float]], kept: [Kept],
        itemGradient: inout Matrix
    ) {
        let d = dimension
        for (b, history) in histories.enumerated() {
            let gx = b * d
            // ∂p_d = M_dᵀ ∂x; ∂M_d += ∂x p_dᵀ.
            var gradProfiles = [Float](repeating: 0, count: domains * d)
            for k in 0..<domains {
                let map = k * d * d
                for i in 0..<d {
                    let g = gradInput.values[gx + i]
                    guard g != 0 else { continue }
                    for j in 0..<d {
                        gradProfiles[k * d + j] += maps.value[map + i * d + j] * g
                        maps.gradient[map + i * d + j] += g * kept[b].profiles[k * d + j]
                    }
                }
            }
            for k in 0..<domains {
                let alpha = alpha(k)
                let denominator = kept[b].denominators[k]
                var dAlpha: Float = 0
                for j in 0..<d {
                    let g = gradProfiles[k * d + j]
                    priors.gradient[k * d + j] += alpha / denominator * g
                    dAlpha += g * (priors.value[k * d + j] - kept[b].profiles[k * d + j]) / denominator
                }
                // dα/dθ = sigmoid(θ).
                pseudoCounts.gradient[k] += dAlpha / (1 + expf(-pseudoCounts.value[k]))
            }
            let a = coefficients[b]
            for (r, position) in history.positions.enumerated() where a[r] != 0 {
                let k = Int(history.domains[r])
                for j in 0..<d { itemGradient.values[position * d + j] += a[r] * gradProfiles[k * d + j] }
            }
        }
    }
}
