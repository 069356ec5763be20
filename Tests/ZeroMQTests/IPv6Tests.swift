import Foundation
import Testing
import ZeroMQ

/// `ZMQ_IPV6`: what a coordinator bound to `tcp://[::1]:PORT` needs.
@Suite("IPv6")
struct IPv6Tests {
    /// Whether this machine has the IPv6 loopback address (a container may have IPv6 disabled).
    static let hasIPv6Loopback: Bool = {
        guard let table = try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8) else {
            return !FileManager.default.fileExists(atPath: "/proc/net")  // not Linux: ::1 is always there
        }
        return table.contains("00000000000000000000000000000001")
    }()

    @Test func theOptionRoundTripsAndIsOffByDefault() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .router)
        #expect(try socket.ipv6 == false)
        try socket.setIPv6(true)
        #expect(try socket.ipv6)
        try socket.setIPv6(false)
        #expect(try socket.ipv6 == false)
    }

    @Test func withoutTheOptionAnIPv6AddressIsRefused() throws {
        let context = try ZMQContext()
        let socket = try makeTestSocket(context, .router)
        let error = #expect(throws: ZMQError.self) { try socket.bind("tcp://[::1]:0") }
        #expect(error?.code == ENODEV, "\(error.map { "\($0)" } ?? "")")
    }

    @Test(.enabled(if: hasIPv6Loopback, "needs the IPv6 loopback address ::1"))
    func bindsTheIPv6LoopbackWithAFreePortAndCarriesMessages() throws {
        let context = try ZMQContext()
        let router = try makeTestSocket(context, .router)
        try router.setIPv6(true)
        try router.bind("tcp://[::1]:0")
        let endpoint = try #require(try router.lastEndpoint)
        #expect(endpoint.hasPrefix("tcp://[::1]:"), "\(endpoint)")
        #expect(Int(endpoint.split(separator: ":").last ?? "").map { $0 > 0 } == true, "a real port in \(endpoint)")

        let dealer = try makeTestSocket(context, .dealer)
        try dealer.setIPv6(true)
        try dealer.setRoutingID("w6")
        try dealer.connect(endpoint)
        #expect(try dealer.send("hello over ::1"))
        let frames = try #require(try router.receiveMultipart())
        #expect(frames.map { String(decoding: $0, as: UTF8.self) } == ["w6", "hello over ::1"])
    }
}
