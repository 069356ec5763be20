import ArgumentParser
import Foundation
import SweepRuntime

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage CURVE keys that encrypt and authenticate coordinator-worker traffic.",
        subcommands: [Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write NAME.key (secret, mode 0600) and NAME.pub (public) into a folder.",
            discussion: """
                The coordinator needs its own key (--curve-key coordinator.key) and an allow-list of \
                worker public keys (--allow keys/workers/, a folder of .pub files or a file with one key \
                per line). Each worker needs its own key and the coordinator's public key (--server-key \
                coordinator.pub).
                """
        )

        @Argument(help: "Key name, e.g. coordinator or worker-1.") var name: String
        @Option(help: "Folder to write NAME.key and NAME.pub into (created).") var output: String = "keys"
        @Option(help: .hidden) var folder: String?
        @Flag(help: "Replace an existing key of that name.") var overwrite = false

        func run() throws {
            do {
                let written = try CurveKeyFiles.generate(name: name, folder: folder ?? output, overwrite: overwrite)
                print("secret key: \(written.secretKeyPath) (keep private)")
                print("public key: \(written.publicKeyPath)  \(written.publicKey)")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
