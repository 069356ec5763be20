import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The dashboard in a real browser: headless Chromium (Debian's `chromium`) opens the overview and
/// the leaderboard of a finished smoke sweep, after the pages' script ran; the DOM must have the
/// leaderboard's rows and the SVG charts. Screenshots are kept as CI artifacts in
/// `.build/test-artifacts/dashboard/` (or `$CROSSREC_TEST_ARTIFACTS/dashboard/`).
///
/// Without Chromium the test is skipped, visibly; under CI (CI=true), where `.ci/run` installs
/// it, a missing browser fails `chromiumIsInstalledUnderCI`.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let artifacts: URL = {
        if let folder = ProcessInfo.processInfo.environment["CROSSREC_TEST_ARTIFACTS"], !folder.isEmpty {
            return URL(fileURLWithPath: folder).appendingPathComponent("dashboard")
        }
        return DashboardServerTests.repository.appendingPathComponent(".build/test-artifacts/dashboard")
    }()

    /// Runs Chromium headless with `arguments` and the URL; its standard output (the DOM for
    /// --dump-dom). A fresh profile folder each time; no sandbox (CI runs as root).
    static func browse(_ url: String, _ arguments: [String], profile: TemporaryFolder) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromium))
        process.arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)",
             "--virtual-time-budget=3000"] + arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium \(arguments) \(url)")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func chromiumIsInstalledUnderCI() {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        #expect(Self.chromium != nil, "CI must run the browser test: .ci/run installs chromium (.ci/deps-browser)")
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium); the browser test is skipped"))
    func theOverviewAndLeaderboardRenderRowsAndCharts() throws {
        let folder = try TemporaryFolder()
        let store = folder.file("smoke.sqlite")
        try DashboardServerTests.smokeSweep(store: store, in: folder)
        let board = try CLI.run(["leaderboard", store, "--format", "json"])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(board.stdout.utf8)) as? [String: Any])?["rows"] as? [Any])
        let (server, port) = try DashboardServerTests.start([store, "--refresh", "1"], in: folder)
        defer { server.kill9() }
        let base = "http://127.0.0.1:\(port)"
        let profile = try TemporaryFolder()

        let leaderboard = try Self.browse("\(base)/sweeps/smoke/leaderboard", ["--dump-dom"], profile: profile)
        let table = try #require(leaderboard.range(of: "<table id=\"leaderboard\">"), "no leaderboard table in the DOM: \(leaderboard.prefix(500))")
        let body = leaderboard[table.upperBound...].prefix { _ in true }
        let tableText = String(body[..<(body.range(of: "</table>")?.lowerBound ?? body.endIndex)])
        let domRows = tableText.components(separatedBy: "<tr").count - 2  // minus the text before and the header row
        #expect(domRows == rows.count && rows.count == 4, "the DOM has one row per leaderboard row")
        #expect(!leaderboard.contains("id=\"updated\">error"), "the refresh got an answer")
        #expect(leaderboard.contains("<svg") && leaderboard.contains("class=\"bar\""), "the bar chart is in the DOM")
        #expect(
            leaderboard.contains("id=\"updated\">updated "),
            "the live refresh ran in the browser (the policy let the script run) and stamped the page")

        let overview = try Self.browse("\(base)/sweeps/smoke", ["--dump-dom"], profile: profile)
        #expect(overview.contains("data-state=\"finished\"><b>4</b>"), "all four smoke trials finished")
        #expect(overview.contains("class=\"states\""), "the state bar (SVG)")

        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        for (name, path) in [("overview", "/sweeps/smoke"), ("leaderboard", "/sweeps/smoke/leaderboard"), ("parameters", "/sweeps/smoke/parameters?model=mf")] {
            let file = Self.artifacts.appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: file)
            _ = try Self.browse("\(base)\(path)", ["--screenshot=\(file.path)", "--window-size=1280,1400", "--hide-scrollbars"], profile: profile)
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "\(name).png was written (\(size) bytes)")
        }
        print("dashboard screenshots: \(Self.artifacts.path)")
    }
}
