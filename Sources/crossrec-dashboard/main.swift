import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SweepDashboard

#if canImport(Glibc)
    import Glibc
#endif

/// `crossrec-dashboard STORE`: the live dashboard over a sweep store (read-only). Argument
/// parsing and the HTTP shell only; the pages are `DashboardSite` (SweepDashboard).
@main
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossrec-dashboard",
        abstract: "Serve a live, read-only web dashboard of the sweeps in a store.",
        discussion: DashboardOptions.discussion)

    @OptionGroup var options: DashboardOptions

    func run() async throws {
        let (store, refresh, cacheSeconds, tokenFile) = (options.store, options.refresh, options.cacheSeconds, options.tokenFile)
        let address = try DashboardBind(options.bind)
        let access: DashboardAccess
        do {
            access = DashboardAccess(token: try tokenFile.map(DashboardAccess.token(fromFile:)))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        // A monitor must not slow what it watches: on a machine that also trains, the sweep's
        // processes get the CPU first.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
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
/// Dispatch queue, not on Swift concurrency's few threads: one serial queue, since the site answers
/// one request at a time anyway. (On the global queues a burst of requests parked up to Dispatch's
/// thread limit of threads on the site's lock.)
struct DashboardResponder: HTTPResponder {
    let site: DashboardSite
    let access: DashboardAccess
    static let pages = DispatchQueue(label: "crossrec-dashboard.pages")

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
            Self.pages.async { continuation.resume(returning: site.respond(to: target, fragment: fragment)) }
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
