import Foundation
import Checksums
import Testing

@testable import SweepDashboard

@Suite struct DashboardAccessTests {
    let token = "0123456789abcdef-token"

    @Test func withoutATokenEveryRequestIsAllowed() {
        #expect(DashboardAccess(token: nil).decide(target: "/", authorization: nil, cookie: nil) == .allow)
    }

    @Test func theTokenIsAcceptedAsBearerCookieOrOnceInTheAddress() {
        let access = DashboardAccess(token: token)
        #expect(access.decide(target: "/", authorization: nil, cookie: nil) == .deny)
        #expect(access.decide(target: "/", authorization: "Bearer \(token)", cookie: nil) == .allow)
        #expect(access.decide(target: "/", authorization: "Bearer \(token)x", cookie: nil) == .deny)
        #expect(access.decide(target: "/", authorization: "Basic \(token)", cookie: nil) == .deny)
        #expect(access.decide(target: "/", authorization: nil, cookie: "a=b; \(DashboardAccess.cookieName)=\(token)") == .allow)
        #expect(access.decide(target: "/", authorization: nil, cookie: "\(DashboardAccess.cookieName)=wrong") == .deny)
        let decision = access.decide(target: "/sweeps/s/leaderboard?sort=rmse&token=\(token)&model=mf", authorization: nil, cookie: nil)
        #expect(
            decision
                == .redirectSettingCookie(
                    location: "/sweeps/s/leaderboard?sort=rmse&model=mf",
                    cookie: "\(DashboardAccess.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"),
            "the token leaves the address; the other parameters stay")
        #expect(access.decide(target: "/?token=nope", authorization: nil, cookie: nil) == .deny)
    }

    @Test func aTokenFileMustHoldALongEnoughToken() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossrec-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good").path
        try Data("  \(token)  \nsecond line\n".utf8).write(to: URL(fileURLWithPath: good))
        #expect(try DashboardAccess.token(fromFile: good) == token)
        let short = folder.appendingPathComponent("short").path
        try Data("abc\n".utf8).write(to: URL(fileURLWithPath: short))
        #expect(throws: DashboardError.self) { try DashboardAccess.token(fromFile: short) }
        do {
            _ = try DashboardAccess.token(fromFile: folder.appendingPathComponent("missing").path)
            Issue.record("a missing token file was accepted")
        } catch {
            #expect("\(error)".contains("cannot read it") && "\(error)".contains("/dev/urandom"))
        }
    }

    @Test func bindAddressesAreParsedAndLoopbackRecognised() throws {
        #expect(try DashboardBind("127.0.0.1:8080") == DashboardBind("127.0.0.1:8080"))
        #expect(try DashboardBind("127.0.0.1:0").port == 0)
        #expect(try DashboardBind("127.0.0.1:8080").isLoopback && DashboardBind("localhost:1").isLoopback)
        #expect(try !DashboardBind("0.0.0.0:8080").isLoopback && !DashboardBind("10.1.2.3:80").isLoopback)
        for bad in ["8080", ":8080", "host:", "host:70000", "host:x"] {
            #expect(throws: DashboardError.self, "\(bad)") { try DashboardBind(bad) }
        }
    }

    @Test func theContentSecurityPolicyAllowsExactlyThePagesScript() throws {
        let layout = DashboardLayout(refreshSeconds: 3)
        #expect(layout.script.contains("var every = 3000;"))
        #expect(layout.contentSecurityPolicy.hasPrefix("default-src 'none'; script-src 'sha256-"))
        #expect(DashboardLayout(refreshSeconds: 2).contentSecurityPolicy != layout.contentSecurityPolicy, "the hash follows the script")
        // The browser hashes the exact text between the tags: it must be the hashed text.
        let page = layout.page(title: "t", sweep: "s", section: .overview, body: "<p>x</p>")
        let inline = try #require(page.firstMatch(of: /<script>((?s).*)<\/script>/)).output.1
        let digest = Data(SHA256.hash(data: Data(String(inline).utf8))).base64EncodedString()
        #expect(layout.contentSecurityPolicy.contains("script-src 'sha256-\(digest)'"))
    }
}
