public import RecData
public import RecModels
import RecEval

/// Slates from a trained model, the way `crossrec recommend` builds them: each domain's scores
/// (the trained domain's own, the others' through ``RecModels/CrossDomainScoring`` when the model
/// learned them), items the user already has in that domain left out, then either one domain's
/// best `size` items or a mixed slate (``RecModels/MixedSlate``, at least `minimumPerDomain` from
/// every domain the model scores).
public enum SlatePolicy {
    public enum Mode: Sendable, Hashable {
        /// The best items across every domain the model scores.
        case mixed(minimumPerDomain: Int)
        /// One domain only (by index into `Dataset.domains`).
        case domain(Int)
    }

    /// One slate per user of `users`, in order.
    /// - Parameters:
    ///   - target: the domain the model was trained on (index into `dataset.domains`).
    /// - Throws: when `mode` asks for a domain the model cannot score.
    /// - Complexity: O(users · items of the domains scored · log items).
    public static func slates(
        model: AnyRecommender, dataset: Dataset, target: Int, users: [Int32], size: Int, mode: Mode
    ) throws -> [[SlateItem]] {
        let wanted: [Int]
        switch mode {
        case .mixed: wanted = Array(dataset.domains.indices)
        case .domain(let domain): wanted = [domain]
        }
        // Which of the wanted domains this model scores.
        var domains: [Int] = []
        for domain in wanted {
            if domain == target {
                domains.append(domain)
            } else if let cross = model.crossDomain, dataset.users.count > 0 {
                var probe = [Float](repeating: 0, count: dataset.domains[domain].items.count)
                if probe.withUnsafeMutableBufferPointer({ cross.scoreOtherDomain(dataset.domains[domain].name, user: 0, into: $0) }) {
                    domains.append(domain)
                }
            }
        }
        guard !domains.isEmpty else {
            throw SimulationError(
                "the model cannot score \(wanted.map { dataset.domains[$0].name }.joined(separator: ", ")): it was trained on \(dataset.domains[target].name) and learned no other domain")
        }
        // Items each user already has, per scored domain.
        var consumed: [[Int32: [Int32]]] = []
        for domain in domains {
            var byUser: [Int32: [Int32]] = [:]
            let interactions = dataset.domains[domain].interactions
            for k in 0..<interactions.count { byUser[interactions.users[k], default: []].append(interactions.items[k]) }
            consumed.append(byUser)
        }
        var slates: [[SlateItem]] = []
        slates.reserveCapacity(users.count)
        if case .domain = mode {
            // One domain: standardizing does not change the order, so a partial selection of the
            // best `size` gives MixedSlate's slate in O(items) per user instead of a full sort.
            let domain = domains[0]
            let itemCount = dataset.domains[domain].items.count
            var scores = [Float](repeating: 0, count: itemCount)
            var excluded = [Bool](repeating: false, count: itemCount)
            var selector = TopKSelector(capacity: size)
            for user in users {
                scores.withUnsafeMutableBufferPointer { buffer in
                    if domain == target {
                        model.scoreAll(user: user, into: buffer)
                    } else {
                        _ = model.crossDomain!.scoreOtherDomain(dataset.domains[domain].name, user: user, into: buffer)
                    }
                }
                for item in 0..<itemCount { excluded[item] = scores[item].isNaN || scores[item].isInfinite }
                for item in consumed[0][user] ?? [] { excluded[Int(item)] = true }
                scores.withUnsafeBufferPointer { scoreBuffer in
                    excluded.withUnsafeBufferPointer { _ = selector.select(size, scores: scoreBuffer, excluded: $0) }
                }
                slates.append(selector.selectedItems.map { SlateItem(domain: domain, item: $0) })
            }
            return slates
        }
        for user in users {
            var scores: [[Float]] = []
            var excluded: [[Bool]] = []
            for (position, domain) in domains.enumerated() {
                var domainScores = [Float](repeating: 0, count: dataset.domains[domain].items.count)
                domainScores.withUnsafeMutableBufferPointer { buffer in
                    if domain == target {
                        model.scoreAll(user: user, into: buffer)
                    } else {
                        _ = model.crossDomain!.scoreOtherDomain(dataset.domains[domain].name, user: user, into: buffer)
                    }
                }
                var mask = [Bool](repeating: false, count: domainScores.count)
                for item in consumed[position][user] ?? [] { mask[Int(item)] = true }
                scores.append(domainScores)
                excluded.append(mask)
            }
            let minimum: Int
            switch mode {
            case .mixed(let perDomain): minimum = perDomain
            case .domain: minimum = 0
            }
            slates.append(
                MixedSlate.build(scores: scores, excluded: excluded, size: size, minimumPerDomain: minimum).map {
                    SlateItem(domain: domains[$0.domain], item: $0.item)
                })
        }
        return slates
    }
}
