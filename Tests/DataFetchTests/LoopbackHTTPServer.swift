import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP/1.1 file server on 127.0.0.1 (an ephemeral port) for fetcher tests.
///
/// Serves `GET` for the paths registered with ``serve(_:_:honorsRange:)``: 200 with the whole body, or,
/// for `Range: bytes=N-`, 206 with `Content-Range` (416 with `bytes */size` when N ≥ size). Unknown paths
/// get 404. Every response closes the connection. ``cutNextResponse(to:afterBytes:)`` makes the next answer
/// for a path announce its full length but stop after N body bytes, like a dropped connection;
/// ``stallNextResponse(to:afterBytes:)`` keeps that connection open and silent until ``stop()``.
/// Every request is recorded. One thread accepts, one thread serves each connection; ``stop()`` ends both.
final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as the server saw it.
    struct Request: Sendable, Equatable {
        var method: String
        var path: String
        var range: String?
    }

    private enum Interruption {
        case cut(afterBytes: Int)
        case stall(afterBytes: Int)
    }

    private struct Route {
        var body: Data
        var honorsRange: Bool
        var interruption: Interruption?
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var routes: [String: Route] = [:]
    private var requests: [Request] = []
    private var stopped = false

    /// The server's root URL, `http://127.0.0.1:<port>/`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    /// Ports earlier servers of this process listened on. A new server never takes one of them, so a
    /// request can only reach the server whose port it names. (Added for a flake first blamed on
    /// kept-alive connections; the cause was the accept-thread race fixed in ``stop()``. Kept: it
    /// costs nothing and rules the port out as a suspect.)
    nonisolated(unsafe) private static var usedPorts: Set<UInt16> = []
    private static let usedPortsLock = NSLock()

    init() throws {
        var rejected: [Int32] = []
        defer { for fd in rejected { close(fd) } }
        while true {
            let (fd, port) = try Self.bindEphemeral()
            let fresh = Self.usedPortsLock.withLock { Self.usedPorts.insert(port).inserted }
            if fresh || rejected.count >= 64 {
                self.listener = fd
                self.port = port
                break
            }
            rejected.append(fd)  // kept open until a fresh port is bound, so the kernel skips it
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A listening socket on 127.0.0.1 and the ephemeral port the kernel gave it.
    private static func bindEphemeral() throws -> (Int32, UInt16) {
        #if canImport(Glibc)
            let streamType = Int32(SOCK_STREAM.rawValue)
        #else
            let streamType = SOCK_STREAM
        #endif
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        var actual = sockaddr_in()
        var actualLength = length
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }

    /// Serves `body` at `path` (for example `/movielens/ml-100k.zip`). With `honorsRange: false` every
    /// request gets the whole body with 200, like a server without range support.
    func serve(_ path: String, _ body: Data, honorsRange: Bool = true) {
        lock.withLock { routes[path] = Route(body: body, honorsRange: honorsRange, interruption: nil) }
    }

    /// Makes the next response for `path` stop after `bytes` body bytes and close the connection.
    func cutNextResponse(to path: String, afterBytes bytes: Int) {
        lock.withLock { routes[path]?.interruption = .cut(afterBytes: bytes) }
    }

    /// Makes the next response for `path` send `bytes` body bytes, then nothing more until ``stop()``.
    func stallNextResponse(to path: String, afterBytes bytes: Int) {
        lock.withLock { routes[path]?.interruption = .stall(afterBytes: bytes) }
    }

    /// Every request received so far, in order.
    var recordedRequests: [Request] { lock.withLock { requests } }

    /// Stops accepting connections. Idempotent.
    func stop() {
        let wasStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        // On Linux, close() alone does not wake a thread blocked in accept(); shutdown() does. The
        // accepting thread closes the socket on its way out: closing it here freed the descriptor
        // number while that thread could still call accept() with it, so the next test's server,
        // given the same number, had its connections taken by this server's thread and answered
        // from this server's routes (the 404s "this server never saw" of zipSlipEntryIsRejected).
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            if lock.withLock({ stopped }) {
                close(connection)
                return
            }
            let thread = Thread { [self] in handle(connection) }
            thread.start()
        }
    }

    private func handle(_ connection: Int32) {
        defer {
            shutdown(connection, Int32(SHUT_WR))
            close(connection)
        }
        guard let head = readHead(connection) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var range: String?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "range" {
                range = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), range: range)
        let route: Route? = lock.withLock {
            requests.append(request)
            let route = routes[request.path]
            routes[request.path]?.interruption = nil
            return route
        }
        guard let route else {
            respond(connection, status: "404 Not Found", headers: [], body: Data("not found\n".utf8))
            return
        }
        let size = route.body.count
        if let range, route.honorsRange, let start = Self.rangeStart(range) {
            guard start < size else {
                respond(
                    connection, status: "416 Range Not Satisfiable", headers: ["Content-Range: bytes */\(size)"],
                    body: Data())
                return
            }
            respond(
                connection, status: "206 Partial Content",
                headers: ["Content-Range: bytes \(start)-\(size - 1)/\(size)"],
                body: route.body.subdata(in: start..<size), interruption: route.interruption)
        } else {
            respond(connection, status: "200 OK", headers: [], body: route.body, interruption: route.interruption)
        }
    }

    /// `bytes=N-` → N.
    private static func rangeStart(_ header: String) -> Int? {
        guard header.hasPrefix("bytes="), header.hasSuffix("-") else { return nil }
        return Int(header.dropFirst("bytes=".count).dropLast())
    }

    private func respond(
        _ connection: Int32, status: String, headers: [String], body: Data, interruption: Interruption? = nil
    ) {
        var head = "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        head += "Content-Type: application/octet-stream\r\n"
        for header in headers { head += header + "\r\n" }
        head += "\r\n"
        guard sendAll(connection, Data(head.utf8)) else { return }
        switch interruption {
        case nil:
            _ = sendAll(connection, body)
        case .cut(let bytes):
            _ = sendAll(connection, body.prefix(bytes))
        case .stall(let bytes):
            _ = sendAll(connection, body.prefix(bytes))
            while !lock.withLock({ stopped }) { usleep(10_000) }
        }
    }

    private func readHead(_ connection: Int32) -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let terminator = Data("\r\n\r\n".utf8)
        while received.range(of: terminator) == nil {
            guard received.count < 65_536 else { return nil }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    private func sendAll(_ connection: Int32, _ data: Data) -> Bool {
        #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { send(connection, $0.baseAddress! + offset, data.count - offset, flags) }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
