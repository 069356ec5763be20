import ArgumentParser
import DataFetch
import Foundation

extension DataCommand {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download an official data set archive, verify its checksum and unpack it.",
            discussion: """
                Names: \(DatasetCatalog.official.names.joined(separator: ", ")).

                Downloads resume where they stopped; MovieLens archives are checked against the .md5 \
                files GroupLens publishes; MIND publishes no checksum, so the SHA-256 of what was \
                downloaded is recorded in the cache (downloads.sha256) and checked on later runs. The \
                data sets' licenses forbid redistribution: keep them out of version control.
                """
        )

        @Argument(help: "Data set name (see above).")
        var name: String

        @Option(help: "Cache folder.")
        var cache: String = "crossrec-cache"

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
            for archive in release.archives {
                FileHandle.standardError.write(Data("  \(archive.fileName): \(archive.checksum.explanation)\n".utf8))
            }
            let progress = ProgressPrinter()
            do {
                let folder = try await fetcher.fetch(name: name, into: URL(fileURLWithPath: cache)) { done, total in
                    progress.update(done: done, total: total)
                }
                progress.finish()
                print(folder.path)
            } catch {
                progress.finish()
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
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
            if isTerminal { FileHandle.standardError.write(Data("\r  \(megabytes) MB".utf8)) }
            return
        }
        let percent = Int(Double(done) / Double(total) * 100)
        if isTerminal {
            FileHandle.standardError.write(Data("\r  \(megabytes) of \(String(format: "%.1f", Double(total) / 1e6)) MB (\(percent)%)".utf8))
        } else if percent / 10 != lastDecile {
            lastDecile = percent / 10
            FileHandle.standardError.write(Data("  \(percent)% of \(String(format: "%.1f", Double(total) / 1e6)) MB\n".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
