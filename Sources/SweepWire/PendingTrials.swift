/// The coordinator's pending trials, indexed by model: for each model, the indices (into the
/// sweep's trial table) of its pending trials, kept in *descending* order so the next one to
/// lease (the smallest index) is the last element.
///
/// Leasing for a worker looks only at the models that have pending trials and that the worker
/// runs, so its cost does not grow with the number of pending trials or with workers whose
/// models have nothing pending. Taking the next trial is O(models with pending trials); putting a
/// trial back is a binary search plus an insertion.
struct PendingTrials: Sendable {
    private var byModel: [String: [Int]] = [:]
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Adds every index of `indices` (which must be ascending) for `model`: the bulk load.
    mutating func load(_ ascending: [Int], model: String) {
        guard !ascending.isEmpty else { return }
        precondition(byModel[model] == nil, "PendingTrials.load called twice for model \(model)")
        byModel[model] = ascending.reversed()
        count += ascending.count
    }

    /// Puts `index` back in its place (nothing if it is there already).
    mutating func insert(_ index: Int, model: String) {
        let position: Int = {
            guard let queue = byModel[model] else { return 0 }
            var low = 0
            var high = queue.count
            while low < high {  // first position whose index is smaller (descending order)
                let middle = (low + high) / 2
                if queue[middle] > index { low = middle + 1 } else { high = middle }
            }
            return low
        }()
        if let queue = byModel[model], position < queue.count, queue[position] == index { return }
        byModel[model, default: []].insert(index, at: position)  // in place: no copy of the queue
        count += 1
    }

    /// The smallest pending index among `models`' trials, removed; nil if none of them has one.
    mutating func takeFirst(among models: Set<String>) -> Int? {
        var best: (model: String, index: Int)?
        for (model, queue) in byModel where models.contains(model) {
            guard let last = queue.last else { continue }
            if best == nil || last < best!.index { best = (model, last) }
        }
        guard let best else { return nil }
        byModel[best.model]!.removeLast()
        if byModel[best.model]!.isEmpty { byModel[best.model] = nil }
        count -= 1
        return best.index
    }

    /// Whether any of `models` has a pending trial. O(models with pending trials).
    func hasAny(among models: Set<String>) -> Bool {
        byModel.keys.contains { models.contains($0) }
    }
}
