import Foundation
internal import RecNN

/// The two towers' layers and their forward and backward passes (``TwoTowerModel`` drives them),
/// and the rating head r̂ = μ + b_i + a · (u · v).
///
/// Item tower, for a global item i of domain d:
///   pre_i = E_id[i] (zero when the id is withheld: an item without training rows, or id dropout)
///         + mean_{c ∈ bag(i)} E_cat[c] + W_d · text_i + b_d
///   v_i = normalize(pre_i + MLP_item(pre_i))   (a residual block: the identity path keeps the
///         item-to-item similarity a small data set can support, the MLP adds to it)
/// The id table and the category vocabulary are shared storage with disjoint rows per domain; the
/// text projection W_d is the domain's own branch; MLP_item is the shared output projection.
///
/// User tower, for a user with rows r (all domains, at most `maxHistory` of the latest):
///   p_u = Σ_r a_r v_item(r), with a_r = w_r / Σ w (mean, w_r = 2^(−age_r / half-life)) or
///         a = softmax_r(q · v_item(r) / √d + log w_r) (attention)
///   or, with `domains` pooling, one shrunk profile per domain mapped and summed (``DomainPooling``)
///   u = normalize(x + MLP_user(x)), x = p_u + E_user[u]   (E_user only with a user embedding)
struct TwoTowerNetwork: Trainable, Sendable {
    var itemIDs: Embedding
    var categories: Embedding
    var textProjections: [Dense]
    var itemMLP: MLP
    var itemNorm = L2Normalize()
    var userIDs: Embedding?
    var attentionQuery: Parameter?
    var domainPooling: DomainPooling?
    var userMLP: MLP
    var userNorm = L2Normalize()
    /// (a, μ) and b_i: the rating head r̂ = μ + b_i + a · (u · v).
    var ratingHead: Parameter
    var itemBias: Embedding
    /// a, the wide channel's scale (the score adds a² ũ · t; ``WideChannel``); nil without one.
    var wideScale: Parameter?
    /// P(like | rated) = σ(uᵀ M v + w · u + c) (``LikeHead``); nil without one (`like_weight` 0).
    var like: LikeHead?

    let dimension: Int
    let hidden: Int

    init(
        layout: TwoTowerData, dimension: Int, hidden: Int, dropout: Float, userEmbedding: Bool, attention: Bool,
        wide: Float = 0, domainPooling: Bool = false, splitPools: Bool = false, likeHead: Bool = false,
        rng: inout NNRandom
    ) {
        self.dimension = dimension
        self.hidden = hidden
        itemIDs = Embedding(count: max(1, layout.totalItems), dimension: dimension, std: 0.05, rng: &rng)
        categories = Embedding(count: max(1, layout.categoryCount), dimension: dimension, std: 0.05, rng: &rng)
        textProjections =
            layout.textDimension > 0
            ? layout.domains.map { _ in Dense(input: layout.textDimension, output: dimension, rng: &rng) } : []
        itemMLP = MLP(widths: [dimension, hidden, dimension], activation: .gelu, layerNorm: true, dropout: dropout, rng: &rng)
        userIDs = userEmbedding ? Embedding(count: max(1, layout.userCount), dimension: dimension, std: 0.01, rng: &rng) : nil
        attentionQuery =
            attention
            ? Parameter(
                name: "attention.query", value: (0..<dimension).map { _ in rng.normal(std: 0.1) }, shape: [dimension],
                decays: false) : nil
        // With split pools, pseudo-domain D + d holds domain d's rows that are not positives.
        self.domainPooling =
            domainPooling
            ? DomainPooling(domains: layout.domains.count * (splitPools ? 2 : 1), dimension: dimension) : nil
        userMLP = MLP(widths: [dimension, hidden, dimension], activation: .gelu, layerNorm: true, dropout: dropout, rng: &rng)
        ratingHead = Parameter(name: "rating.head", value: [1, 0], shape: [2], decays: false)
        itemBias = Embedding(count: max(1, layout.totalItems), dimension: 1, std: 0, decays: false, rng: &rng)
        wideScale = wide > 0 ? Parameter(name: "wide.scale", value: [wide.squareRoot()], shape: [1], decays: false) : nil
        like = likeHead ? LikeHead(dimension: dimension) : nil
    }

    /// a², the weight of the wide channel's content match in the score (0 without one).
    var wideWeight: Float { wideScale.map { $0.value[0] * $0.value[0] } ?? 0 }

    mutating func visitParameters(_ body: (inout Parameter) -> Void) {
        itemIDs.visitParameters(body)
        categories.visitParameters(body)
        for k in textProjections.indices { textProjections[k].visitParameters(body) }
        itemMLP.visitParameters(body)
        userIDs?.visitParameters(body)
        if attentionQuery != nil { body(&attentionQuery!) }
        domainPooling?.visitParameters(body)
        userMLP.visitParameters(body)
        body(&ratingHead)
        itemBias.visitParameters(body)
        if wideScale != nil { body(&wideScale!) }
        like?.visitParameters(body)
    }

    // MARK: Item tower

    /// What an item-tower forward keeps for its backward.
    struct ItemPass {
        var idInputs: [Int32]
        var bagOffsets: [Int]
        var bagIDs: [Int32]
        /// Per domain: positions (in the pass) of its items, for the text branch.
        var domainRows: [[Int]]
    }

    /// The inputs of the item tower for `items` (global): ids (−1 where `withholdID` says so),
    /// category bags, and the rows of each domain.
    func itemInputs(_ items: [Int32], layout: TwoTowerData, withholdID: (Int, Int32) -> Bool) -> ItemPass {
        var ids = [Int32](repeating: -1, count: items.count)
        var offsets = [0]
        offsets.reserveCapacity(items.count + 1)
        var bag: [Int32] = []
        var domainRows = [[Int]](repeating: [], count: layout.domains.count)
        for (position, item) in items.enumerated() {
            if !withholdID(position, item) { ids[position] = item }
            let i = Int(item)
            bag.append(contentsOf: layout.categoryIDs[layout.categoryOffsets[i]..<layout.categoryOffsets[i + 1]])
            offsets.append(bag.count)
            domainRows[Int(layout.domainOf[i])].append(position)
        }
        return ItemPass(idInputs: ids, bagOffsets: offsets, bagIDs: bag, domainRows: domainRows)
    }

    /// The text rows of `positions` of `items`.
    private func textRows(_ positions: [Int], items: [Int32], layout: TwoTowerData) -> Matrix {
        let width = layout.textDimension
        var values = [Float](repeating: 0, count: positions.count * width)
        for (row, position) in positions.enumerated() {
            let source = Int(items[position]) * width
            for j in 0..<width { values[row * width + j] = layout.text[source + j] }
        }
        return Matrix(rows: positions.count, columns: width, values: values)
    }

    /// Item vectors (n × dimension, unit rows) of `items`, keeping what ``itemBackward(_:pass:)`` needs.
    mutating func itemForward(_ items: [Int32], pass: ItemPass, layout: TwoTowerData, training: Bool) -> Matrix {
        var pre = itemIDs.forward(ids: pass.idInputs)
        pre += categories.forwardBags(offsets: pass.bagOffsets, ids: pass.bagIDs)
        if !textProjections.isEmpty {
            for (domain, positions) in pass.domainRows.enumerated() where !positions.isEmpty {
                let projected = textProjections[domain].forward(
                    textRows(positions, items: items, layout: layout), training: training)
                Self.scatterAdd(projected, rows: positions, into: &pre)
            }
        }
        return itemNorm.forward(pre + itemMLP.forward(pre, training: training), training: training)
    }

    /// Accumulates the item tower's parameter gradients from ∂loss/∂v (n × dimension).
    mutating func itemBackward(_ gradient: Matrix, pass: ItemPass) {
        let gradOut = itemNorm.backward(gradient)
        let gradPre = gradOut + itemMLP.backward(gradOut)
        itemIDs.backward(ids: pass.idInputs, gradOutput: gradPre)
        categories.backwardBags(offsets: pass.bagOffsets, ids: pass.bagIDs, gradOutput: gradPre)
        if !textProjections.isEmpty {
            for (domain, positions) in pass.domainRows.enumerated() where !positions.isEmpty {
                _ = textProjections[domain].backward(Self.gather(gradPre, rows: positions))
            }
        }
    }

    /// Item vectors for scoring (no dropout, nothing kept).
    func itemVectors(_ items: [Int32], pass: ItemPass, layout: TwoTowerData) -> Matrix {
        var pre = itemIDs.forward(ids: pass.idInputs)
        pre += categories.forwardBags(offsets: pass.bagOffsets, ids: pass.bagIDs)
        if !textProjections.isEmpty {
            for (domain, positions) in pass.domainRows.enumerated() where !positions.isEmpty {
                Self.scatterAdd(
                    textProjections[domain].apply(textRows(positions, items: items, layout: layout)), rows: positions,
                    into: &pre)
            }
        }
        return itemNorm.apply(pre + itemMLP.apply(pre))
    }

    // MARK: User tower

    /// One user row of a pass: the pooled rows' positions in the item matrix and their weights w_r.
    struct History: Sendable {
        var positions: [Int]
        var weights: [Float]
        /// Each row's domain (0 the evaluated one); read by `domains` pooling.
        var domains: [Int32]
    }

    /// What a user-tower forward keeps for its backward.
    struct UserPass {
        var histories: [History]
        /// Pooling coefficients a_r per history (attention or normalized weights).
        var coefficients: [[Float]]
        var users: [Int32]
        /// The per-domain profiles of `domains` pooling (empty otherwise).
        var domainKept: [DomainPooling.Kept] = []
    }

    /// Pools `histories` over the item vectors `items` (n × dimension).
    func pool(_ histories: [History], items: Matrix) -> (pooled: Matrix, coefficients: [[Float]]) {
        if let domainPooling {
            let (pooled, coefficients, _) = domainPooling.pool(histories, items: items)
            return (pooled, coefficients)
        }
        let d = dimension
        var pooled = [Float](repeating: 0, count: histories.count * d)
        var coefficients: [[Float]] = []
        coefficients.reserveCapacity(histories.count)
        let scale = 1 / Float(d).squareRoot()
        for (b, history) in histories.enumerated() {
            var a = [Float](repeating: 0, count: history.positions.count)
            if let query = attentionQuery {
                var largest = -Float.infinity
                for (r, position) in history.positions.enumerated() {
                    var dot: Float = 0
                    for j in 0..<d { dot += query.value[j] * items.values[position * d + j] }
                    a[r] = dot * scale + logf(max(history.weights[r], 1e-30))
                    largest = max(largest, a[r])
                }
                var total: Float = 0
                for r in a.indices {
                    a[r] = expf(a[r] - largest)
                    total += a[r]
                }
                if total > 0 { for r in a.indices { a[r] /= total } }
            } else {
                let total = history.weights.reduce(0, +)
                if total > 0 { for r in a.indices { a[r] = history.weights[r] / total } }
            }
            for (r, position) in history.positions.enumerated() where a[r] != 0 {
                for j in 0..<d { pooled[b * d + j] += a[r] * items.values[position * d + j] }
            }
            coefficients.append(a)
        }
        return (Matrix(rows: histories.count, columns: d, values: pooled), coefficients)
    }

    /// User vectors (B × dimension, unit rows), keeping what ``userBackward(_:pass:items:)`` needs.
    mutating func userForward(
        _ histories: [History], users: [Int32], items: Matrix, training: Bool
    ) -> (vectors: Matrix, pass: UserPass) {
        var pass = UserPass(histories: histories, coefficients: [], users: users)
        var input: Matrix
        if let domainPooling {
            let pooled = domainPooling.pool(histories, items: items)
            (input, pass.coefficients, pass.domainKept) = (pooled.pooled, pooled.coefficients, pooled.kept)
        } else {
            (input, pass.coefficients) = pool(histories, items: items)
        }
        if let userIDs { input += userIDs.forward(ids: users) }
        let vectors = userNorm.forward(input + userMLP.forward(input, training: training), training: training)
        return (vectors, pass)
    }

    /// Accumulates the user tower's gradients from ∂loss/∂u and returns ∂loss/∂v for the pooled
    /// item vectors (n × dimension, added into `itemGradient`).
    mutating func userBackward(_ gradient: Matrix, pass: UserPass, items: Matrix, itemGradient: inout Matrix) {
        let d = dimension
        let gradOut = userNorm.backward(gradient)
        let gradInput = gradOut + userMLP.backward(gradOut)
        userIDs?.backward(ids: pass.users, gradOutput: gradInput)
        if domainPooling != nil {
            domainPooling!.backward(
                gradInput, histories: pass.histories, coefficients: pass.coefficients, kept: pass.domainKept,
                itemGradient: &itemGradient)
            return
        }
        let scale = 1 / Float(d).squareRoot()
        for (b, history) in pass.histories.enumerated() {
            let a = pass.coefficients[b]
            let g = b * d
            // ∂v_r += a_r ∂p
            for (r, position) in history.positions.enumerated() where a[r] != 0 {
                for j in 0..<d { itemGradient.values[position * d + j] += a[r] * gradInput.values[g + j] }
            }
            guard attentionQuery != nil, !history.positions.isEmpty else { continue }
            // Attention: ∂a_r = v_r · ∂p; ∂logit_r = a_r (∂a_r − Σ_s a_s ∂a_s);
            // ∂q += Σ_r ∂logit_r v_r / √d; ∂v_r += ∂logit_r q / √d.
            var da = [Float](repeating: 0, count: a.count)
            var mean: Float = 0
            for (r, position) in history.positions.enumerated() {
                var dot: Float = 0
                for j in 0..<d { dot += items.values[position * d + j] * gradInput.values[g + j] }
                da[r] = dot
                mean += a[r] * dot
            }
            for (r, position) in history.positions.enumerated() {
                let dLogit = a[r] * (da[r] - mean) * scale
                guard dLogit != 0 else { continue }
                for j in 0..<d {
                    attentionQuery!.gradient[j] += dLogit * items.values[position * d + j]
                    itemGradient.values[position * d + j] += dLogit * attentionQuery!.value[j]
                }
            }
        }
    }

    /// User vectors for scoring (no dropout, nothing kept).
    func userVectors(_ histories: [History], users: [Int32], items: Matrix) -> Matrix {
        var input = pool(histories, items: items).pooled
        if let userIDs { input += userIDs.forward(ids: users) }
        return userNorm.apply(input + userMLP.apply(input))
    }

    // MARK: Helpers

    static func scatterAdd(_ source: Matrix, rows: [Int], into target: inout Matrix) {
        let width = source.columns
        for (k, row) in rows.enumerated() {
            for j in 0..<width { target.values[row * width + j] += source.values[k * width + j] }
        }
    }

    static func gather(_ source: Matrix, rows: [Int]) -> Matrix {
        let width = source.columns
        var values = [Float](repeating: 0, count: rows.count * width)
        for (k, row) in rows.enumerated() {
            for j in 0..<width { values[k * width + j] = source.values[row * width + j] }
        }
        return Matrix(rows: rows.count, columns: width, values: values)
    }
}
