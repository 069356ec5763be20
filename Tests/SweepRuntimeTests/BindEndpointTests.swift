import Testing

@testable import SweepRuntime

@Suite("Bind endpoint parsing")
struct BindEndpointTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var text: String
        var transport: BindEndpoint.Transport
        var host: String
        var port: Int?
        var isLoopback: Bool
        var isIPv6: Bool
        var zmqEndpoint: String
        var testDescription: String { text }
    }

    static let accepted: [Accepted] = [
        Accepted(text: "tcp://127.0.0.1:5555", transport: .tcp, host: "127.0.0.1", port: 5555, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.0.0.1:5555"),
        Accepted(text: "tcp://127.0.0.2:1", transport: .tcp, host: "127.0.0.2", port: 1, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.0.0.2:1"),
        Accepted(text: "tcp://127.255.255.254:0", transport: .tcp, host: "127.255.255.254", port: 0, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.255.255.254:0"),
        Accepted(text: "tcp://127.0.0.1:0", transport: .tcp, host: "127.0.0.1", port: 0, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.0.0.1:0"),
        Accepted(text: "tcp://127.0.0.1:65535", transport: .tcp, host: "127.0.0.1", port: 65535, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.0.0.1:65535"),
        Accepted(text: "tcp://localhost:5555", transport: .tcp, host: "localhost", port: 5555, isLoopback: true, isIPv6: false, zmqEndpoint: "tcp://127.0.0.1:5555"),
        Accepted(text: "tcp://[::1]:5555", transport: .tcp, host: "::1", port: 5555, isLoopback: true, isIPv6: true, zmqEndpoint: "tcp://[::1]:5555"),
        Accepted(text: "tcp://[::1]:0", transport: .tcp, host: "::1", port: 0, isLoopback: true, isIPv6: true, zmqEndpoint: "tcp://[::1]:0"),
        Accepted(text: "tcp://[0:0:0:0:0:0:0:1]:7", transport: .tcp, host: "0:0:0:0:0:0:0:1", port: 7, isLoopback: true, isIPv6: true, zmqEndpoint: "tcp://[0:0:0:0:0:0:0:1]:7"),
        Accepted(text: "tcp://[::ffff:127.0.0.1]:9", transport: .tcp, host: "::ffff:127.0.0.1", port: 9, isLoopback: true, isIPv6: true, zmqEndpoint: "tcp://[::ffff:127.0.0.1]:9"),
        Accepted(text: "tcp://0.0.0.0:24232", transport: .tcp, host: "0.0.0.0", port: 24232, isLoopback: false, isIPv6: false, zmqEndpoint: "tcp://0.0.0.0:24232"),
        Accepted(text: "tcp://10.213.0.1:5556", transport: .tcp, host: "10.213.0.1", port: 5556, isLoopback: false, isIPv6: false, zmqEndpoint: "tcp://10.213.0.1:5556"),
        Accepted(text: "tcp://128.0.0.1:5555", transport: .tcp, host: "128.0.0.1", port: 5555, isLoopback: false, isIPv6: false, zmqEndpoint: "tcp://128.0.0.1:5555"),
        Accepted(text: "tcp://[::]:5555", transport: .tcp, host: "::", port: 5555, isLoopback: false, isIPv6: true, zmqEndpoint: "tcp://[::]:5555"),
        Accepted(text: "tcp://[fd00::2]:5555", transport: .tcp, host: "fd00::2", port: 5555, isLoopback: false, isIPv6: true, zmqEndpoint: "tcp://[fd00::2]:5555"),
        Accepted(text: "tcp://[::ffff:10.0.0.1]:5555", transport: .tcp, host: "::ffff:10.0.0.1", port: 5555, isLoopback: false, isIPv6: true, zmqEndpoint: "tcp://[::ffff:10.0.0.1]:5555"),
        Accepted(text: "ipc:///tmp/crossrec.sock", transport: .ipc, host: "/tmp/crossrec.sock", port: nil, isLoopback: true, isIPv6: false, zmqEndpoint: "ipc:///tmp/crossrec.sock"),
        Accepted(text: "inproc://coordinator", transport: .inproc, host: "coordinator", port: nil, isLoopback: true, isIPv6: false, zmqEndpoint: "inproc://coordinator"),
    ]

    @Test(arguments: accepted)
    func parses(_ expected: Accepted) throws {
        let endpoint = try BindEndpoint(parsing: expected.text)
        #expect(endpoint.transport == expected.transport)
        #expect(endpoint.host == expected.host)
        #expect(endpoint.port == expected.port)
        #expect(endpoint.isLoopback == expected.isLoopback)
        #expect(endpoint.isIPv6 == expected.isIPv6)
        #expect(endpoint.zmqEndpoint == expected.zmqEndpoint)
        #expect(endpoint.description == expected.zmqEndpoint)
    }

    /// Each refused text and a phrase its error must contain (the problem, in the user's terms).
    static let refused: [(String, String)] = [
        // The bypass of issue 10: libzmq binds the address after ';' (0.0.0.0), the old check saw 127.0.0.1.
        ("tcp://127.0.0.1:1;0.0.0.0:24232", "source-address form"),
        ("tcp://127.0.0.1:5555,tcp://0.0.0.0:5555", "a list"),
        ("tcp://*:5555", "wildcard '*'"),
        ("tcp://eth0:5555", "'eth0' is an interface or host name"),
        ("tcp://lo:5555", "'lo' is an interface or host name"),
        ("tcp://example.com:5555", "'example.com' is an interface or host name"),
        ("tcp://LOCALHOST:5555", "interface or host name"),
        ("tcp://127.1:5555", "'127.1' is not an IPv4 address"),
        ("tcp://0177.0.0.1:5555", "not an IPv4 address"),
        ("tcp://256.0.0.1:5555", "not an IPv4 address"),
        ("tcp://127.0.0.1:65536", "port '65536' is not a number 0…65535"),
        ("tcp://127.0.0.1:-1", "port '-1'"),
        ("tcp://127.0.0.1:http", "port 'http'"),
        ("tcp://127.0.0.1:*", "port '*' is not accepted: use 0"),
        ("tcp://127.0.0.1:", "empty port"),
        ("tcp://127.0.0.1", "no port: add"),
        ("tcp://:5555", "no address"),
        ("tcp://::1:5555", "IPv6 address goes in brackets"),
        ("tcp://[::1]", "no port"),
        ("tcp://[::1:5555", "without a closing ']'"),
        ("tcp://[]:5555", "empty address"),
        ("tcp://[fe80::1%eth0]:5555", "zone ids"),
        ("tcp://[127.0.0.1]:5555", "not a numeric IPv6 address"),
        ("tcp:// 127.0.0.1:5555", "white space"),
        ("tcp://127.0.0.1:5555\n", "white space"),
        ("udp://127.0.0.1:5555", "transport 'udp://' is not supported"),
        ("TCP://127.0.0.1:5555", "transport 'TCP://'"),
        ("127.0.0.1:5555", "no transport"),
        ("garbage", "no transport"),
        ("", "no transport"),
        ("ipc://", "names no path"),
        ("inproc://", "names no name"),
    ]

    @Test(arguments: refused)
    func refuses(_ text: String, _ phrase: String) {
        let error = #expect(throws: BindEndpoint.ParseError.self) { try BindEndpoint(parsing: text) }
        #expect(error?.description.contains(phrase) == true, "\(error.map { "\($0)" } ?? "no error")")
        #expect(error?.description.contains("accepted: tcp://IPV4:PORT") == true, "every error says what is accepted")
        #expect(error?.text == text)
    }
}
