/// The identifier of one MIND impression, as `behaviors.tsv` writes it in its first field.
///
/// Official files number impressions `1, 2, 3, …`; anything else is kept as text.
public enum MINDImpressionID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case text(String)

    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .text(let value): return value
        }
    }
}

/// The impressions of one MIND split (`train`, `dev` or `test`), stored as columns.
///
/// Impression `k` was shown to user `users[k]` (an index into the data set's user ``IDMap``) at
/// `times[k]` (Unix seconds, UTC). Its click history is `history[historyStarts[k]..<historyEnds[k]]`
/// and its candidates are `candidates[candidateStarts[k]..<candidateStarts[k + 1]]` with the
/// matching `labels` (1 clicked, 0 shown and not clicked, -1 unlabeled as in the test set).
/// News ids are indices into the data set's news ``IDMap``.
///
/// MIND repeats a user's whole history on every impression of that user; consecutive impressions
/// of one user whose histories are equal share one range of `history`, so history ranges may
/// overlap and `history.count` can be smaller than the sum of history lengths.
/// - Complexity: memory is 8 bytes (id) + 4 (user) + 8 (time) + 24 (offsets) per impression, plus
///   4 bytes per distinct history run and 5 bytes per candidate.
public struct MINDImpressionLog: Sendable, Equatable {
    /// `train`, `dev` or `test`.
    public let split: String
    /// Numeric impression ids; meaningless at positions where `textIDs` is in use.
    public private(set) var numericIDs: [Int64] = []
    /// All impression ids as text, or nil while every id is a canonical decimal number.
    public private(set) var textIDs: [String]? = nil
    public private(set) var users: [Int32] = []
    public private(set) var times: [Int64] = []
    public private(set) var historyStarts: [Int] = []
    public private(set) var historyEnds: [Int] = []
    public private(set) var history: [Int32] = []
    /// `count + 1` offsets into `candidates` and `labels`.
    public private(set) var candidateStarts: [Int] = [0]
    public private(set) var candidates: [Int32] = []
    public private(set) var labels: [Int8] = []

    public init(split: String) {
        self.split = split
    }

    /// Renumbers users: user `u` becomes `map[u]` (for a MIND log joined with another domain).
    public mutating func mapUsers(_ map: [Int32]) {
        users = users.map { $0 >= 0 && Int($0) < map.count ? map[Int($0)] : $0 }
    }

    /// Number of impressions.
    public var count: Int { users.count }
    public var isEmpty: Bool { users.isEmpty }

    /// Whether the candidates carry click labels (false for the test set).
    public var isLabeled: Bool { labels.contains { $0 >= 0 } }

    /// Number of clicked candidates (labels equal to 1).
    public var clickCount: Int { labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) } }

    public func impressionID(at index: Int) -> MINDImpressionID {
        if let textIDs { return .text(textIDs[index]) }
        return .number(numericIDs[index])
    }

    public func historyRange(of index: Int) -> Range<Int> { historyStarts[index]..<historyEnds[index] }
    public func candidateRange(of index: Int) -> Range<Int> { candidateStarts[index]..<candidateStarts[index + 1] }

    /// News indices the user clicked before impression `index`.
    public func history(of index: Int) -> ArraySlice<Int32> { history[historyRange(of: index)] }
    /// News indices shown in impression `index`, in the order the file lists them.
    public func candidates(of index: Int) -> ArraySlice<Int32> { candidates[candidateRange(of: index)] }
    public func labels(of index: Int) -> ArraySlice<Int8> { labels[candidateRange(of: index)] }

    /// Sum of the history lengths over all impressions (counting shared ranges once per impression).
    public var totalHistoryLength: Int {
        var total = 0
        for k in 0..<count { total += historyEnds[k] - historyStarts[k] }
        return total
    }

    /// One interaction per clicked candidate: (user, news, 1, impression time), in file order.
    public func clicks() -> Interactions {
        var result = Interactions()
        result.reserveCapacity(clickCount)
        for k in 0..<count {
            for slot in candidateRange(of: k) where labels[slot] == 1 {
                result.append(user: users[k], item: candidates[slot], value: 1, timestamp: times[k])
            }
        }
        return result
    }

    // MARK: Building

    mutating func reserveCapacity(impressions: Int, candidates candidateCapacity: Int) {
        numericIDs.reserveCapacity(impressions)
        users.reserveCapacity(impressions)
        times.reserveCapacity(impressions)
        historyStarts.reserveCapacity(impressions)
        historyEnds.reserveCapacity(impressions)
        candidateStarts.reserveCapacity(impressions + 1)
        candidates.reserveCapacity(candidateCapacity)
        labels.reserveCapacity(candidateCapacity)
    }

    /// Starts an impression; its history and candidates follow with the `append…` calls below.
    mutating func beginImpression(id: MINDImpressionID, user: Int32, time: Int64) {
        switch id {
        case .number(let value):
            numericIDs.append(value)
            textIDs?.append(String(value))
        case .text(let value):
            if textIDs == nil { textIDs = numericIDs.map { String($0) } }
            numericIDs.append(0)
            textIDs!.append(value)
        }
        users.append(user)
        times.append(time)
        historyStarts.append(history.count)
        historyEnds.append(history.count)
    }

    @inline(__always)
    mutating func appendHistory(_ news: Int32) {
        history.append(news)
        historyEnds[historyEnds.count - 1] = history.count
    }

    /// Makes the current impression use the history range `range` when its own freshly appended
    /// history equals it, releasing the copy. Returns whether the range was shared.
    @discardableResult
    mutating func shareHistory(with range: Range<Int>) -> Bool {
        let last = count - 1
        let start = historyStarts[last]
        let length = history.count - start
        guard range.count == length, range.upperBound <= start else { return false }
        var index = 0
        while index < length {
            if history[range.lowerBound + index] != history[start + index] { return false }
            index += 1
        }
        history.removeLast(length)
        historyStarts[last] = range.lowerBound
        historyEnds[last] = range.upperBound
        return true
    }

    @inline(__always)
    mutating func appendCandidate(_ news: Int32, label: Int8) {
        candidates.append(news)
        labels.append(label)
    }

    /// Ends the current impression.
    mutating func endImpression() {
        candidateStarts.append(candidates.count)
    }
}
