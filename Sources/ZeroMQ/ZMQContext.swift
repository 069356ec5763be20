import CZeroMQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A libzmq context (`zmq_ctx_new`): the I/O threads and the `inproc://` namespace that sockets share.
///
/// - Threading: libzmq contexts are thread-safe, so this class is `Sendable`: share one context
///   among all threads of a process and create each thread's sockets from it.
/// - Lifetime: every `ZMQSocket` keeps its context alive, so `deinit` runs only after all sockets
///   of the context were released. `deinit` calls `zmq_ctx_term`, which waits for each closed
///   socket's linger period to flush pending outgoing messages; set `linger` to bound that wait.
/// - Shutdown: `shutdown()` makes blocking calls on every socket of the context return `ETERM`
///   (`ZMQError.isContextTerminated`), from any thread; the owners then close their sockets.
/// - Termination: `terminate()` does what `deinit` does, now: a process about to exit calls it
///   after closing its sockets, so their last messages (a goodbye) leave within their linger
///   even while something else still holds a reference to the context.
public final class ZMQContext: @unchecked Sendable {
    // @unchecked: the libzmq handle (every zmq_ctx_* call is thread-safe) and `terminated`,
    // guarded by `lock`.
    let handle: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var terminated = false

    /// Creates a context.
    /// - Parameter ioThreads: libzmq I/O threads (`ZMQ_IO_THREADS`); `nil` keeps libzmq's default of 1.
    ///   One thread handles about a gigabyte per second; more only help with many busy TCP connections.
    public init(ioThreads: Int? = nil) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else {
            throw ZMQError.last("zmq_ctx_new()")
        }
        if let ioThreads {
            guard let value = Int32(exactly: ioThreads), value >= 0 else {
                zmq_ctx_term(handle)
                throw ZMQError(
                    operation: "zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))",
                    code: EINVAL,
                    message: "ioThreads must be between 0 and \(Int32.max), got \(ioThreads)"
                )
            }
            if zmq_ctx_set(handle, ZMQ_IO_THREADS, value) != 0 {
                let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS, \(value))")
                zmq_ctx_term(handle)
                throw error
            }
        }
        self.handle = handle
    }

    /// The number of libzmq I/O threads (`ZMQ_IO_THREADS`).
    public var ioThreads: Int {
        Int(zmq_ctx_get(handle, ZMQ_IO_THREADS))
    }

    /// Shuts the context down (`zmq_ctx_shutdown`): blocking calls on its sockets return `ETERM`,
    /// as do all later calls except closing. Idempotent; callable from any thread.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        // Fails only with EFAULT for an invalid handle, which cannot happen here.
        if !terminated { _ = zmq_ctx_shutdown(handle) }
    }

    /// Terminates the context (`zmq_ctx_term`) now: waits for every socket of it to be closed
    /// and for their linger periods, then frees it. Call it only once every socket is closed
    /// (it blocks until they are). Afterwards `socket(_:)` throws `ETERM`. Idempotent.
    public func terminate() {
        lock.lock()
        defer { lock.unlock() }
        guard !terminated else { return }
        terminated = true
        // Retry on EINTR as the libzmq manual asks.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// Opens a socket of `type` in this context; see `ZMQSocket.init(context:type:)`.
    public func socket(_ type: ZMQSocketType) throws(ZMQError) -> ZMQSocket {
        lock.lock()
        let isTerminated = terminated
        lock.unlock()
        guard !isTerminated else {
            throw ZMQError(operation: "zmq_socket", code: ETERM, message: "the context was terminated")
        }
        return try ZMQSocket(context: self, type: type)
    }

    deinit {
        // All sockets are closed by now (each keeps its context alive), so zmq_ctx_term only waits
        // for their linger periods.
        terminate()
    }
}
