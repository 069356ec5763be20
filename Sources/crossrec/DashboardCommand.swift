import ArgumentParser
import Foundation
import SweepDashboard

#if canImport(Glibc)
    import Glibc
#endif

/// `crossrec dashboard STORE`: runs `crossrec-dashboard` (its own executable, so that building
/// crossrec never builds the HTTP server's SwiftNIO) with the same, already validated, arguments.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a live, read-only web dashboard of the sweeps in a store (runs crossrec-dashboard).",
        discussion: DashboardOptions.discussion + """


            The server is the crossrec-dashboard executable, looked for beside crossrec and then on PATH; \
            build it with `swift build --product crossrec-dashboard` (the same -c and --scratch-path as crossrec).
            """)

    @OptionGroup var options: DashboardOptions

    func run() throws {
        guard let server = Self.serverExecutable() else {
            FileHandle.standardError.write(
                Data(
                    """
                    error: crossrec dashboard needs the crossrec-dashboard executable, which is built on its own so that \
                    crossrec builds without SwiftNIO; build it with `swift build --product crossrec-dashboard` \
                    (add `-c release --scratch-path .build-release` beside a release crossrec), or run \
                    `swift run crossrec-dashboard \(options.arguments.joined(separator: " "))`

                    """.utf8))
            throw ExitCode(1)
        }
        let argv = [server] + options.arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(server, &cArguments)
        FileHandle.standardError.write(Data("error: cannot run \(server): \(String(cString: strerror(errno)))\n".utf8))
        throw ExitCode(1)
    }

    /// `crossrec-dashboard` beside this executable (the build folder), else the first on PATH.
    static func serverExecutable() -> String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var candidates = [URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("crossrec-dashboard").path]
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(folder)/crossrec-dashboard")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
