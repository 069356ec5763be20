import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 endpoint for Prometheus scrapes: `GET /metrics` answers the exposition
/// text, anything else 404 (405 for other methods); every answer closes the connection. One
/// thread accepts and answers in turn: a scrape is a few kilobytes, built in microseconds, and
/// serving it must never touch the coordinator's loop or its store. A request head over 8 KiB
/// or slower than 2 s is dropped, so a stuck or hostile client cannot hold the thread.
public final class MetricsServer: @unchecked Sendable {
    public let host: String
    public let port: UInt16
    private let listener: Int32
    private let body: @Sendable () -> String
    private let lock = NSLock()
    private var stopped = false

    /// Binds `address` (`HOST:PORT`, IPv4; port 0 picks a free one) and serves `body` from a thread.
    public init(address: String, body: @escaping @Sendable () -> String) throws {
        guard let colon = address.lastIndex(of: ":"), let requested = UInt16(address[address.index(after: colon)...]) else {
            throw RuntimeError("--metrics must be HOST:PORT (e.g. 127.0.0.1:9464), got '\(address)'")
        }
        let hostText = String(address[..<colon])
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = requested.bigEndian
        guard inet_pton(AF_INET, hostText, &socketAddress.sin_addr) == 1 else {
            throw RuntimeError("--metrics: '\(hostText)' is not an IPv4 address (e.g. 127.0.0.1 or 0.0.0.0)")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RuntimeError("--metrics: cannot open a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw RuntimeError("--metrics: cannot listen on \(address): \(reason)")
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        host = hostText
        port = UInt16(bigEndian: actual.sin_port)
        listener = fd
        self.body = body
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "metrics"
        thread.start()
    }

    /// `http://HOST:PORT/metrics`.
    public var url: String { "http://\(host):\(port)/metrics" }

    /// Stops accepting; the thread ends. Idempotent.
    ///
    /// Only shuts the listening socket down (which wakes a blocked `accept`); the accepting thread
    /// closes it on its way out. Closing it here would free the descriptor number while the thread
    /// may be just about to call `accept` with it again: a socket opened meanwhile elsewhere in the
    /// process (a ZeroMQ listener, another server) would get that number and the thread would
    /// accept its connections.
    public func stop() {
        let wasStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            if lock.withLock({ stopped }) {
                close(connection)
                return
            }
            answer(connection)
            close(connection)
        }
    }

    private func answer(_ connection: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while head.count < 8192 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            head += buffer[0..<count]
            if head.count >= 4 && head.suffix(4) == [13, 10, 13, 10] { break }
        }
        let requestLine = String(decoding: head.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let (status, type, text): (String, String, String)
        if parts.count >= 2 && parts[0] != "GET" && parts[0] != "HEAD" {
            (status, type, text) = ("405 Method Not Allowed", "text/plain", "only GET /metrics\n")
        } else if parts.count >= 2 && (parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?")) {
            (status, type, text) = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", body())
        } else {
            (status, type, text) = ("404 Not Found", "text/plain", "metrics are at /metrics\n")
        }
        let payload = Array(text.utf8)
        let response = Array(
            "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n".utf8)
            + (parts.first == "HEAD" ? [] : payload)
        var sent = 0
        while sent < response.count {
            let count = response[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
