import ArgumentParser
import DataFetch
import Foundation
import RecData

extension DataCommand {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download an official data set archive, verify its checksum and unpack it.",
            discussion: """
                Names: \(DatasetCatalog.official.names.joined(separator: ", ")).

                Each data set is unpacked into the data folder, in a folder of its name (data/ml-100k): \
                data/ in the current directory, or $\(DataFolder.environmentVariable) when set. Every \
                command then finds it by name: crossrec train ml-100k, or path: ml-100k in a sweep file.

                Downloads resume where they stopped; MovieLens archives are checked against the .md5 \
                files GroupLens publishes; MIND publishes no checksum, so the SHA-256 of what was \
                downloaded is recorded in the data folder (downloads.sha256) and checked on later runs. \
                The data sets' licenses forbid redistribution: keep them out of version control (data/ \
                is git-ignored).
                """
        )

        @Argument(help: "Data set name (see above).")
        var name: String

        @Option(help: "The data folder to unpack into (default: $\(DataFolder.environmentVariable), else data/).")
        var output: String?
        @Option(help: .hidden) var cache: String?

        @Option(help: .hidden)
        var baseURL: String?

        func run() async throws {
            var fetcher = Fetcher()
            if let baseURL, let url = URL(string: baseURL) {
                for source in DatasetSource.allCases { fetcher.baseURLs[source] = url }
            }
            let release: DatasetRelease
            do {
                release = try fetcher.catalog.dataset(named: name)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(Data("\(release.name): \(release.license)\n".utf8))
            let chosen = output ?? cache
            let folder = chosen ?? DataFolder().path
            let legacy = (DataFolder.legacyCachePath as NSString).appendingPathComponent(name)
            if chosen == nil, FileManager.default.fileExists(atPath: legacy + "/" + Fetcher.completeMarkerName) {
                FileHandle.standardError.write(
                    Data(
                        ("note: \(legacy) holds an earlier fetch, from before the data folder; this fetch goes to "
                            + "\(folder)/ (to reuse the old copy instead: mkdir -p \(folder) && mv \(legacy) \(folder)/)\n").utf8))
            }
            let progress = ProgressPrinter()
            do {
                let unpacked = try await fetcher.fetch(
                    name: name, into: URL(fileURLWithPath: folder),
                    progress: { done, total in progress.update(done: done, total: total) },
                    events: { event in progress.report(Self.describe(event, folder: folder)) })
                progress.finish()
                print((folder as NSString).appendingPathComponent(unpacked.lastPathComponent))
            } catch {
                progress.finish()
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }

        /// One line per step, said once it is done.
        static func describe(_ event: FetchEvent, folder: String) -> String {
            switch event {
            case .alreadyComplete(let directory):
                return "already complete in \((folder as NSString).appendingPathComponent(directory.lastPathComponent))"
            case .reused(let archive, _):
                return "\(archive): in the data folder already, unchanged since it was fetched (SHA-256 as recorded)"
            case .downloading(let archive, let url):
                return "\(archive): downloading \(url.absoluteString)"
            case .verified(let archive, let md5, let url):
                return "\(archive): verified: MD5 \(md5) matches \(url.absoluteString)"
            case .recorded(let archive, let sha256):
                return "\(archive): the publisher serves no checksum; SHA-256 \(sha256) recorded in downloads.sha256 "
                    + "and checked on later runs"
            case .unpacked(let directory):
                return "unpacked into \((folder as NSString).appendingPathComponent(directory.lastPathComponent))"
            }
        }
    }
}

/// Download progress on stderr: a rewritten line on a terminal, a line per 10% otherwise.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDecile = -1
    private let isTerminal = isatty(STDERR_FILENO) != 0

    func update(done: Int64, total: Int64?) {
        lock.lock()
        defer { lock.unlock() }
        let megabytes = String(format: "%.1f", Double(done) / 1e6)
        guard let total, total > 0 else {
            if isTerminal {
                lastDecile = 0
                FileHandle.standardError.write(Data("\r  \(megabytes) MB".utf8))
            }
            return
        }
        let percent = Int(Double(done) / Double(total) * 100)
        if isTerminal {
            lastDecile = percent / 10
            FileHandle.standardError.write(Data("\r  \(megabytes) of \(String(format: "%.1f", Double(total) / 1e6)) MB (\(percent)%)".utf8))
        } else if percent / 10 != lastDecile {
            lastDecile = percent / 10
            FileHandle.standardError.write(Data("  \(percent)% of \(String(format: "%.1f", Double(total) / 1e6)) MB\n".utf8))
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal && lastDecile != -1 { FileHandle.standardError.write(Data("\n".utf8)) }
        lastDecile = -1
    }

    /// A line of its own, after any progress line.
    func report(_ line: String) {
        finish()
        FileHandle.standardError.write(Data("  \(line)\n".utf8))
    }
}
