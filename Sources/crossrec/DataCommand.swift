public import ArgumentParser
import DataFetch
import Foundation
import RecData
import Sweep

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate, download and inspect data sets.",
        subcommands: [Inspect.self, Report.self, Generate.self, Fetch.self]
    )
}

/// The data set of `data inspect` and `data report`: a path and the shared data options.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "A name in the data folder (ml-100k: data/ml-100k, or $CROSSREC_DATA/ml-100k), a MovieLens folder, a MIND folder, a generated folder, an interactions file (CSV/TSV), or a data-set file (*.yaml) naming one interactions file per domain.")
    var path: String

    @OptionGroup(title: "Data files") var files: DataFileOptions

    func open() throws -> DatasetLocator.Opened { try files.open(path: path) }
}

extension DatasetLocator.Kind: ExpressibleByArgument {}
extension GenericInteractionsLoader.Feedback: ExpressibleByArgument {}
extension GenericInteractionsLoader.Header: ExpressibleByArgument {}
extension DuplicatePolicy: ExpressibleByArgument {}

extension DataCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the detected layout and statistics of a data set.",
            discussion: """
                Shows users, items, interactions, density, the rating histogram, per-domain counts, \
                users shared by all domains, MIND news coverage, and every duplicate or skipped row the \
                loader counted.
                """
        )

        @OptionGroup var dataset: DatasetOptions
        @Option(help: "Output format: table or json.") var format: OutputFormat = .table
        @Option(help: "Write the output to this file instead of standard output.") var output: String?
        @Flag(help: .hidden) var json = false

        func validate() throws { try format.check([.table, .json], command: "data inspect") }

        func run() throws {
            let opened = try runReportingDataErrors { () throws in try dataset.open() }
            let statistics = DatasetStatistics(opened.dataset, extra: opened.extra)
            if json || format == .json {
                try OutputFile.emit(try JSONOutput.text(statistics), to: output)
            } else {
                try OutputFile.emit(statistics.render(), to: output)
            }
        }
    }
}

/// Prints a data error the way compilers print errors (`file:line: …`) and exits 1.
func runReportingDataErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}
