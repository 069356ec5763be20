import Foundation
internal import RecData
internal import RecEval
internal import RecNN

/// One epoch of two-tower training: batches of training rows, their users' histories, the loss
/// terms of ``TwoTowerModel`` and an AdamW step per batch.
struct TwoTowerTrainer {
    let h: TwoTowerModel.Hyperparameters
    let layout: TwoTowerData
    let isExplicit: Bool
    let impressions: MINDImpressionLog?
    /// Per domain: the slots (indices into the layout's user rows) that are training targets.
    let domainSlots: [[Int]]
    /// Per slot: its user.
    let slotUser: [Int32]
    /// Per global item: log Q for per-domain batches and for mixed batches.
    let logQPerDomain: [Float]
    let logQMixed: [Float]
    /// Loss weight per domain (1 for the evaluated one).
    let weights: [Float]
    /// The fixed content channel beside the towers (`wide` > 0).
    let wide: WideChannel?

    init(hyperparameters: TwoTowerModel.Hyperparameters, layout: TwoTowerData, isExplicit: Bool, impressions: MINDImpressionLog?) {
        h = hyperparameters
        self.layout = layout
        self.isExplicit = isExplicit
        self.impressions = impressions
        var users = [Int32](repeating: 0, count: layout.userItems.count)
        var slots = [[Int]](repeating: [], count: layout.domains.count)
        for user in 0..<layout.userCount {
            for slot in layout.rows(of: user) {
                users[slot] = Int32(user)
                // Rows that are not positives (centered weighting) stay in the batches only to
                // train the rating and like heads; the retrieval loss masks them (``retrievalMask``).
                guard
                    layout.rowWeight(slot) > 0
                        || (isExplicit && (hyperparameters.ratingWeight > 0 || hyperparameters.likeWeight > 0))
                else { continue }
                slots[Int(layout.domainOf[Int(layout.userItems[slot])])].append(slot)
            }
        }
        slotUser = users
        weights = layout.domains.indices.map { $0 == 0 ? 1 : hyperparameters.otherWeight }
        let domainWeights = weights
        let targets = slots.enumerated().map { domainWeights[$0.offset] > 0 ? $0.element : [] }
        domainSlots = targets
        let allRows = Float(max(1, targets.reduce(0) { $0 + $1.count }))
        var perDomain = [Float](repeating: 0, count: layout.totalItems)
        var mixed = [Float](repeating: 0, count: layout.totalItems)
        for (d, domain) in layout.domains.enumerated() {
            let rows = Float(max(1, slots[d].count))
            for item in 0..<domain.itemCount {
                let count = max(domain.popularity[item], 1)
                perDomain[layout.domainStart[d] + item] = logf(count / rows)
                mixed[layout.domainStart[d] + item] = logf(count / allRows)
            }
        }
        logQPerDomain = perDomain
        logQMixed = mixed
        wide = hyperparameters.wide > 0 && layout.textDimension > 0 ? WideChannel(layout: layout) : nil
    }

    var rowCount: Int { domainSlots.reduce(0) { $0 + $1.count } }

    var batchesPerEpoch: Int {
        switch h.batches {
        case .mixed: return max(1, (rowCount + h.batchSize - 1) / h.batchSize)
        case .perDomain: return domainSlots.reduce(0) { $0 + max(0, ($1.count + h.batchSize - 1) / h.batchSize) }
        }
    }

    /// The pooled rows of `user`: the latest `maxHistory` of them (all domains), leaving out
    /// `excluding` (the row being predicted), each at `positions(globalItem)` in the item matrix,
    /// weighted as a positive (`pool` positives: rows of weight 0 left out), 1 (`pool` rated), or as
    /// a positive with the rows of weight 0 at 1 in their own pooling domain (`pool` split), and by
    /// recency when a half-life is set. With `otherDomainsOnly`, the evaluated domain's rows are
    /// left out too (as for a cold user) when some other-domain row remains; otherwise they stay.
    func history(
        of user: Int, layout: TwoTowerData, excluding: Int?, otherDomainsOnly: Bool = false, positions: (Int32) -> Int
    ) -> TwoTowerNetwork.History {
        let everyRow = h.pool != .positives
        var slots = Array(layout.rows(of: user))
        slots.removeAll { $0 == excluding || (!everyRow && layout.rowWeight($0) == 0) }
        if otherDomainsOnly {
            let others = slots.filter { layout.domainOf[Int(layout.userItems[$0])] != 0 }
            if !others.isEmpty { slots = others }
        }
        if slots.count > h.maxHistory {
            slots.sort { (layout.userTimes[$0], $0) > (layout.userTimes[$1], $1) }
            slots.removeLast(slots.count - h.maxHistory)
        }
        // rated: every row 1; split: positives by their weight, the others 1 (in their own pool).
        var weights = slots.map { slot -> Float in
            let weight = layout.rowWeight(slot)
            return h.pool == .rated || weight == 0 ? 1 : weight
        }
        if h.halfLifeDays > 0, let latest = slots.map({ layout.userTimes[$0] }).max() {
            for (k, slot) in slots.enumerated() {
                let days = Double(latest - layout.userTimes[slot]) / 86_400
                weights[k] *= Float(exp2(-days / h.halfLifeDays))
            }
        }
        return TwoTowerNetwork.History(
            positions: slots.map { positions(layout.userItems[$0]) }, weights: weights,
            domains: slots.map { Self.poolDomain(of: $0, layout: layout, pool: h.pool) })
    }

    /// The pooling domain of row `slot`: its item's domain d, or D + d (D domains) for a row that
    /// is not a positive when `pool` is split.
    static func poolDomain(of slot: Int, layout: TwoTowerData, pool: TwoTowerModel.PoolRows) -> Int32 {
        let d = Int32(layout.domainOf[Int(layout.userItems[slot])])
        return pool == .split && layout.rowWeight(slot) == 0 ? d + Int32(layout.domains.count) : d
    }

    /// Runs one epoch and returns the mean retrieval loss over its batches.
    func epoch(
        _ network: inout TwoTowerNetwork, rng: inout NNRandom, optimizer: AdamW, schedule: LearningRateSchedule,
        step: inout Int
    ) -> Double {
        var batches: [(domain: Int?, slots: [Int])] = []
        switch h.batches {
        case .perDomain:
            for (d, slots) in domainSlots.enumerated() where !slots.isEmpty {
                var shuffled = slots
                rng.shuffle(&shuffled)
                var start = 0
                while start < shuffled.count {
                    let end = min(shuffled.count, start + h.batchSize)
                    if end - start >= 2 { batches.append((d, Array(shuffled[start..<end]))) }
                    start = end
                }
            }
            rng.shuffle(&batches)
        case .mixed:
            var shuffled = domainSlots.flatMap { $0 }
            rng.shuffle(&shuffled)
            var start = 0
            while start < shuffled.count {
                let end = min(shuffled.count, start + h.batchSize)
                if end - start >= 2 { batches.append((nil, Array(shuffled[start..<end]))) }
                start = end
            }
        }
        var impressionOrder = impressions.map { Array(0..<$0.count) } ?? []
        rng.shuffle(&impressionOrder)
        let impressionsPerBatch = impressionOrder.isEmpty ? 0 : max(1, impressionOrder.count / max(1, batches.count))
        var nextImpression = 0
        var positionOf = [Int](repeating: -1, count: layout.totalItems)
        var total = 0.0
        for batch in batches {
            total += Double(retrievalStep(batch.slots, domain: batch.domain, network: &network, rng: &rng, positionOf: &positionOf))
            if let impressions, impressionsPerBatch > 0 {
                var chunk: [Int] = []
                for _ in 0..<impressionsPerBatch {
                    chunk.append(impressionOrder[nextImpression % impressionOrder.count])
                    nextImpression += 1
                }
                clickStep(chunk, log: impressions, network: &network, rng: &rng, positionOf: &positionOf)
            }
            optimizer.step(&network, learningRate: schedule.rate(at: step))
            step += 1
        }
        return batches.isEmpty ? 0 : total / Double(batches.count)
    }

    /// The items a pass needs, each once, and their positions (`positionOf` is reset by the caller
    /// through ``release(_:positionOf:)``).
    private func collect(_ items: inout [Int32], _ item: Int32, positionOf: inout [Int]) -> Int {
        if positionOf[Int(item)] < 0 {
            positionOf[Int(item)] = items.count
            items.append(item)
        }
        return positionOf[Int(item)]
    }

    private func release(_ items: [Int32], positionOf: inout [Int]) {
        for item in items { positionOf[Int(item)] = -1 }
    }

    /// The retrieval (and rating) loss of one batch of rows; gradients accumulate in `network`.
    private func retrievalStep(
        _ slots: [Int], domain: Int?, network: inout TwoTowerNetwork, rng: inout NNRandom, positionOf: inout [Int]
    ) -> Float {
        let d = network.dimension
        var union: [Int32] = []
        var positives: [Int] = []
        var histories: [TwoTowerNetwork.History] = []
        let users = slots.map { slotUser[$0] }
        for slot in slots {
            positives.append(collect(&union, layout.userItems[slot], positionOf: &positionOf))
        }
        // With every item as a negative: the batch's domain (all domains with mixed batches).
        var candidates: [Int] = []
        if h.negatives == .all {
            let domains = domain.map { [$0] } ?? Array(layout.domains.indices)
            for d in domains {
                for item in 0..<layout.domains[d].itemCount {
                    candidates.append(collect(&union, Int32(layout.domainStart[d] + item), positionOf: &positionOf))
                }
            }
        }
        // cold_dropout: some evaluated-domain rows are predicted from the other domains alone, as
        // a cold user's are (draws only when it is set, so other settings keep their numbers).
        let coldRows = slots.map { slot in
            h.coldDropout > 0 && layout.domainOf[Int(layout.userItems[slot])] == 0 && rng.nextFloat() < h.coldDropout
        }
        for (k, slot) in slots.enumerated() {
            histories.append(
                history(of: Int(users[k]), layout: layout, excluding: slot, otherDomainsOnly: coldRows[k]) { item in
                    collect(&union, item, positionOf: &positionOf)
                })
        }
        defer { release(union, positionOf: &positionOf) }
        let withheld = union.map { _ in rng.nextFloat() < h.idDropout }
        let pass = network.itemInputs(union, layout: layout) { position, _ in withheld[position] }
        let items = network.itemForward(union, pass: pass, layout: layout, training: true)
        let (userVectors, userPass) = network.userForward(histories, users: users, items: items, training: true)
        let positiveVectors = TwoTowerNetwork.gather(items, rows: positives)
        var gradientOfCandidates = Matrix(zeros: union.count, columns: d)
        let ids = slots.map { layout.userItems[$0] }
        let logQ = ids.map { domain == nil ? logQMixed[Int($0)] : logQPerDomain[Int($0)] }
        // With a wide channel the losses see [u, a ũ] and [v, a t] (``WideChannel``).
        var wideProfiles: Matrix?
        var wideTargets: Matrix?
        let wideScale = network.wideScale?.value[0] ?? 0
        if let wide {
            var profiles = Matrix(zeros: slots.count, columns: wide.width)
            for (k, slot) in slots.enumerated() {
                var rows = WideChannel.rows(of: Int(users[k]), layout: layout, excluding: slot, maxHistory: h.maxHistory)
                if coldRows[k] {
                    let others = rows.filter { layout.domainOf[Int($0.item)] != 0 }
                    if !others.isEmpty { rows = others }
                }
                let profile = wide.profile(rows, layout: layout)
                for j in 0..<wide.width { profiles.values[k * wide.width + j] = profile[j] }
            }
            wideProfiles = profiles
        }
        func widened(_ deep: Matrix, _ wide: Matrix?) -> Matrix {
            wide.map { WideChannel.concatenate(deep, $0, scale: wideScale) } ?? deep
        }
        var loss: Float
        var userGradient: Matrix
        var itemGradient: Matrix
        var candidateGradient: Matrix?
        let mask = slots.map { Float(layout.rowWeight($0) > 0 ? 1 : 0) }
        if candidates.isEmpty {
            wideTargets = wide?.itemRows(ids)
            (loss, userGradient, itemGradient) = InBatchSoftmax(temperature: h.temperature).loss(
                users: widened(userVectors, wideProfiles), items: widened(positiveVectors, wideTargets), logQ: logQ,
                itemIDs: ids, rowWeights: mask.allSatisfy { $0 == 1 } ? nil : mask)
        } else {
            var index = [Int](repeating: -1, count: union.count)
            for (k, position) in candidates.enumerated() { index[position] = k }
            let targets = positives.map { index[$0] }
            wideTargets = wide?.itemRows(candidates.map { union[$0] })
            (loss, userGradient, candidateGradient) = Self.fullSoftmax(
                users: widened(userVectors, wideProfiles),
                items: widened(TwoTowerNetwork.gather(items, rows: candidates), wideTargets), targets: targets,
                weights: ids.indices.map { weights[Int(layout.domainOf[Int(ids[$0])])] * mask[$0] },
                temperature: h.temperature)
            itemGradient = Matrix(zeros: slots.count, columns: d)
        }
        // Row weights: the domain's share of the loss.
        for (b, item) in ids.enumerated() where candidateGradient == nil {
            let weight = weights[Int(layout.domainOf[Int(item)])]
            guard weight != 1 else { continue }
            let width = userGradient.columns
            for j in 0..<width {
                userGradient.values[b * width + j] *= weight
                itemGradient.values[b * width + j] *= weight
            }
        }
        if let wideProfiles, let wideTargets {
            let (userDeep, userScale) = WideChannel.split(userGradient, deepColumns: d, wide: wideProfiles)
            userGradient = userDeep
            var scaleGradient = userScale
            if let candidates = candidateGradient {
                let (deep, scale) = WideChannel.split(candidates, deepColumns: d, wide: wideTargets)
                candidateGradient = deep
                scaleGradient += scale
            } else {
                let (deep, scale) = WideChannel.split(itemGradient, deepColumns: d, wide: wideTargets)
                itemGradient = deep
                scaleGradient += scale
            }
            network.wideScale!.gradient[0] += scaleGradient
        }
        if let candidateGradient { TwoTowerNetwork.scatterAdd(candidateGradient, rows: candidates, into: &gradientOfCandidates) }
        if isExplicit && h.ratingWeight > 0 {
            rating(
                slots, ids: ids, users: userVectors, items: positiveVectors, userGradient: &userGradient,
                itemGradient: &itemGradient, network: &network)
        }
        if isExplicit && h.likeWeight > 0 {
            let rows = ids.indices.filter { layout.domainOf[Int(ids[$0])] == 0 }
            network.like!.loss(
                rows: rows, users: userVectors, items: positiveVectors,
                liked: rows.map { layout.userValues[slots[$0]] >= TopKEvaluator.explicitRelevanceThreshold },
                weight: h.likeWeight, userGradient: &userGradient, itemGradient: &itemGradient)
        }
        var gradient = gradientOfCandidates
        TwoTowerNetwork.scatterAdd(itemGradient, rows: positives, into: &gradient)
        network.userBackward(userGradient, pass: userPass, items: items, itemGradient: &gradient)
        network.itemBackward(gradient, pass: pass)
        return loss
    }

    /// The exact softmax over `items` (N × d, every candidate): row b's target is `targets[b]`.
    /// loss = (1/B) Σ_b −log softmax(u_b · Vᵀ / τ)_target; the gradient of row b is scaled by
    /// `weights[b]` (its domain's share of the loss).
    /// - Complexity: 3 × B × N × d multiply-adds (`cblas_sgemm`).
    static func fullSoftmax(users: Matrix, items: Matrix, targets: [Int], weights: [Float], temperature: Float)
        -> (loss: Float, userGradient: Matrix, itemGradient: Matrix)
    {
        let b = users.rows
        let n = items.rows
        var logits = Matrix.product(users, transposed: false, items, transposed: true)
        var loss: Double = 0
        let scale = 1 / temperature
        for row in 0..<b {
            var largest = -Float.infinity
            for k in 0..<n {
                logits.values[row * n + k] *= scale
                largest = max(largest, logits.values[row * n + k])
            }
            var total: Float = 0
            for k in 0..<n {
                let e = expf(logits.values[row * n + k] - largest)
                logits.values[row * n + k] = e
                total += e
            }
            let target = targets[row]
            loss -= Double(logf(max(logits.values[row * n + target] / total, 1e-30)))
            // ∂loss/∂(u·v) = w_b (p − onehot) / (B τ)
            let factor = weights[row] * scale / Float(b)
            for k in 0..<n { logits.values[row * n + k] = logits.values[row * n + k] / total * factor }
            logits.values[row * n + target] -= factor
        }
        let userGradient = Matrix.product(logits, items)
        let itemGradient = Matrix.product(logits, transposed: true, users)
        return (Float(loss / Double(b)), userGradient, itemGradient)
    }

    /// The rating head's squared error on the batch's evaluated-domain rows (weight `rating_weight`):
    /// r̂ = μ + b_i + a · (u · v).
    private func rating(
        _ slots: [Int], ids: [Int32], users: Matrix, items: Matrix, userGradient: inout Matrix, itemGradient: inout Matrix,
        network: inout TwoTowerNetwork
    ) {
        let d = network.dimension
        let rows = ids.indices.filter { layout.domainOf[Int(ids[$0])] == 0 }
        guard !rows.isEmpty else { return }
        let a = network.ratingHead.value[0]
        let mu = network.ratingHead.value[1]
        let scale = 2 * h.ratingWeight / Float(rows.count)
        let biasIDs = rows.map { ids[$0] }
        let biases = network.itemBias.forward(ids: biasIDs)
        var biasGradient = Matrix(zeros: rows.count, columns: 1)
        for (k, b) in rows.enumerated() {
            var dot: Float = 0
            for j in 0..<d { dot += users.values[b * d + j] * items.values[b * d + j] }
            let error = mu + biases.values[k] + a * dot - layout.userValues[slots[b]]
            let g = scale * error
            network.ratingHead.gradient[0] += g * dot
            network.ratingHead.gradient[1] += g
            biasGradient.values[k] = g
            for j in 0..<d {
                userGradient.values[b * d + j] += g * a * items.values[b * d + j]
                itemGradient.values[b * d + j] += g * a * users.values[b * d + j]
            }
        }
        network.itemBias.backward(ids: biasIDs, gradOutput: biasGradient)
    }

    /// The click loss of impressions `chunk` of the training log (weight `click_weight`): each
    /// impression's user vector, pooled from its own history and the user's other-domain rows,
    /// against its candidates, a softmax per impression.
    private func clickStep(
        _ chunk: [Int], log: MINDImpressionLog, network: inout TwoTowerNetwork, rng: inout NNRandom,
        positionOf: inout [Int]
    ) {
        let d = network.dimension
        let start = Int32(layout.domainStart[0])
        var union: [Int32] = []
        var histories: [TwoTowerNetwork.History] = []
        var users: [Int32] = []
        var candidatePositions: [Int] = []
        var offsets = [0]
        var labels: [Int8] = []
        for k in chunk {
            let user = log.users[k]
            var positions = log.history(of: k).suffix(h.maxHistory).compactMap { item -> Int? in
                Int(item) < layout.domains[0].itemCount ? collect(&union, start + item, positionOf: &positionOf) : nil
            }
            var domains = [Int32](repeating: 0, count: positions.count)
            if Int(user) < layout.userCount {
                for slot in layout.rows(of: Int(user)) where layout.domainOf[Int(layout.userItems[slot])] != 0 {
                    positions.append(collect(&union, layout.userItems[slot], positionOf: &positionOf))
                    domains.append(Self.poolDomain(of: slot, layout: layout, pool: h.pool))
                }
            }
            histories.append(
                TwoTowerNetwork.History(
                    positions: positions, weights: [Float](repeating: 1, count: positions.count), domains: domains))
            users.append(user < 0 || Int(user) >= layout.userCount ? -1 : user)
            for slot in log.candidateRange(of: k) where Int(log.candidates[slot]) < layout.domains[0].itemCount {
                candidatePositions.append(collect(&union, start + log.candidates[slot], positionOf: &positionOf))
                labels.append(log.labels[slot])
            }
            offsets.append(candidatePositions.count)
        }
        defer { release(union, positionOf: &positionOf) }
        guard !candidatePositions.isEmpty else { return }
        let withheld = union.map { item in !layout.hasRows[Int(item)] || rng.nextFloat() < h.idDropout }
        let pass = network.itemInputs(union, layout: layout) { position, _ in withheld[position] }
        let items = network.itemForward(union, pass: pass, layout: layout, training: true)
        let userIDs = users.map { max($0, 0) }
        let (userVectors, userPass) = network.userForward(histories, users: userIDs, items: items, training: true)
        var scores = [Float](repeating: 0, count: candidatePositions.count)
        for g in 0..<chunk.count {
            for slot in offsets[g]..<offsets[g + 1] {
                var dot: Float = 0
                let p = candidatePositions[slot]
                for j in 0..<d { dot += userVectors.values[g * d + j] * items.values[p * d + j] }
                scores[slot] = dot / h.temperature
            }
        }
        let (_, gradScores, _) = ImpressionSoftmax().loss(scores: scores, offsets: offsets, labels: labels)
        var userGradient = Matrix(zeros: chunk.count, columns: d)
        var gradient = Matrix(zeros: union.count, columns: d)
        let scale = h.clickWeight / h.temperature
        for g in 0..<chunk.count {
            for slot in offsets[g]..<offsets[g + 1] where gradScores[slot] != 0 {
                let p = candidatePositions[slot]
                let s = gradScores[slot] * scale
                for j in 0..<d {
                    userGradient.values[g * d + j] += s * items.values[p * d + j]
                    gradient.values[p * d + j] += s * userVectors.values[g * d + j]
                }
            }
        }
        network.userBackward(userGradient, pass: userPass, items: items, itemGradient: &gradient)
        network.itemBackward(gradient, pass: pass)
    }
}

/// NDCG@10 on the inner holdout after an epoch: the held-out evaluated-domain rows (ratings ≥ 4 on
/// explicit data) of up to 1,000 seeded users, ranked among the items the fit saw, minus the
/// user's own.
struct TwoTowerValidator {
    let layout: TwoTowerData
    let users: [Int]
    let relevant: [Int: [Int32]]
    /// The users' pooled histories and, with a wide channel, their text profiles: fixed for the
    /// fit, so built once.
    let histories: [TwoTowerNetwork.History]
    let wide: WideChannel?
    let wideProfiles: [[Float]]
    /// τ, for the like head's score term.
    let temperature: Float

    init(layout: TwoTowerData, heldOut: Interactions, isExplicit: Bool, seed: UInt64, trainer: TwoTowerTrainer) {
        self.layout = layout
        let threshold = isExplicit ? TopKEvaluator.explicitRelevanceThreshold : -Float.infinity
        var relevant: [Int: [Int32]] = [:]
        for k in 0..<heldOut.count where heldOut.values[k] >= threshold {
            let item = heldOut.items[k]
            guard Int(item) < layout.domains[0].itemCount, layout.hasRows[Int(item)] else { continue }
            relevant[Int(heldOut.users[k]), default: []].append(item)
        }
        var users = relevant.keys.sorted()
        if users.count > 1000 {
            var generator = SeededGenerator(seed: seed &+ 0x5A17)
            generator.shuffle(&users)
            users = Array(users.prefix(1000)).sorted()
        }
        self.users = users
        self.relevant = relevant
        histories = users.map { trainer.history(of: $0, layout: layout, excluding: nil, positions: { Int($0) }) }
        wide = trainer.wide
        temperature = trainer.h.temperature
        wideProfiles = trainer.wide.map { wide in
            users.map { user in
                wide.profile(
                    WideChannel.rows(of: user, layout: layout, excluding: nil, maxHistory: trainer.h.maxHistory),
                    layout: layout)
            }
        } ?? []
    }

    func ndcg(_ network: TwoTowerNetwork) -> Double {
        guard !users.isEmpty else { return 0 }
        let d = network.dimension
        let allItems = (0..<layout.totalItems).map(Int32.init)
        let pass = network.itemInputs(allItems, layout: layout) { _, item in !layout.hasRows[Int(item)] }
        let items = network.itemVectors(allItems, pass: pass, layout: layout)
        let vectors = network.userVectors(histories, users: users.map(Int32.init), items: items)
        let itemCount = layout.domains[0].itemCount
        let wideWeight = network.wideWeight
        var scores = [Float](repeating: 0, count: itemCount)
        var excluded = [Bool](repeating: false, count: itemCount)
        var selector = TopKSelector(capacity: 10)
        var total = 0.0
        for (k, user) in users.enumerated() {
            let like = network.like?.query(vectors.values[(k * d)..<((k + 1) * d)])
            for i in 0..<itemCount {
                excluded[i] = !layout.hasRows[i]
                var dot: Float = 0
                for j in 0..<d { dot += vectors.values[k * d + j] * items.values[i * d + j] }
                if let like {
                    dot += LikeHead.scoreTerm(LikeHead.logit(like, items.values, start: i * d), temperature: temperature)
                }
                scores[i] = dot
            }
            if let wide {
                for i in 0..<itemCount { scores[i] += wideWeight * wide.dot(wideProfiles[k], item: i) }
            }
            for slot in layout.rows(of: user) where Int(layout.userItems[slot]) < itemCount {
                excluded[Int(layout.userItems[slot])] = true
            }
            let wanted = Set(relevant[user] ?? [])
            let top = selector.select(10, scores: scores, excluded: excluded)
            total += RankingMetrics.ndcg(hits: top.map { wanted.contains($0) }, k: 10, relevantCount: wanted.count)
        }
        return total / Double(users.count)
    }
}
