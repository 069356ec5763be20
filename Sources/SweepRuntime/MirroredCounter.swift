import Prometheus
import Synchronization

/// A Prometheus counter that follows a running total kept elsewhere (a core's refusal counts, a
/// trial runner's cache lookups): ``follow(_:)`` adds what the total gained since the last call,
/// so the owner of the total stays free of metrics and a scrape never sees the counter go down.
///
/// - Contract: totals only grow; a total below the last one followed is ignored (the counter
///   keeps its value), so an owner that starts over cannot make the counter fall.
/// - Threading: `follow` may be called from any thread; the counter is read by the registry.
final class MirroredCounter: Sendable {
    let counter: Counter
    private let followed = Mutex<Int>(0)

    init(_ counter: Counter) { self.counter = counter }

    /// Adds `total` minus the last total followed, when positive.
    func follow(_ total: Int) {
        followed.withLock { last in
            guard total > last else { return }
            counter.increment(by: Int64(total - last))
            last = total
        }
    }
}
