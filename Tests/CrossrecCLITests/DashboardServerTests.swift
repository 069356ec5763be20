import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `crossrec dashboard` as a user runs it: the real HTTP server (crossrec-dashboard, run by
/// crossrec) over a store a real sweep writes. The pages' content is tested in
/// SweepDashboardTests; here: every page answers over HTTP, headers, methods, the token, the bind
/// rule, a store that appears after the dashboard started, and a clean stop on SIGTERM.
@Suite("Dashboard server", .serialized)
struct DashboardServerTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Starts `crossrec dashboard ARGS --bind 127.0.0.1:0` and returns it with its port.
    static func start(_ arguments: [String], in folder: TemporaryFolder, log: String = "dashboard.log") throws -> (Background, UInt16) {
        let server = try Background(["dashboard"] + arguments + ["--bind", "127.0.0.1:0"], in: folder, log: log)
        var port: UInt16?
        _ = eventually(.seconds(30)) {
            if let range = server.log.range(of: "dashboard at http://127.0.0.1:") {
                port = UInt16(server.log[range.upperBound...].prefix { $0.isNumber })
            }
            return port != nil || !server.process.isRunning
        }
        return (server, try #require(port, "no 'dashboard at' line: \(server.log)"))
    }

    /// Runs sweeps/smoke.yaml into `store` (a few seconds).
    static func smokeSweep(store: String, in folder: TemporaryFolder) throws {
        let run = try CLI.run(
            ["sweep", "run", repository.appendingPathComponent("sweeps/smoke.yaml").path, "--workers", "1", "--store", store],
            currentDirectory: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func servesEveryPageOfAStoreThatAppearsAfterItStarted() throws {
        let folder = try TemporaryFolder()
        let store = folder.file("smoke.sqlite")
        let (server, port) = try Self.start([store], in: folder)
        defer { server.kill9() }
        #expect(server.log.contains("no store at \(store) yet"))
        let before = try HTTPTestClient.request(port: port, path: "/sweeps/smoke")
        #expect(before.status == 503 && before.body.contains("No store at"))

        try Self.smokeSweep(store: store, in: folder)
        let index = try HTTPTestClient.request(port: port, path: "/")
        #expect(index.status == 200 && index.body.contains("href=\"/sweeps/smoke\""))
        #expect(index.headers["content-type"] == "text/html; charset=utf-8")
        #expect(index.headers["cache-control"] == "no-store" && index.headers["x-content-type-options"] == "nosniff")
        #expect(index.headers["content-security-policy"]?.hasPrefix("default-src 'none'; script-src 'sha256-") == true)

        let leaderboard = try HTTPTestClient.request(port: port, path: "/sweeps/smoke/leaderboard")
        #expect(leaderboard.status == 200 && leaderboard.body.contains("<table id=\"leaderboard\">"))
        let trial = try #require(leaderboard.body.firstMatch(of: /href="(\/sweeps\/smoke\/trials\/[0-9a-f]+)"/)).output.1
        for path in [
            "/sweeps/smoke", "/sweeps/smoke/leaderboard?sort=mae&order=desc&model=mf", "/sweeps/smoke/parameters",
            "/sweeps/smoke/parameters?model=mf", "/sweeps/smoke/search", String(trial),
        ] {
            let page = try HTTPTestClient.request(port: port, path: path)
            #expect(page.status == 200, "\(path): \(page.status)")
            #expect(page.body.hasPrefix("<!DOCTYPE html>") && page.body.contains("<main id=\"live\">"), "\(path)")
        }
        for (path, status) in [
            ("/sweeps/nope", 404), ("/sweeps/smoke/trials/0000", 404), ("/sweeps/smoke/leaderboard?model=nope", 404), ("/favicon.ico", 404),
        ] {
            #expect(try HTTPTestClient.request(port: port, path: path).status == status, "\(path)")
        }
        let fragment = try HTTPTestClient.request(port: port, path: "/sweeps/smoke", headers: ["X-Crossrec-Fragment": "1"])
        #expect(fragment.status == 200 && fragment.body.hasPrefix("<h1>Sweep smoke</h1>") && !fragment.body.contains("<html"))
        let head = try HTTPTestClient.request("HEAD", port: port, path: "/sweeps/smoke")
        #expect(head.status == 200 && head.body.isEmpty)
        let post = try HTTPTestClient.request("POST", port: port, path: "/sweeps/smoke", headers: ["Content-Length": "0"])
        #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")

        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.wait(timeout: .seconds(10)), "SIGTERM stops the server")
        #expect(server.process.terminationReason == .exit, "a graceful exit, not a crash")
    }

    @Test func aFileThatIsNotAStoreIsAnErrorPageAndTheServerStaysUp() throws {
        let folder = try TemporaryFolder()
        try folder.write("notes.sqlite", "my notes, not a database\n")
        let (server, port) = try Self.start([folder.file("notes.sqlite")], in: folder)
        defer { server.kill9() }
        let page = try HTTPTestClient.request(port: port, path: "/sweeps/anything")
        #expect(page.status == 500 && page.body.contains("Not a crossrec store") && page.body.contains("notes.sqlite"))
        #expect(try HTTPTestClient.request(port: port, path: "/").status == 500, "asked again: still explained, still serving")
        #expect(server.process.isRunning)
    }

    @Test func aTokenFileGuardsEveryPage() throws {
        let folder = try TemporaryFolder()
        let store = folder.file("smoke.sqlite")
        try Self.smokeSweep(store: store, in: folder)
        let token = "s3cret-token-0123456789"
        try folder.write("token", token + "\n")
        let (server, port) = try Self.start([store, "--token-file", folder.file("token")], in: folder)
        defer { server.kill9() }
        let denied = try HTTPTestClient.request(port: port, path: "/sweeps/smoke")
        #expect(denied.status == 401 && !denied.body.contains("smoke"), "nothing of the sweep without the token")
        let visit = try HTTPTestClient.request(port: port, path: "/sweeps/smoke/leaderboard?token=\(token)&model=mf")
        #expect(visit.status == 303 && visit.headers["location"] == "/sweeps/smoke/leaderboard?model=mf")
        let cookie = try #require(visit.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(cookie.hasSuffix(token) && visit.headers["set-cookie"]?.contains("HttpOnly") == true)
        #expect(try HTTPTestClient.request(port: port, path: "/sweeps/smoke", headers: ["Cookie": cookie]).status == 200)
        #expect(try HTTPTestClient.request(port: port, path: "/", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(try HTTPTestClient.request(port: port, path: "/", headers: ["Authorization": "Bearer nope"]).status == 401)
    }

    @Test func beyondLoopbackNeedsATokenOrInsecureAndAMissingServerIsExplained() throws {
        let refused = try CLI.run(["dashboard", "store.sqlite", "--bind", "0.0.0.0:0"])
        #expect(refused.status == 64 && refused.stderr.contains("--token-file FILE") && refused.stderr.contains("--insecure"))
        let short = try TemporaryFolder()
        try short.write("token", "abc\n")
        let weak = try CLI.run(["dashboard", "store.sqlite", "--bind", "127.0.0.1:0", "--token-file", short.file("token")])
        #expect(weak.status == 1 && weak.stderr.contains("use at least 16"))
        // crossrec alone (as after `swift build --product crossrec`): the server is not found.
        let lonely = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: CLI.executable, toPath: lonely.file("crossrec"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lonely.file("crossrec"))
        process.arguments = ["dashboard", "store.sqlite"]
        process.environment = ["PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1 && text.contains("swift build --product crossrec-dashboard"), "\(text)")
    }
}
