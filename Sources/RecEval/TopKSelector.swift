/// Partial selection of the K best items of a score buffer, with a heap that is reused across calls.
///
/// Ranking order, used by every top-K metric in this module: item `a` ranks before item `b` when
/// `s(a) > s(b)`, or when `s(a) == s(b)` and `a < b` (**ties are broken by the smaller item index**).
/// A NaN score counts as −∞ (below every number, tied with −∞). Items whose `excluded` flag is set
/// never appear. The order is total, so the selection is deterministic.
///
/// The heap keeps the K best items seen so far with the worst of them at the root; an item enters
/// only when it beats the root. Because items are scanned in ascending index order, an item tied
/// with the root never beats it.
/// - Complexity: O(n + m log K) time for n items, where m ≤ n is the number of heap replacements
///   (O(n log K) in the worst case, close to O(n) for typical score buffers), plus O(K log K) to
///   order the selection. No allocation once the selector has held K items.
public struct TopKSelector: Sendable {
    /// Item indices; after ``select(_:scores:excluded:)`` the first ``count`` are ordered best first.
    private var items: [Int32]
    /// Scores of `items`, NaN replaced by −∞.
    private var keys: [Float]
    /// Number of selected items (K, or fewer when fewer items are eligible).
    public private(set) var count = 0
    /// NaN scores among the non-excluded items of the last selection (a scorer that left items unset).
    public private(set) var nanCount = 0

    /// - Parameter capacity: the largest K expected; the buffers grow on demand otherwise.
    public init(capacity: Int = 0) {
        items = [Int32](repeating: 0, count: max(0, capacity))
        keys = [Float](repeating: 0, count: max(0, capacity))
    }

    /// The selected items, best first.
    public var selectedItems: ArraySlice<Int32> { items[0..<count] }
    /// The scores of ``selectedItems`` (NaN reported as −∞).
    public var selectedScores: ArraySlice<Float> { keys[0..<count] }

    /// Whether (`scoreA`, `itemA`) ranks before (`scoreB`, `itemB`); scores must not be NaN.
    @inline(__always)
    public static func ranksBefore(_ scoreA: Float, _ itemA: Int32, _ scoreB: Float, _ itemB: Int32) -> Bool {
        scoreA > scoreB || (scoreA == scoreB && itemA < itemB)
    }

    /// The ranking key of a score: the score itself, or −∞ for NaN.
    @inline(__always)
    public static func key(_ score: Float) -> Float { score.isNaN ? -Float.infinity : score }

    /// Selects the `k` best items of `scores` that `excluded` does not flag, and orders them best first.
    ///
    /// - Parameters:
    ///   - k: how many items to keep (k ≥ 0); fewer are kept when fewer are eligible.
    ///   - scores: one score per item; item `i` is `scores[i]`.
    ///   - excluded: nil, or one flag per item (true: never selected).
    /// - Returns: the number of selected items, `min(k, eligible items)`.
    @discardableResult
    public mutating func select(
        _ k: Int, scores: UnsafeBufferPointer<Float>, excluded: UnsafeBufferPointer<Bool>?
    ) -> Int {
        precondition(k >= 0, "TopKSelector: k must be non-negative, got \(k)")
        precondition(
            excluded == nil || excluded!.count == scores.count,
            "TopKSelector: \(excluded?.count ?? 0) exclusion flags for \(scores.count) scores")
        if items.count < k {
            items = [Int32](repeating: 0, count: k)
            keys = [Float](repeating: 0, count: k)
        }
        var selected = 0
        var nans = 0
        items.withUnsafeMutableBufferPointer { heapItems in
            keys.withUnsafeMutableBufferPointer { heapKeys in
                guard k > 0 else { return }
                for index in 0..<scores.count {
                    if let excluded, excluded[index] { continue }
                    let raw = scores[index]
                    if raw.isNaN { nans += 1 }
                    let key = Self.key(raw)
                    let item = Int32(truncatingIfNeeded: index)
                    if selected < k {
                        heapKeys[selected] = key
                        heapItems[selected] = item
                        selected += 1
                        Self.siftUp(heapKeys, heapItems, from: selected - 1)
                    } else if key > heapKeys[0] {
                        // Equal keys never replace the root: the root's item index is smaller.
                        heapKeys[0] = key
                        heapItems[0] = item
                        Self.siftDown(heapKeys, heapItems, from: 0, count: selected)
                    }
                }
                // Heap sort: moving the worst to the end leaves the selection ordered best first.
                var end = selected
                while end > 1 {
                    end -= 1
                    heapKeys.swapAt(0, end)
                    heapItems.swapAt(0, end)
                    Self.siftDown(heapKeys, heapItems, from: 0, count: end)
                }
            }
        }
        count = selected
        nanCount = nans
        return selected
    }

    /// Array convenience for tests and small inputs: the `k` best items, best first.
    public mutating func select(_ k: Int, scores: [Float], excluded: [Bool]? = nil) -> [Int32] {
        scores.withUnsafeBufferPointer { scoreBuffer in
            if let excluded {
                excluded.withUnsafeBufferPointer { _ = select(k, scores: scoreBuffer, excluded: $0) }
            } else {
                select(k, scores: scoreBuffer, excluded: nil)
            }
        }
        return Array(selectedItems)
    }

    /// The 1-based rank of `item` in the full ranking of the non-excluded items (1 + the number of
    /// eligible items ranking before it). `item` itself need not be eligible.
    /// - Complexity: O(n), no allocation.
    public static func rank(
        of item: Int32, scores: UnsafeBufferPointer<Float>, excluded: UnsafeBufferPointer<Bool>?
    ) -> Int {
        let itemKey = key(scores[Int(item)])
        var before = 0
        for index in 0..<scores.count {
            if let excluded, excluded[index] { continue }
            if ranksBefore(key(scores[index]), Int32(truncatingIfNeeded: index), itemKey, item) { before += 1 }
        }
        return before + 1
    }

    // MARK: Heap (root = worst kept item)

    /// Whether entry `a` is worse than entry `b` (ranks after it).
    @inline(__always)
    private static func worse(
        _ keys: UnsafeMutableBufferPointer<Float>, _ items: UnsafeMutableBufferPointer<Int32>, _ a: Int, _ b: Int
    ) -> Bool {
        ranksBefore(keys[b], items[b], keys[a], items[a])
    }

    @inline(__always)
    private static func siftUp(
        _ keys: UnsafeMutableBufferPointer<Float>, _ items: UnsafeMutableBufferPointer<Int32>, from start: Int
    ) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(keys, items, child, parent) else { return }
            keys.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    @inline(__always)
    private static func siftDown(
        _ keys: UnsafeMutableBufferPointer<Float>, _ items: UnsafeMutableBufferPointer<Int32>, from start: Int,
        count: Int
    ) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            let right = left + 1
            if right < count && worse(keys, items, right, left) { worst = right }
            guard worse(keys, items, worst, parent) else { return }
            keys.swapAt(worst, parent)
            items.swapAt(worst, parent)
            parent = worst
        }
    }
}
