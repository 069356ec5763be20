import ArgumentParser
import DataFetch
import Foundation
import RecEncoder

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Download and check the pretrained sentence encoders that embed item text.",
        discussion: """
            Start with:
              crossrec models fetch all-MiniLM-L6-v2
              crossrec models check

            Commands that use a model read it from <cache>/models/<name> (--cache, default \
            crossrec-cache), or from any folder given with --model-dir.
            """,
        subcommands: [Fetch.self, List.self, Check.self]
    )
}

extension ModelsCommand {
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model's files at a pinned revision and verify each one's SHA-256.",
            discussion: """
                Names: \(ModelCatalog.official.names.joined(separator: ", ")).

                Files go to <cache>/models/<name>. Each is downloaded from its Hugging Face repository at \
                a pinned commit into <file>.part (an interrupted download resumes), checked against the \
                SHA-256 crossrec pins, and only then renamed to its real name; a mismatch is an error \
                naming the file and both checksums, and leaves nothing under the file's name. Files \
                already present with the pinned SHA-256 are kept; a file present with another is \
                downloaded again.
                """
        )

        @Argument(help: "Model name (see above).")
        var name: String

        @Option(help: "Cache folder the model goes into (under models/NAME); the other commands' --cache.")
        var output: String = "crossrec-cache"
        @Option(help: .hidden) var cache: String?

        @Option(help: .hidden)
        var baseURL: String?

        func run() async throws {
            var fetcher = ModelFetcher()
            if let baseURL, let url = URL(string: baseURL) { fetcher.baseURL = url }
            let model: ModelRelease
            do {
                model = try fetcher.catalog.model(named: name)
            } catch {
                Self.note("error: \(error)")
                throw ExitCode(1)
            }
            let megabytes = String(format: "%.1f", Double(model.totalSize) / 1e6)
            Self.note("\(model.name): \(model.repository) at \(model.revision), \(megabytes) MB; \(model.license)")
            let progress = FileProgress()
            do {
                let report = try await fetcher.fetch(name: name, into: URL(fileURLWithPath: cache ?? output)) {
                    file, done, total in
                    progress.update(file: file, done: done, total: total)
                }
                progress.finish()
                for replaced in report.replaced {
                    Self.note(
                        "  \(replaced.path) had SHA-256 \(replaced.actualSHA256), not the pinned one: downloaded again")
                }
                Self.note(
                    "  \(report.downloaded.count) downloaded, \(report.verified.count) already present; all verified")
                print(report.folder.path)
            } catch {
                progress.finish()
                Self.note("error: \(error)")
                throw ExitCode(1)
            }
        }

        /// A line on stderr (stdout carries only the model folder, for scripts).
        private static func note(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List the models crossrec can fetch, with their pinned revision and whether they are in the cache.")

        @Option(help: "Cache folder.")
        var cache: String = "crossrec-cache"

        func run() throws {
            for model in ModelCatalog.official.models {
                let folder = ModelFetcher.directory(of: model.name, in: URL(fileURLWithPath: cache))
                let present = (try? SentenceModelFolder(validating: folder.path)) != nil
                let megabytes = String(format: "%.1f", Double(model.totalSize) / 1e6)
                print(
                    "\(model.name)\t\(model.repository)@\(model.revision)\t\(megabytes) MB\t"
                        + (present ? "in \(folder.path)" : "not fetched"))
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a model folder is complete and print its fingerprint.",
            discussion: """
                The fingerprint is the SHA-256 of the model files' SHA-256s (what keys the embedding cache); \
                reading the files takes a moment for large weights.
                """
        )

        @OptionGroup var model: ModelOptions

        func run() throws {
            try reportingUserErrors {
                let folder = try model.folder()
                print("\(folder.path)\t\(try folder.fingerprint())")
            }
        }
    }
}
