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

/// Options shared by every command that opens a data set.
struct DatasetOptions: ParsableArguments {
    @Argument(help: "A MovieLens folder, a MIND folder, a generated folder, an interactions file (CSV/TSV), or a data-set file (*.yaml) naming one interactions file per domain.")
    var path: String

    @Option(help: "Layout: auto, movielens, mind, linked or generic.")
    var layout: DatasetLocator.Kind = .auto

    @Option(help: "Generic files: the user column (0-based position or header name).")
    var userColumn: String = "0"
    @Option(help: "Generic files: the item column.")
    var itemColumn: String = "1"
    @Option(help: "Generic files: the value column, or 'none' for implicit events.")
    var valueColumn: String = "2"
    @Option(help: "Generic files: the timestamp column, or 'none'.")
    var timestampColumn: String = "3"
    @Option(help: "Generic files: header present, absent or auto.")
    var header: GenericInteractionsLoader.Header = .auto
    @Option(help: "Generic files: domain name.")
    var domainName: String = "items"
    @Option(help: "Generic files: auto (a value column that is the same everywhere is implicit), implicit or explicit.")
    var feedback: GenericInteractionsLoader.Feedback = .auto

    @Option(help: "Repeated (user, item) pairs: keep-all, keep-last or reject.")
    var duplicates: DuplicatePolicy = .keepLast

    @Option(help: "A second data set to join to the first through --links.")
    var with: String?
    @Option(help: "User link file (user_in_first,user_in_second) for --with.")
    var links: String?

    @Option(help: "Split one domain into several by category groups, e.g. 'Action,Adventure,Sci-Fi,Thriller | Comedy,Romance,Drama'.")
    var domainSplit: String?

    func validate() throws {
        if (with == nil) != (links == nil) { throw ValidationError("--with and --links go together") }
    }

    func locator(kind: DatasetLocator.Kind? = nil) -> DatasetLocator {
        var locator = DatasetLocator()
        locator.kind = kind ?? layout
        locator.movieLens.duplicates = duplicates
        locator.generic.duplicates = duplicates
        locator.generic.header = header
        locator.generic.domainName = domainName
        locator.generic.feedback = feedback
        locator.generic.user = .init(parsing: userColumn)
        locator.generic.item = .init(parsing: itemColumn)
        locator.generic.value = valueColumn == "none" ? nil : .init(parsing: valueColumn)
        locator.generic.timestamp = timestampColumn == "none" ? nil : .init(parsing: timestampColumn)
        return locator
    }

    func open() throws -> DatasetLocator.Opened {
        let data = DataFolder()
        let path = try data.resolve(self.path)
        var opened =
            DescriptionFile.matches(path)
            ? DatasetLocator.Opened(dataset: try DatasetDescription.load(file: path).open(), extra: [:])
            : try locator().open(path: path)
        if let with, let links {
            var second = locator(kind: .auto)
            second.generic.domainName = domainName == "items" ? "items-2" : domainName + "-2"
            let other = try second.open(path: try data.resolve(with))
            opened.dataset = try UserLinks.load(file: try data.resolve(links)).join(opened.dataset, other.dataset)
            opened.extra.merge(other.extra) { $0 + "; " + $1 }
        }
        if let domainSplit {
            opened.dataset = try DomainSplit(parsing: domainSplit).apply(to: opened.dataset)
        }
        return opened
    }
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
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() throws {
            let opened = try runReportingDataErrors { () throws in try dataset.open() }
            let statistics = DatasetStatistics(opened.dataset, extra: opened.extra)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
            } else {
                print(statistics.render())
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
