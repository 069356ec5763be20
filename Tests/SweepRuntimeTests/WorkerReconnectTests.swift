import Foundation
import Testing

@testable import SweepRuntime

/// The worker shell must keep checking liveness while no coordinator answers: every
/// `heartbeat × liveness` it reconnects (a new TCP connection) and sends `reattach` again.
///
/// Regression: the shell kept the earliest of the wake-ups the core asked for, while the core does
/// not repeat a request. After a reconnect the core asked for a slightly later wake-up than the
/// one the liveness tick had just requested; the shell fired the earlier one, the core had nothing
/// due yet and, having already asked for the later one, asked for nothing more. The worker then
/// never ticked again until a message arrived: after a network cut it did not reconnect on its
/// own (seen in cluster/netns-test.sh: one "coordinator lost" warning, then silence for the rest
/// of the cut). Against a silent listener it made 1–3 connections in 2.3 s instead of about 8.
@Suite("Worker reconnects", .serialized)
struct WorkerReconnectTests {
    /// A TCP listener on 127.0.0.1 that accepts connections and never speaks: a coordinator
    /// that is unreachable at the protocol level.
    final class SilentListener: @unchecked Sendable {
        let descriptor: Int32
        let port: UInt16
        private let lock = NSLock()
        private var accepted: [Int32] = []
        private var stopped = false

        init() throws {
            let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard listening >= 0 else { throw RuntimeError("socket: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(listening, raw, length) == 0 && listen(listening, 64) == 0
                        && getsockname(listening, raw, &length) == 0
                }
            }
            guard bound else {
                close(listening)
                throw RuntimeError("bind/listen on 127.0.0.1: errno \(errno)")
            }
            descriptor = listening
            port = UInt16(bigEndian: address.sin_port)
            Thread { [self] in acceptUntilStopped() }.start()
        }

        /// Closes the listening socket when it ends (not `stop()`, which would free the descriptor
        /// number while this thread may still be about to accept on it).
        private func acceptUntilStopped() {
            defer { close(descriptor) }
            while true {
                let connection = accept(descriptor, nil, nil)
                lock.lock()
                defer { lock.unlock() }
                if stopped || connection < 0 {
                    if connection >= 0 { close(connection) }
                    return
                }
                accepted.append(connection)
            }
        }

        var connections: Int {
            lock.lock()
            defer { lock.unlock() }
            return accepted.count
        }

        func stop() {
            lock.lock()
            stopped = true
            for connection in accepted { close(connection) }
            lock.unlock()
            shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }

    /// The worker thread's result, handed to the test thread.
    final class Outcome: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<Void, any Error>?

        func set(_ result: Result<Void, any Error>) {
            condition.lock()
            self.result = result
            condition.broadcast()
            condition.unlock()
        }

        func wait(timeout seconds: Double) -> Result<Void, any Error>? {
            let deadline = Date().addingTimeInterval(seconds)
            condition.lock()
            defer { condition.unlock() }
            while result == nil && condition.wait(until: deadline) {}
            return result
        }
    }

    @Test func aWorkerThatHearsNothingKeepsReconnectingEveryLivenessPeriod() throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        var options = WorkerService.Options(endpoint: "tcp://127.0.0.1:\(listener.port)", workerID: "lonely")
        options.heartbeatInterval = .milliseconds(100)  // liveness: 3 × 100 ms
        let shutdown = ShutdownSignal()
        let outcome = Outcome()
        let thread = Thread { [options] in
            outcome.set(Result { _ = try WorkerService(options: options, shutdown: shutdown).run() })
        }
        thread.start()

        // One reconnect per 300 ms makes 5 connections in about 1.5 s; the stalled worker made 1–3
        // in 2.3 s and then none at all.
        let reconnected = eventually(.seconds(10)) { listener.connections >= 5 }
        shutdown.request()
        let exit = outcome.wait(timeout: 10)

        #expect(reconnected, "only \(listener.connections) connection(s) in 10 s: the worker stopped checking liveness")
        switch exit {
        case nil: Issue.record("the worker did not exit within 10 s of a shutdown request")
        case .failure(let error): Issue.record("the worker failed: \(error)")
        case .success: break
        }
    }

    /// A shutdown request wakes the worker's poll at once. With heartbeats and the poll's safety
    /// net both at 60 s nothing else would wake it for a minute; it must be gone within seconds.
    @Test func aShutdownRequestWakesAnIdleWorkerAtOnce() throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        var options = WorkerService.Options(endpoint: "tcp://127.0.0.1:\(listener.port)", workerID: "sleepy")
        options.heartbeatInterval = .seconds(60)
        options.pollCap = .seconds(60)
        let shutdown = ShutdownSignal()
        let outcome = Outcome()
        let thread = Thread { [options] in
            outcome.set(Result { _ = try WorkerService(options: options, shutdown: shutdown).run() })
        }
        thread.start()
        // Let it connect and say hello; then it sleeps in its poll, with nothing to wake it for 60 s.
        #expect(eventually(.seconds(10)) { listener.connections >= 1 })
        shutdown.request()
        switch outcome.wait(timeout: 15) {
        case nil: Issue.record("the worker slept through the shutdown request (still running 15 s later)")
        case .failure(let error): Issue.record("the worker failed: \(error)")
        case .success: break
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(_ timeout: Duration, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}
