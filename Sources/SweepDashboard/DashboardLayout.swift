import Checksums
import Foundation
import HTMLRender

/// The frame around every dashboard page: the navigation, the styles, and the small inline script
/// that keeps `<main id="live">` current. The script asks for the same address with the header
/// `X-Crossrec-Fragment: 1` once every `refreshSeconds` (never more often than once a second,
/// and not while the tab is hidden) and swaps in the answer, so sorting and filtering, which live
/// in the address, survive a refresh. Without scripts the page is complete, only not live.
public struct DashboardLayout: Sendable {
    public let refreshSeconds: Int
    /// The script, with its refresh interval filled in: exactly the text between `<script>` and
    /// `</script>` (newlines included), which is what the policy's hash covers.
    public let script: String
    /// `Content-Security-Policy` for every page: nothing loaded from anywhere, only this script
    /// (by its SHA-256) and inline styles run, fetches go to this origin only.
    public let contentSecurityPolicy: String

    public init(refreshSeconds: Int) {
        precondition(refreshSeconds >= 1, "refresh every \(refreshSeconds) s: at most one request per second per client")
        self.refreshSeconds = refreshSeconds
        script = "\n" + """
            (function () {
              var every = \(refreshSeconds * 1000);
              function stamp(text) { var s = document.getElementById('updated'); if (s) { s.textContent = text; } }
              function tick() {
                if (document.hidden) { setTimeout(tick, every); return; }
                fetch(location.href, { headers: { 'X-Crossrec-Fragment': '1' }, cache: 'no-store', credentials: 'same-origin' })
                  .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
                  .then(function (a) {
                    var live = document.getElementById('live');
                    if (live) { live.innerHTML = a.text; }
                    stamp((a.ok ? 'updated ' : 'error at ') + new Date().toLocaleTimeString());
                  })
                  .catch(function () { stamp('dashboard unreachable, retrying'); })
                  .then(function () { setTimeout(tick, every); });
              }
              setTimeout(tick, every);
            })();
            """ + "\n"
        let digest = Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString()
        contentSecurityPolicy =
            "default-src 'none'; script-src 'sha256-\(digest)'; style-src 'unsafe-inline'; connect-src 'self'; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// Sections of a sweep's pages, for the navigation bar.
    public enum Section: String, Sendable, CaseIterable {
        case overview, leaderboard, parameters, search
    }

    static let style = """
        header { display: flex; gap: 1.5em; align-items: baseline; border-bottom: 1px solid #ddd; padding-bottom: .5em; }
        header nav a { margin-right: .8em; }
        header nav a.current { font-weight: bold; text-decoration: none; color: #222; }
        #updated { color: #888; font-size: 90%; margin-left: auto; }
        .cards { display: flex; gap: 1em; flex-wrap: wrap; margin: 1em 0; }
        .card { border: 1px solid #ccc; border-radius: 6px; padding: .5em 1em; min-width: 6em; }
        .card b { display: block; font-size: 160%; }
        .state-pending { color: #777; } .state-running { color: #1a6fb5; } .state-finished { color: #217a3c; }
        .state-stopped { color: #a66a00; } .state-failed { color: #b00; }
        pre.error { background: #fff3f3; border: 1px solid #e6b8b8; padding: .5em; white-space: pre-wrap; max-width: 60em; }
        .muted { color: #888; }
        .filters a { margin-right: .6em; }
        .filters a.current { font-weight: bold; text-decoration: none; color: #222; }
        .charts { display: flex; flex-wrap: wrap; gap: 1em; }
        th a { color: inherit; }
        """

    /// A whole page: `title` in the tab, the navigation for `sweep` (none on the store's index),
    /// and `body` inside `<main id="live">`.
    public func page(title: String, sweep: String?, section: Section?, body: String) -> String {
        var header = "<header><nav><a href=\"/\">sweeps</a>"
        if let sweep {
            header += " › <b>\(XMLText.escaped(sweep))</b>: "
            for item in Section.allCases {
                let link: String
                switch item {
                case .overview: link = DashboardLink.overview(sweep)
                case .leaderboard: link = DashboardLink.leaderboard(sweep)
                case .parameters: link = DashboardLink.parameters(sweep)
                case .search: link = DashboardLink.search(sweep)
                }
                header += "<a href=\"\(XMLText.escaped(link))\"\(item == section ? " class=\"current\"" : "")>\(item.rawValue)</a>"
            }
        }
        header += "</nav><span id=\"updated\">live: every \(refreshSeconds) s</span></header>\n"
        let html = header + "<main id=\"live\">\n\(body)</main>\n<script>\(script)</script>\n"
        return HTMLPage(title: title, extraStyle: Self.style, body: html).render()
    }
}
