import Foundation

/// One ZeroMQ endpoint a coordinator may bind, parsed strictly so that what is checked (is it
/// loopback?) is what libzmq binds.
///
/// Accepted forms:
/// - `tcp://IPV4:PORT`: four decimal numbers 0…255 without leading zeros (`127.0.0.1`, `0.0.0.0`);
/// - `tcp://[IPV6]:PORT`: a numeric IPv6 address in brackets (`[::1]`, `[::]`), no zone id;
/// - `tcp://localhost:PORT`: bound as `127.0.0.1` (libzmq does not resolve names when binding);
/// - `ipc://PATH` and `inproc://NAME`: local to the machine or the process.
///
/// `PORT` is a decimal number 0…65535; 0 lets the system pick a free port.
///
/// Refused, because libzmq would read more into them than one address: lists and the
/// source-address form (`tcp://127.0.0.1:1;0.0.0.0:5555`, which libzmq binds on `0.0.0.0`), the
/// wildcard `*` (write `0.0.0.0` or `[::]`), interface names (`eth0`, `lo`), host names other than
/// `localhost`, unbracketed IPv6, abbreviated or octal IPv4 (`127.1`, `0177.0.0.1`), port `*`,
/// and other transports.
///
/// Loopback: `127.0.0.0/8`, `::1`, `::ffff:127.0.0.0/104` (IPv4-mapped loopback), `localhost`,
/// and every `ipc://` and `inproc://` endpoint.
///
/// Binding an IPv6 address needs the socket option `ZMQ_IPV6` (`ZMQSocket.setIPv6(true)`) before
/// `bind`; set it only when ``isIPv6`` is true: with it an IPv4 address is bound as
/// `[::ffff:a.b.c.d]`, which changes the reported endpoint.
public struct BindEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case tcp, ipc, inproc
    }

    /// Why a text is not an endpoint this program binds: the problem, then what is accepted (the
    /// caller names the text, e.g. `--bind 'tcp://*:5555': the wildcard '*' is not accepted: …`).
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var text: String
        public var problem: String

        public init(text: String, problem: String) {
            self.text = text
            self.problem = problem
        }

        public var description: String { "\(problem); \(BindEndpoint.acceptedForms)" }
    }

    /// What ``ParseError`` tells the user to write instead.
    public static let acceptedForms =
        "accepted: tcp://IPV4:PORT (e.g. tcp://127.0.0.1:5555, tcp://0.0.0.0:5555), tcp://[IPV6]:PORT "
        + "(e.g. tcp://[::1]:5555), tcp://localhost:PORT, ipc://PATH or inproc://NAME, with PORT 0…65535 "
        + "(0 picks a free port)"

    public var transport: Transport
    /// TCP: the address as written, without brackets (`127.0.0.1`, `::1`, `localhost`); IPC: the
    /// path; inproc: the name.
    public var host: String
    /// TCP only.
    public var port: Int?
    public var isLoopback: Bool
    /// A bracketed IPv6 address (the socket needs `ZMQ_IPV6`).
    public var isIPv6: Bool

    /// The endpoint to hand to `zmq_bind`: as written, except `localhost`, which becomes `127.0.0.1`.
    public var zmqEndpoint: String {
        switch transport {
        case .tcp:
            let address = isIPv6 ? "[\(host)]" : (host == "localhost" ? "127.0.0.1" : host)
            return "tcp://\(address):\(port ?? 0)"
        case .ipc, .inproc:
            return "\(transport.rawValue)://\(host)"
        }
    }

    public var description: String { zmqEndpoint }

    public init(parsing text: String) throws(ParseError) {
        func fail(_ problem: String) -> ParseError { ParseError(text: text, problem: problem) }
        if let blank = text.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw fail("it contains \(blank.properties.isWhitespace ? "white space" : "a control character"): give exactly one endpoint")
        }
        guard let separator = text.range(of: "://") else {
            throw fail("no transport (tcp://, ipc:// or inproc://)")
        }
        let scheme = String(text[..<separator.lowerBound])
        let rest = String(text[separator.upperBound...])
        guard let transport = Transport(rawValue: scheme) else {
            throw fail("transport '\(scheme)://' is not supported")
        }
        self.transport = transport
        switch transport {
        case .ipc, .inproc:
            guard !rest.isEmpty else { throw fail("it names no \(transport == .ipc ? "path" : "name")") }
            host = rest
            port = nil
            isLoopback = true
            isIPv6 = false
        case .tcp:
            if rest.contains(";") || rest.contains(",") {
                throw fail(
                    "a list or the source-address form (libzmq would bind the address after ';'): give exactly one address")
            }
            let hostText: String
            let portText: String
            var bracketed = false
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { throw fail("'[' without a closing ']'") }
                hostText = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                guard after.hasPrefix(":") else { throw fail("no port after the address: add ':PORT'") }
                portText = String(after.dropFirst())
                bracketed = true
            } else {
                guard let colon = rest.lastIndex(of: ":") else {
                    throw fail("no port: add ':PORT'")
                }
                hostText = String(rest[..<colon])
                portText = String(rest[rest.index(after: colon)...])
                if hostText.contains(":") {
                    throw fail("an IPv6 address goes in brackets, e.g. tcp://[::1]:5555")
                }
            }
            port = try Self.port(portText, in: text)
            host = hostText
            if bracketed {
                guard !hostText.isEmpty else { throw fail("an empty address in '[]'") }
                guard let bytes = Self.ipv6Bytes(hostText) else {
                    throw fail("'[\(hostText)]' is not a numeric IPv6 address (zone ids like %eth0 are not accepted)")
                }
                isIPv6 = true
                let mappedPrefix = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
                isLoopback =
                    bytes == [UInt8](repeating: 0, count: 15) + [1]
                    || (Array(bytes.prefix(12)) == mappedPrefix && bytes[12] == 127)
                return
            }
            isIPv6 = false
            if hostText.isEmpty { throw fail("no address before the port") }
            if hostText == "*" {
                throw fail("the wildcard '*' is not accepted: write 0.0.0.0 (every IPv4 interface) or [::]")
            }
            if hostText == "localhost" {
                isLoopback = true
                return
            }
            if let bytes = Self.ipv4Bytes(hostText) {
                isLoopback = bytes[0] == 127
                return
            }
            if hostText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                throw fail("'\(hostText)' is not an IPv4 address: write four decimal numbers 0…255 without leading zeros, e.g. 127.0.0.1")
            }
            throw fail(
                "'\(hostText)' is an interface or host name, which libzmq would bind to whatever address it resolves "
                    + "to: give a numeric address (only 'localhost' is accepted as a name)")
        }
    }

    /// A decimal port 0…65535.
    private static func port(_ text: String, in endpoint: String) throws(ParseError) -> Int {
        guard !text.isEmpty else { throw ParseError(text: endpoint, problem: "an empty port") }
        if text == "*" || text == "!" {
            throw ParseError(text: endpoint, problem: "port '\(text)' is not accepted: use 0 to pick a free port")
        }
        guard text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), value <= 65535 else {
            throw ParseError(text: endpoint, problem: "port '\(text)' is not a number 0…65535")
        }
        return value
    }

    /// The 4 bytes of a strict dotted-quad IPv4 address (`inet_pton`: no leading zeros, no short forms).
    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// The 16 bytes of a numeric IPv6 address (`inet_pton`; no zone id).
    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        guard !text.contains("%") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
