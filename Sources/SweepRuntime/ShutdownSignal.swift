import Dispatch
import Foundation

/// SIGINT and SIGTERM as a flag the I/O loops poll: the first signal asks for a graceful
/// shutdown (finish or hand back trials, flush the store); a second one exits at once.
public final class ShutdownSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []
    private var wakeUps: [@Sendable () -> Void] = []

    public init() {}

    /// Starts listening for SIGINT and SIGTERM.
    public func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let second = self.requested
                self.requested = true
                let wakeUps = self.wakeUps
                self.lock.unlock()
                if second {
                    FileHandle.standardError.write(Data("crossrec: second signal, exiting now\n".utf8))
                    exit(130)
                }
                for wakeUp in wakeUps { wakeUp() }
            }
            source.resume()
            sources.append(source)
        }
    }

    public func request() {
        lock.lock()
        requested = true
        let wakeUps = self.wakeUps
        lock.unlock()
        for wakeUp in wakeUps { wakeUp() }
    }

    /// Calls `action` (on the signal's queue, or in `request()`'s caller) whenever a shutdown is
    /// requested, so a loop blocked in a poll can be woken at once instead of at its next timeout.
    public func onRequest(_ action: @escaping @Sendable () -> Void) {
        lock.lock()
        wakeUps.append(action)
        lock.unlock()
    }

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
