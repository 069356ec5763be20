import Foundation
import Testing

@testable import SweepRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Stopping the metrics endpoint must never touch a descriptor it no longer owns.
@Suite struct MetricsServerTests {
    /// `stop()` twice, with a pipe opened in between: the pipe takes the lowest free descriptor,
    /// which is the listener's old number once it is closed. A second `stop()` that closed the
    /// listener again would close the pipe instead (it did before the fix).
    @Test func stoppingTwiceLeavesOtherDescriptorsAlone() throws {
        let server = try MetricsServer(address: "127.0.0.1:0") { "" }
        server.stop()
        Thread.sleep(forTimeInterval: 0.05)  // the accepting thread closes the listener on its way out
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        server.stop()
        var byte: UInt8 = 7
        #expect(write(ends[1], &byte, 1) == 1, "the pipe is still open: errno \(errno)")
        var back: UInt8 = 0
        #expect(read(ends[0], &back, 1) == 1 && back == 7)
    }

    /// A server started after another one stopped answers its own requests, however quickly the
    /// second follows the first (the old accepting thread could take the new socket's number).
    @Test func aNewServerAnswersItsOwnRequests() throws {
        for round in 0..<50 {
            let old = try MetricsServer(address: "127.0.0.1:0") { "old \(round)\n" }
            old.stop()
            let new = try MetricsServer(address: "127.0.0.1:0") { "new \(round)\n" }
            defer { new.stop() }
            let answer = try Self.get(port: new.port)
            #expect(answer.hasSuffix("new \(round)\n"), "round \(round): \(answer)")
        }
    }

    static func get(port: UInt16) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RuntimeError("connect: errno \(errno)") }
        let request = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
