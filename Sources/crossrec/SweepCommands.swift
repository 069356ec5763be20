import ArgumentParser
import Foundation
import Sweep
import SweepRuntime
import SweepStore

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a hyperparameter sweep on this machine, or show a sweep's progress.",
        subcommands: [Run.self, Status.self]
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a sweep file with a coordinator and N local worker processes; print the leaderboard.",
            discussion: """
                Example:
                  crossrec sweep run sweeps/quickstart.yaml --workers 4

                Trials are recorded in the store as they finish; running the same file again against \
                the same store skips finished trials (a changed grid adds only the new ones). For CI:
                  --assert 'rmse<=0.95' --junit out/sweep.xml --summary out/sweep.md

                Before starting workers, the data folder the sweep file names must exist and be readable, \
                and every --assert must name a metric on the leaderboard (the primary metric or one in \
                metric.record); --dry-run checks the same and runs nothing. When trials fail, the \
                leaderboard is still printed and written, then the first errors (grouped when identical) \
                go to stderr.

                \(sweepExitCodes)
                """
        )

        @Argument(help: "Sweep file (YAML).") var file: String
        @Option(help: "Worker processes to start (default: the number of cores).") var workers: Int?
        @Option(help: "Store (SQLite); default out/<sweep name>.sqlite.") var store: String?
        @OptionGroup var output: LeaderboardOutputOptions
        @Option(name: .customLong("assert"), help: "Threshold on the best result, e.g. 'rmse<=0.95' (repeatable).")
        var assertions: [String] = []
        @Option(help: "Write a JUnit XML summary here.") var junit: String?
        @Option(help: "Write a Markdown summary here.") var summary: String?
        @Flag(help: "Log protocol events.") var verbose = false
        @Option(help: "Log lines: text, or json (one object per line with the sweep, trial and worker ids as fields).")
        var logFormat: LogFormatOption = .text
        @Option(help: "Serve Prometheus metrics on HOST:PORT (GET /metrics), e.g. 127.0.0.1:9464; beyond loopback only with the coordinator's --insecure.")
        var metrics: String?
        @Flag(
            help: "Validate the sweep file, its data path and the --assert metrics, and print its trials per model, without running anything.")
        var dryRun = false
        @Flag(help: "Exit 0 even when trials failed (their errors are still printed).") var allowFailures = false
        @Option(help: .hidden) var statsFile: String?
        @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions

        func validate() throws {
            if let metrics, !MetricsAddress.isLoopback(metrics) {
                throw ValidationError("--metrics \(metrics): sweep run serves metrics on loopback only (127.0.0.1:PORT); a coordinator can serve beyond it with --insecure")
            }
            if let workers, workers < 1 {
                throw ValidationError("--workers must be at least 1, got \(workers) (leave it out for one worker per core)")
            }
        }

        func run() throws {
            let started = ContinuousClock.now
            let spec = try loadSweep(file)
            let parsedAssertions = try parseAssertions(assertions)
            let preflight = SweepPreflight(spec: spec, file: file)
            // Local workers share this machine and this current directory: the data must be here.
            let problems = preflight.assertionProblems(parsedAssertions) + preflight.dataProblems() + preflight.simulationProblems()
                + preflight.encoderProblems(modelPath: encoder.modelPath)
            let count = workers ?? ProcessInfo.processInfo.activeProcessorCount
            if let warning = SweepPreflight.workerCountWarning(count) { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            if dryRun {
                let expansion = spec.expand()
                print("\(spec.name): \(expansion.trials.count) trials")
                if expansion.duplicatesRemoved > 0 {
                    print(
                        "  (\(expansion.duplicatesRemoved) grid points repeat a listed trial and run once: a value given twice, or a parameter that does not apply to them)"
                    )
                }
                for model in spec.models.map(\.model) { print("  \(model): \(expansion.countsByModel[model] ?? 0)") }
                try SweepPreflight.stopIfAny(problems)
                return
            }
            try SweepPreflight.stopIfAny(problems)
            if verbose {
                FileHandle.standardError.write(Data(
                    "parsed \(file) in \(ContinuousClock.now - started) (resident \(ResidentMemory.mebibytes(ResidentMemory.bytes())))\n".utf8))
            }
            var options = CoordinatorService.Options(bind: "tcp://127.0.0.1:0", storePath: store ?? "out/\(spec.name).sqlite")
            options.verbose = verbose
        options.logFormat = logFormat.format
        options.metrics = metrics
            let shutdown = ShutdownSignal()
            shutdown.install()
            let coordinator = CoordinatorService(spec: spec, options: options, shutdown: shutdown)
            let endpoint = try runtime { try coordinator.bind() }
            if let server = coordinator.metricsServer { FileHandle.standardError.write(Data("metrics at \(server.url)\n".utf8)) }
            // Beside the store; a bare file name means the current directory (not the filesystem root).
            let storeFolder = (options.storePath as NSString).deletingLastPathComponent
            let logFolder = (storeFolder.isEmpty ? "." : storeFolder) + "/logs-\(spec.name)"
            let local = try runtime {
                try LocalWorkers(count: count, endpoint: endpoint, extraArguments: (verbose ? ["--verbose"] : []) + ["--log-format", logFormat.rawValue] + encoder.workerArguments, logFolder: logFolder)
            }
            FileHandle.standardError.write(Data("sweep \(spec.name): \(coordinator.trialCount()) trials, \(count) workers, store \(options.storePath)\n".utf8))
            let printer = ProgressLine(metric: spec.metric)
            let outcome: CoordinatorService.Outcome
            do {
                outcome = try coordinator.run(status: printer.update)
            } catch {
                printer.finish()
                local.stop()
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            printer.finish()
            // Registered workers exit within milliseconds of the coordinator's shutdown; one that
            // never got to join before the sweep ended is stopped with SIGTERM.
            local.stop(natural: .milliseconds(300))
            FileHandle.standardError.write(Data("\(outcome.summary)\n".utf8))
            if let statsFile { try RunStatistics(
                    started: started, trials: outcome.summary.total, loopStart: outcome.residentBytesAtLoopStart,
                    loopEnd: outcome.residentBytesAtLoopEnd, loopDuration: outcome.loopDuration).write(to: statsFile) }
            try finish(
                outcome, name: spec.name, output: output, assertions: parsedAssertions.map(\.assertion), junit: junit,
                summary: summary, interrupted: shutdown.isRequested, allowFailures: allowFailures)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A sweep's progress from its store: counts by state, results per second and time left, each worker's host, slots and current trials, failures grouped by message (live while a coordinator runs: the store is read in WAL mode).")

        @Argument(help: "Store (SQLite).") var store: String
        @Option(help: "Sweep name (default: every sweep in the store).") var sweep: String?

        @Option(help: "Printed format: \(OutputFormat.list(Self.formats)).") var format: OutputFormat = .table

        static let formats: [OutputFormat] = [.table, .json]

        func validate() throws { try format.check(Self.formats, command: "sweep status") }

        func run() throws {
            let opened = try runtime { try SweepStore.openReadOnly(store) }
            let records = try runtime { try opened.sweeps() }.filter { sweep == nil || $0.name == sweep }
            if records.isEmpty {
                let names = try runtime { try opened.sweeps() }.map(\.name)
                let held = names.isEmpty ? "it holds no sweep yet" : "its sweeps: " + names.joined(separator: ", ")
                FileHandle.standardError.write(Data("error: \(store) has no sweep\(sweep.map { " named '\($0)'" } ?? ""); \(held)\n".utf8))
                throw ExitCode(1)
            }
            let overviews = try records.map { record in try runtime { try opened.overview(sweep: record.id) } }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(overviews), as: UTF8.self))
            default:
                print(overviews.map(Self.text).joined(separator: "\n\n"))
            }
        }

        /// The overview as lines: counts, rate and time left, workers, failures grouped by message.
        static func text(_ overview: SweepOverview) -> String {
            let o = overview
            let stopped = o.stopped > 0 ? ", \(o.stopped) stopped early" : ""
            var lines = [
                "\(o.sweep): \(o.finished) finished, \(o.running) running, \(o.pending) pending, \(o.failed) failed\(stopped), \(o.total) total"
            ]
            let clock = Date.ISO8601FormatStyle()  // UTC, the store's clock: 2026-12-06T12:03:04Z
            if o.results > 0 {
                var line = "  results: \(o.results)"
                if let rate = o.resultsPerSecond { line += String(format: ", %.2f/s", rate) }
                if let left = o.secondsLeft, o.pending + o.running > 0 { line += String(format: ", about %.0f s left", left) }
                if let last = o.lastResultAt { line += ", last at \(last.formatted(clock))" }
                lines.append(line)
            }
            for worker in o.workers {
                let seen = worker.lastActivity.map { ", last active \($0.formatted(clock))" } ?? ""
                let running = worker.running.isEmpty ? "idle" : "running \(worker.running.count) (\(worker.running.prefix(3).joined(separator: ", "))\(worker.running.count > 3 ? ", …" : ""))"
                lines.append(
                    "  worker \(worker.name) on \(worker.host), \(worker.slots) slot\(worker.slots == 1 ? "" : "s"): \(running), \(worker.attempts) lease\(worker.attempts == 1 ? "" : "s")\(seen)")
            }
            for group in o.failures {
                lines.append("  failed \(group.trials)× (\(group.kind ?? "unknown"); e.g. trial \(group.example)): \(group.message)")
            }
            return lines.joined(separator: "\n")
        }
    }
}

struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a sweep's coordinator; workers on any machine connect to it with `crossrec worker`.",
        discussion: """
            --bind takes exactly one endpoint: tcp://IPV4:PORT, tcp://[IPV6]:PORT, tcp://localhost:PORT, \
            ipc://PATH or inproc://NAME (PORT 0 picks a free port; --endpoint-file tells which). Lists, \
            interface names, host names and the wildcard * are refused (write 0.0.0.0 or [::] to listen \
            on every interface). Binding beyond loopback needs CURVE keys (--curve-key and --allow, see \
            `crossrec keys generate`) or an explicit --insecure.

            Every --assert must name a metric on the leaderboard (the primary metric or one in \
            metric.record). The workers read the data, so a data path missing on this machine is only \
            a warning here. When trials fail, the leaderboard is still printed and written, then the \
            first errors (grouped when identical) go to stderr.

            \(sweepExitCodes)
            """
    )

    @Argument(help: "Sweep file (YAML).") var file: String
    @Option(help: "ZeroMQ endpoint to bind.") var bind = "tcp://127.0.0.1:5555"
    @Option(help: "Store (SQLite); default out/<sweep name>.sqlite.") var store: String?
    @Option(help: "This coordinator's CURVE secret key file (NAME.key).") var curveKey: String?
    @Option(help: "Allow-list of worker public keys: a folder of .pub files or a file with one key per line.") var allow: String?
    @Flag(help: "Allow binding beyond loopback without encryption.") var insecure = false
    @Option(help: "Write the bound endpoint here (useful with port 0).") var endpointFile: String?
    @Option(help: "Heartbeat interval in milliseconds (peers are lost after 3 missed).") var heartbeatMs = 1000
    @OptionGroup var output: LeaderboardOutputOptions
    @Option(name: .customLong("assert"), help: "Threshold on the best result (repeatable).") var assertions: [String] = []
    @Option(help: "Write a JUnit XML summary here.") var junit: String?
    @Option(help: "Write a Markdown summary here.") var summary: String?
    @Flag(help: "Log protocol events.") var verbose = false
        @Option(help: "Log lines: text, or json (one object per line with the sweep, trial and worker ids as fields).")
        var logFormat: LogFormatOption = .text
        @Option(help: "Serve Prometheus metrics on HOST:PORT (GET /metrics), e.g. 127.0.0.1:9464; beyond loopback only with the coordinator's --insecure.")
        var metrics: String?
    @Flag(help: "Exit 0 even when trials failed (their errors are still printed).") var allowFailures = false

    func validate() throws {
        if (curveKey == nil) != (allow == nil) { throw ValidationError("--curve-key and --allow go together") }
        let endpoint = try bindEndpoint()
        if curveKey == nil && !insecure && !endpoint.isLoopback {
            throw ValidationError(
                "binding \(bind) beyond loopback without CURVE keys: pass --curve-key and --allow (see `crossrec keys generate`), or --insecure")
        }
        if let metrics, !insecure, !MetricsAddress.isLoopback(metrics) {
            throw ValidationError("--metrics \(metrics) serves beyond loopback: bind 127.0.0.1, or add --insecure (anyone who reaches it reads the sweep's figures)")
        }
    }

    /// `--bind`, parsed; its refusal is a usage error.
    func bindEndpoint() throws -> BindEndpoint {
        do {
            return try BindEndpoint(parsing: bind)
        } catch {
            throw ValidationError("--bind '\(bind)': \(error)")
        }
    }

    func run() throws {
        let spec = try loadSweep(file)
        let parsedAssertions = try parseAssertions(assertions)
        let preflight = SweepPreflight(spec: spec, file: file)
        try SweepPreflight.stopIfAny(preflight.assertionProblems(parsedAssertions))
        for problem in preflight.dataProblems() + preflight.simulationProblems() {
            FileHandle.standardError.write(
                Data("warning: \(problem) (the workers read the data: this only matters if they run from here)\n".utf8))
        }
        // libzmq binds `localhost` only as a numeric address.
        var options = CoordinatorService.Options(
            bind: try bindEndpoint().zmqEndpoint, storePath: store ?? "out/\(spec.name).sqlite", keyFile: curveKey, allowList: allow)
        options.verbose = verbose
        options.logFormat = logFormat.format
        options.metrics = metrics
        options.heartbeatInterval = .milliseconds(heartbeatMs)
        let shutdown = ShutdownSignal()
        shutdown.install()
        let coordinator = CoordinatorService(spec: spec, options: options, shutdown: shutdown)
        let endpoint = try runtime { try coordinator.bind() }
        if let server = coordinator.metricsServer { FileHandle.standardError.write(Data("metrics at \(server.url)\n".utf8)) }
        FileHandle.standardError.write(Data("coordinator for \(spec.name) listening on \(endpoint), store \(options.storePath)\n".utf8))
        if let endpointFile { try endpoint.write(toFile: endpointFile, atomically: true, encoding: .utf8) }
        let printer = ProgressLine(metric: spec.metric)
        let outcome = try runtime { try coordinator.run(status: printer.update) }
        printer.finish()
        FileHandle.standardError.write(Data("\(outcome.summary)\n".utf8))
        try finish(
            outcome, name: spec.name, output: output, assertions: parsedAssertions.map(\.assertion), junit: junit,
            summary: summary, interrupted: shutdown.isRequested, allowFailures: allowFailures)
    }
}

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Connect to a coordinator and run the trials it leases until the sweep ends.")

    @Option(help: "Coordinator endpoint.") var connect = "tcp://127.0.0.1:5555"
    @Option(help: "Worker id (default: host-pid).") var id: String?
    @Option(help: "Trials run at once.") var slots = 1
    @Option(help: "Heartbeat interval in milliseconds until the coordinator's welcome sets its own.") var heartbeatMs = 1000
    @Option(help: "The coordinator's public key file (NAME.pub), for CURVE.") var serverKey: String?
    @Option(help: "This worker's CURVE secret key file (NAME.key).") var curveKey: String?
    @Option(
        help:
            "Exit with an error when no coordinator has answered for this many seconds since the start (0: wait forever). A worker that was welcomed once waits for a lost coordinator without limit."
    ) var giveUpAfter = 300
    @Flag(help: "Log protocol events.") var verbose = false
        @Option(help: "Log lines: text, or json (one object per line with the sweep, trial and worker ids as fields).")
        var logFormat: LogFormatOption = .text
    @Option(help: "Serve this worker's Prometheus metrics on HOST:PORT (GET /metrics), e.g. 127.0.0.1:9465; beyond loopback only with --insecure.")
    var metrics: String?
    @Flag(help: "Allow --metrics beyond loopback (plain HTTP: anyone who reaches it reads this worker's figures); the connection to the coordinator is not affected.")
    var insecure = false
    @OptionGroup(title: "Sentence encoder (content features 'minilm')") var encoder: TextEncoderOptions
    @Option(help: .hidden) var exitWithParent: Int32?

    func validate() throws {
        if (serverKey == nil) != (curveKey == nil) { throw ValidationError("--server-key and --curve-key go together") }
        if slots < 1 { throw ValidationError("--slots must be at least 1") }
        if giveUpAfter < 0 { throw ValidationError("--give-up-after must be 0 (never) or a number of seconds") }
        if let metrics, !insecure, !MetricsAddress.isLoopback(metrics) {
            throw ValidationError("--metrics \(metrics) serves beyond loopback: bind 127.0.0.1, or add --insecure (anyone who reaches it reads this worker's figures)")
        }
    }

    func run() throws {
        // Set by `sweep run` for its local workers: they end with it, even when it is killed.
        if let exitWithParent { ParentWatch.start(parent: exitWithParent) }
        var options = WorkerService.Options(
            endpoint: connect, workerID: id ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)",
            slots: slots, serverPublicKey: try serverKey.map { path in try runtime { try CurveKeyFiles.loadPublicKey(path: path) } },
            keyFile: curveKey)
        options.verbose = verbose
        options.logFormat = logFormat.format
        options.heartbeatInterval = .milliseconds(heartbeatMs)
        options.giveUpAfter = giveUpAfter == 0 ? nil : .seconds(giveUpAfter)
        options.metrics = metrics
        let shutdown = ShutdownSignal()
        shutdown.install()
        let worker = WorkerService(options: options, runner: TrialRunner(textEmbedder: encoder.embedder()), shutdown: shutdown)
        if let server = try runtime({ try worker.startMetricsServer() }) {
            FileHandle.standardError.write(Data("metrics at \(server.url)\n".utf8))
        }
        let exit = try runtime { try worker.run() }
        switch exit {
        case .completed: return
        case .rejected(let rejection):
            FileHandle.standardError.write(Data("error: the coordinator rejected this worker: \(rejection)\n".utf8))
            throw ExitCode(1)
        case .unreachable(let reason):
            FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Print a sweep's leaderboard from its store (also while the sweep runs).")

    @Argument(help: "Store (SQLite).") var store: String
    @Option(help: "Sweep name (default: the most recent sweep in the store).") var sweep: String?
    @OptionGroup var output: LeaderboardOutputOptions

    func run() throws {
        let opened = try runtime { try SweepStore.openReadOnly(store) }
        let records = try opened.sweeps()
        guard let record = sweep.map({ name in records.first { $0.name == name } }) ?? records.max(by: { $0.id < $1.id }) else {
            FileHandle.standardError.write(Data("error: \(store) holds no sweep\(sweep.map { " named '\($0)'" } ?? ""); sweeps: \(records.map(\.name).joined(separator: ", "))\n".utf8))
            throw ExitCode(1)
        }
        let (spec, leaderboard) = try runtime { try CoordinatorService.storedLeaderboard(store: opened, record: record) }
        try output.write(leaderboard, name: record.name, search: try SearchReport.load(store: opened, sweep: record.id, spec: spec))
    }
}

/// Where and how leaderboards are printed and saved.
struct LeaderboardOutputOptions: ParsableArguments {
    @Option(help: "Printed format: table (Markdown), md, csv, json or html.") var format: OutputFormat = .table
    @Option(help: "Also write leaderboard.{md,csv,json,html} (and search.json for an adaptive search) into this folder.")
    var output: String?
    @Option(help: .hidden) var reportFolder: String?

    /// The folder the reports go to: `--output` (or the older `--report-folder`).
    var folder: String? { output ?? reportFolder }

    /// The leaderboard in `format`; with an adaptive search or early stopping, its `search`
    /// report too: a summary after the Markdown table, a section with its curves in the HTML page,
    /// and `search.json` in the report folder.
    func write(_ leaderboard: Leaderboard, name: String, search: SearchReport?) throws {
        guard let search else { return try write(leaderboard, name: name) }
        switch format {
        case .table, .md:
            try write(leaderboard, name: name)
            print("\n" + search.markdown(), terminator: "")
        case .html: print(Self.html(leaderboard, name: name, search: search), terminator: "")
        default: try write(leaderboard, name: name)
        }
        if let folder {
            try OutputFile.write(search.json(), to: "\(folder)/search.json")
            try OutputFile.write(Self.html(leaderboard, name: name, search: search), to: "\(folder)/leaderboard.html")
        }
    }

    /// The leaderboard page with the search section before its end.
    static func html(_ leaderboard: Leaderboard, name: String, search: SearchReport) -> String {
        let page = leaderboard.html(title: name)
        guard let end = page.range(of: "</body>", options: .backwards) else { return page + search.htmlSection() }
        return page.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: search.htmlSection())
    }

    func write(_ leaderboard: Leaderboard, name: String) throws {
        switch format {
        case .table, .md: print(leaderboard.markdown())
        case .csv: print(leaderboard.csv())
        case .json: print(leaderboard.json())
        case .html: print(leaderboard.html(title: name))
        }
        if let folder {
            for (suffix, text) in [("md", leaderboard.markdown()), ("csv", leaderboard.csv()), ("json", leaderboard.json()), ("html", leaderboard.html(title: name))] {
                try OutputFile.write(text, to: "\(folder)/leaderboard.\(suffix)")
            }
        }
    }
}

func loadSweep(_ file: String) throws -> SweepSpec {
    do {
        return try SweepSpec(contentsOfFile: file, catalog: TrialRunner.catalog)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Runs `body`, printing any error as `error: …` and exiting 1.
func runtime<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// The exit codes of `sweep run` and `coordinator`, for their help.
let sweepExitCodes = """
    Exit codes: 0 when every trial finished and every --assert held; 1 when an --assert failed, or \
    the sweep could not run (unreadable sweep file, missing data, an --assert on a metric the \
    leaderboard does not have, a store or network error); 2 when trials failed (all asserts held; \
    --allow-failures makes this 0); 64 for an invalid command line (--workers 0, a refused --bind, an \
    --assert that does not parse); 130 when interrupted (SIGINT/SIGTERM: finished trials are kept \
    and the rest run when the same command runs again).
    """

/// Prints the leaderboard, writes reports, checks assertions, then lists failed trials.
///
/// Exits 130 when interrupted, else 1 when an assertion failed, else 2 when a trial failed (unless
/// `allowFailures`); the leaderboard and reports are written first in every case.
func finish(
    _ outcome: CoordinatorService.Outcome, name: String, output: LeaderboardOutputOptions, assertions: [CIAssertion],
    junit: String?, summary: String?, interrupted: Bool, allowFailures: Bool
) throws {
    let leaderboard = outcome.leaderboard
    try output.write(leaderboard, name: name, search: outcome.search)
    let report = CIReport(name: name, leaderboard: leaderboard, assertions: assertions)
    if let junit { try OutputFile.write(report.junitXML(), to: junit) }
    if let summary { try OutputFile.write(report.markdown(), to: summary) }
    for result in report.assertions {
        FileHandle.standardError.write(Data("\(result.message)\n".utf8))
    }
    let failed = max(outcome.summary.failed, leaderboard.failedCount)
    if failed > 0 {
        let total = max(outcome.summary.total, leaderboard.trialCount)
        let level = allowFailures ? "warning" : "error"
        let consequence = allowFailures ? "accepted by --allow-failures" : "exit 2; --allow-failures accepts them"
        var lines = ["\(level): \(failed) of \(total) trials failed (\(consequence)):"]
        lines += leaderboard.failureReport().map { "  \($0)" }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
    if interrupted { throw ExitCode(130) }
    if !report.assertionsPassed { throw ExitCode(1) }
    if failed > 0 && !allowFailures { throw ExitCode(2) }
}

/// Figures the benchmark reads back (`--stats-file`): wall time and this process's peak memory.
struct RunStatistics: Codable {
    var seconds: Double
    var trials: Int
    /// Peak resident memory of the `sweep run` process (the coordinator; workers are separate processes).
    var peakResidentBytes: Int
    /// Resident memory when the coordinator's dispatch loop started and ended.
    var loopStartResidentBytes: Int?
    var loopEndResidentBytes: Int?
    /// Seconds of the coordinator's dispatch loop alone (no start-up, no leaderboard).
    var loopSeconds: Double?

    init(
        started: ContinuousClock.Instant, trials: Int, loopStart: Int? = nil, loopEnd: Int? = nil,
        loopDuration: Duration? = nil
    ) {
        loopSeconds = loopDuration.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        loopStartResidentBytes = loopStart
        loopEndResidentBytes = loopEnd
        let elapsed = ContinuousClock.now - started
        seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.trials = trials
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        peakResidentBytes = Int(usage.ru_maxrss) * 1024
    }

    func write(to path: String) throws {
        try String(decoding: try JSONEncoder().encode(self), as: UTF8.self).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// `--log-format`: the CLI's name for ``LogFormat`` (a conformance of a library type to
/// ArgumentParser's protocol would have to be public).
enum LogFormatOption: String, CaseIterable, ExpressibleByArgument {
    case text, json

    var format: LogFormat { self == .json ? .json : .text }
}

/// `--metrics HOST:PORT`: whether HOST is a loopback address.
enum MetricsAddress {
    static func isLoopback(_ address: String) -> Bool {
        let host = address.split(separator: ":").dropLast().joined(separator: ":")
        return host.hasPrefix("127.") || host == "localhost"
    }
}
