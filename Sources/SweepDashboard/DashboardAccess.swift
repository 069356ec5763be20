import Foundation

/// Who may read the dashboard: everyone who reaches the port (loopback, or `--insecure`), or only
/// requests that carry the token from `--token-file`, as `Authorization: Bearer TOKEN`, as the
/// cookie this type sets, or once as `?token=TOKEN` (a browser's first visit: the answer sets the
/// cookie and sends the browser to the same address without the token, so it does not stay in
/// the address bar or the history). Tokens are compared in constant time.
public struct DashboardAccess: Sendable {
    public static let cookieName = "crossrec_dashboard_token"
    /// Shortest token accepted from a token file.
    public static let minimumTokenLength = 16

    public enum Decision: Sendable, Equatable {
        case allow
        /// Correct `?token=`: set the cookie and redirect to `location` (the target without the token).
        case redirectSettingCookie(location: String, cookie: String)
        case deny
    }

    let token: String?

    /// `token` nil: every request is allowed.
    public init(token: String?) {
        self.token = token
    }

    /// Reads the token file: its first line, trimmed; at least ``minimumTokenLength`` characters.
    public static func token(fromFile path: String) throws -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DashboardError("--token-file \(path): cannot read it (\(error.localizedDescription)); write a random token into it, e.g. `head -c 32 /dev/urandom | base64 > \(path)`")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard token.count >= minimumTokenLength else {
            throw DashboardError("--token-file \(path): the token is \(token.count) characters; use at least \(minimumTokenLength), e.g. `head -c 32 /dev/urandom | base64 > \(path)`")
        }
        return token
    }

    /// The decision for a request to `target` with these headers (`Cookie` as sent).
    public func decide(target: String, authorization: String?, cookie: String?) -> Decision {
        guard let token else { return .allow }
        if let authorization, authorization.hasPrefix("Bearer "), Self.same(String(authorization.dropFirst(7)), token) { return .allow }
        if let cookie {
            for part in cookie.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == Self.cookieName, Self.same(String(pair[1]), token) { return .allow }
            }
        }
        let (path, query) = DashboardRoute.split(target)
        if let given = query["token"], Self.same(given, token) {
            let rest = target.firstIndex(of: "?").map { target[target.index(after: $0)...] } ?? ""
            let kept = rest.split(separator: "&").filter { !$0.hasPrefix("token=") }
            let location = path.isEmpty ? "/" : path
            return .redirectSettingCookie(
                location: kept.isEmpty ? location : location + "?" + kept.joined(separator: "&"),
                cookie: "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict")
        }
        return .deny
    }

    /// Constant-time comparison (for equal lengths; the length itself is not secret).
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// `--bind HOST:PORT` for the dashboard.
public struct DashboardBind: Sendable, Equatable {
    public var host: String
    public var port: Int

    /// Parses `HOST:PORT` (`127.0.0.1:8080`, `0.0.0.0:0`, `localhost:9000`).
    public init(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
            colon > text.startIndex
        else {
            throw DashboardError("--bind \(text): expected HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)")
        }
        host = String(text[..<colon])
        self.port = port
    }

    /// 127.0.0.0/8, `localhost` or `::1`.
    public var isLoopback: Bool { host.hasPrefix("127.") || host == "localhost" || host == "::1" || host == "[::1]" }
}

/// A user error of the dashboard's options, said the way the CLI says errors.
public struct DashboardError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
