import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SweepDashboard

/// `crossrec-dashboard STORE`: the live dashboard over a sweep store (read-only). Argument
/// parsing and the HTTP shell only; the pages are `DashboardSite` (SweepDashboard).
@main
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossrec-dashboard",
        abstract: "Serve a live, read-only web dashboard of the sweeps in a store.",
        discussion: """
            Pages: / (the sweeps), /sweeps/NAME (overview: counts, rate, time left, workers, failures), \
            /sweeps/NAME/leaderboard (sortable, filterable by model), /sweeps/NAME/parameters (metric against \
            each hyperparameter, importance, parallel coordinates), /sweeps/NAME/search (best so far against \
            results and time), /sweeps/NAME/trials/ID (configuration, attempts, progress curves, errors). \
            Charts are inline SVG; nothing is fetched from the network. Open pages refresh themselves \
            (--refresh). The store may be written by a running sweep, and need not exist yet. \
            Beyond loopback, --token-file (readers send the token once as ?token=…, or as \
            'Authorization: Bearer …') or --insecure is required.
            """)

    @Argument(help: "Store (SQLite) written by `crossrec sweep run` or `crossrec coordinator`; it need not exist yet.")
    var store: String

    @Option(help: "Address to serve on, HOST:PORT (port 0 picks a free one and prints it).")
    var bind = "127.0.0.1:8080"

    @Option(help: "Seconds between live refreshes of an open page (at least 1).")
    var refresh = 2

    @Option(help: "File whose first line is the access token (at least 16 characters) every reader must present.")
    var tokenFile: String?

    @Flag(help: "Serve beyond loopback without a token: anyone who reaches the port reads the sweep.")
    var insecure = false

    @Option(help: ArgumentHelp("Seconds a page is reused before the store is read again (benchmarks: 0).", visibility: .hidden))
    var cacheSeconds = 1.0

    func validate() throws {
        guard refresh >= 1 else { throw ValidationError("--refresh \(refresh): at least 1 (second) so a page asks at most once a second") }
        guard cacheSeconds >= 0 else { throw ValidationError("--cache-seconds \(cacheSeconds): not negative") }
        let address: DashboardBind
        do { address = try DashboardBind(bind) } catch { throw ValidationError("\(error)") }
        if !address.isLoopback, tokenFile == nil, !insecure {
            throw ValidationError(
                "--bind \(bind) serves beyond loopback: add --token-file FILE (readers present the token) or --insecure (anyone who reaches the port reads the sweep)")
        }
    }

    func run() async throws {
        let address = try DashboardBind(bind)
        let access: DashboardAccess
        do {
            access = DashboardAccess(token: try tokenFile.map(DashboardAccess.token(fromFile:)))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let site = DashboardSite(storePath: store, refreshSeconds: refresh, cacheSeconds: cacheSeconds)
        if !FileManager.default.fileExists(atPath: store) {
            FileHandle.standardError.write(Data("note: no store at \(store) yet; the pages say so until a sweep creates it\n".utf8))
        }
        var logger = Logger(label: "crossrec-dashboard")
        logger.logLevel = .warning
        let app = Application(
            responder: DashboardResponder(site: site, access: access),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "crossrec-dashboard"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                let host = address.host.contains(":") ? "[\(address.host)]" : address.host
                FileHandle.standardError.write(Data("dashboard at http://\(host):\(port)/ (store \(store))\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}

/// Every request goes to the site; GET and HEAD only. Store reads block, so they run on a
/// Dispatch thread, not on Swift concurrency's few threads.
struct DashboardResponder: HTTPResponder {
    let site: DashboardSite
    let access: DashboardAccess

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer"]
        guard request.method == .get || request.method == .head else {
            headers[.allow] = "GET, HEAD"
            return text(.methodNotAllowed, "only GET and HEAD: the dashboard is read-only\n", headers)
        }
        let target = request.uri.string
        switch access.decide(target: target, authorization: request.headers[.authorization], cookie: request.headers[.cookie]) {
        case .allow:
            break
        case .deny:
            return text(.unauthorized, "this dashboard needs its token: open it once as /?token=TOKEN, or send 'Authorization: Bearer TOKEN'\n", headers)
        case .redirectSettingCookie(let location, let cookie):
            headers[.location] = location
            headers[.setCookie] = cookie
            return Response(status: .seeOther, headers: headers)
        }
        let fragment = request.headers[.init("X-Crossrec-Fragment")!] == "1"
        let site = self.site
        let answer = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: site.respond(to: target, fragment: fragment)) }
        }
        headers[.contentType] = answer.contentType
        headers[.contentSecurityPolicy] = site.layout.contentSecurityPolicy
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers, body: body)
    }

    private func text(_ status: HTTPResponse.Status, _ message: String, _ headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}
