/// Counts of refused input (malformed frames, messages from unregistered connections, refused
/// identities, a full worker table) per reason and source over a reporting window, so a hostile
/// or broken peer costs one log line in full and then one summary line per window however much
/// it sends: `rejected 120000 malformed frames from connection 0a1b… in the last 10 s`.
///
/// Memory is bounded: at most `maxSources` distinct (reason, source) pairs per window; the rest
/// are counted under the source `other peers`. The core replies to a refused peer only for the
/// first refusal of each pair in a window, so a flood cannot make it queue replies either.
struct RejectionTally: Sendable {
    struct Key: Sendable, Hashable, Comparable {
        var reason: String
        var source: String

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.reason, lhs.source) < (rhs.reason, rhs.source) }
    }

    static let otherPeers = "other peers"

    let window: Duration
    let maxSources: Int
    private(set) var counts: [Key: Int] = [:]
    /// When the current window closes (nil while nothing was counted).
    private(set) var windowEndsAt: ProtocolInstant?

    init(window: Duration, maxSources: Int = 64) {
        self.window = window
        self.maxSources = maxSources
    }

    /// Counts one refusal. Returns true for the first of its pair in the window: log that one in
    /// full and answer the peer; stay silent about the rest until `close`.
    mutating func note(_ reason: String, source: String, now: ProtocolInstant) -> Bool {
        if windowEndsAt == nil { windowEndsAt = now + window }
        var key = Key(reason: reason, source: source)
        if counts[key] == nil, counts.count >= maxSources { key.source = Self.otherPeers }
        let previous = counts[key, default: 0]
        counts[key] = previous + 1
        return previous == 0
    }

    /// Ends the window if it is over by `now`: the pairs counted more than once, in order, with
    /// their counts (the first of each was already reported).
    mutating func close(now: ProtocolInstant) -> [(key: Key, count: Int)] {
        guard let end = windowEndsAt, end <= now else { return [] }
        let repeated = counts.filter { $0.value > 1 }.sorted { $0.key < $1.key }.map { (key: $0.key, count: $0.value) }
        counts.removeAll(keepingCapacity: true)
        windowEndsAt = nil
        return repeated
    }
}
