import Foundation

/// Runs a closure on its own thread (so two stores really run at the same time, whatever the
/// width of the concurrency pool); `join()` waits for it and rethrows its error.
final class TestThread: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written by the thread before `finished` is signalled, read after `wait()`.
    private var failure: (any Error)?

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { failure = error }
            finished.signal()
        }
        thread.start()
    }

    func join() throws {
        finished.wait()
        if let failure { throw failure }
    }
}
