import Dispatch
import Foundation

/// SIGINT and SIGTERM as a flag the I/O loops poll: the first signal asks for a graceful
/// shutdown (finish or hand back trials, flush the store); a second one exits at once.
public final class ShutdownSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []

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
                self.lock.unlock()
                if second {
                    FileHandle.standardError.write(Data("crossrec: second signal, exiting now\n".utf8))
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
