public import ArgumentParser

/// The dashboard's command line, shared by `crossrec-dashboard` (which serves) and
/// `crossrec dashboard` (which runs `crossrec-dashboard` with the same arguments), so both
/// show the same help and refuse the same mistakes.
public struct DashboardOptions: ParsableArguments, Sendable {
    @Argument(help: "Store (SQLite) written by `crossrec sweep run` or `crossrec coordinator`; it need not exist yet.")
    public var store: String

    @Option(help: "Address to serve on, HOST:PORT (port 0 picks a free one and prints it).")
    public var bind = "127.0.0.1:8080"

    @Option(help: "Seconds between live refreshes of an open page (at least 1).")
    public var refresh = 2

    @Option(help: "File whose first line is the access token (at least 16 characters) every reader must present.")
    public var tokenFile: String?

    @Flag(help: "Serve beyond loopback without a token: anyone who reaches the port reads the sweep.")
    public var insecure = false

    @Option(help: ArgumentHelp("Seconds a page is reused before the store is read again (benchmarks: 0).", visibility: .hidden))
    public var cacheSeconds = 1.0

    public init() {}

    public static let discussion = """
        Pages: / (the sweeps), /sweeps/NAME (overview: counts, rate, time left, workers, failures), \
        /sweeps/NAME/leaderboard (sortable, filterable by model), /sweeps/NAME/parameters (metric against \
        each hyperparameter, importance, parallel coordinates), /sweeps/NAME/search (best so far against \
        results and time), /sweeps/NAME/trials/ID (configuration, attempts, progress curves, errors). \
        Charts are inline SVG; nothing is fetched from the network. Open pages refresh themselves \
        (--refresh). The store may be written by a running sweep, and need not exist yet. Beyond \
        loopback, --token-file (readers open the page once as /?token=TOKEN, or send \
        'Authorization: Bearer TOKEN') or --insecure is required.
        """

    public func validate() throws {
        guard refresh >= 1 else { throw ValidationError("--refresh \(refresh): at least 1 (second), so a page asks at most once a second") }
        guard cacheSeconds >= 0 else { throw ValidationError("--cache-seconds \(cacheSeconds): must not be negative") }
        let address: DashboardBind
        do { address = try DashboardBind(bind) } catch { throw ValidationError("\(error)") }
        if !address.isLoopback, tokenFile == nil, !insecure {
            throw ValidationError(
                "--bind \(bind) serves beyond loopback: add --token-file FILE (readers present the token) or --insecure (anyone who reaches the port reads the sweep)"
            )
        }
    }

    /// The same options as command-line arguments, for passing on.
    public var arguments: [String] {
        var arguments = [store, "--bind", bind, "--refresh", String(refresh)]
        if let tokenFile { arguments += ["--token-file", tokenFile] }
        if insecure { arguments.append("--insecure") }
        if cacheSeconds != 1 { arguments += ["--cache-seconds", String(cacheSeconds)] }
        return arguments
    }
}
