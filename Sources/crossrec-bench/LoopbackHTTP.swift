import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `GET` over a plain IPv4 loopback socket, one request per connection (`Connection: close`), as
/// Prometheus scrapes and as the benchmarks time a server: no proxy settings, no client library.
enum LoopbackHTTP {
    /// `GET path` on 127.0.0.1:`port` with extra header lines (`Name: value\r\n` each); the
    /// answer's size in bytes. Throws when nothing answers in 30 s or the status is not 200.
    static func get(port: UInt16, path: String, headers: String = "") throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchmarkError("cannot connect to 127.0.0.1:\(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\(headers)\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { throw BenchmarkError("GET \(path): no answer in 30 s") }
            if count == 0 { break }
            response += buffer[0..<count]
        }
        guard response.starts(with: Array("HTTP/1.1 200".utf8)) else {
            throw BenchmarkError("GET \(path): \(String(decoding: response.prefix(120), as: UTF8.self))")
        }
        return response.count
    }
}
