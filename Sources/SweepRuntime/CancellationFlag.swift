import Foundation

/// A flag the worker's protocol thread sets and the training thread polls between epochs, or
/// waits on (the built-in `sleep` trial).
public final class CancellationFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false

    public init() {}

    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Blocks until cancelled or until `duration` has passed; returns whether it was cancelled.
    /// One timed wait instead of polling, so a 50 ms trial sleeps 50 ms, not 5 overrun naps.
    public func wait(for duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled {
            if !condition.wait(until: deadline) { break }
        }
        return cancelled
    }
}
