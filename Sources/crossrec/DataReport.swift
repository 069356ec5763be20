import ArgumentParser
import Foundation
import Reports

extension DataCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an exploratory HTML report of a data set (charts as inline SVG, viewable offline).",
            discussion: """
                Per domain: the rating or click histogram, how many rows users and items have (log2 \
                bins: the long tails), the categories (genres, news categories), the length of item \
                texts and the most frequent words (a word cloud, English stop words removed). Then the \
                users shared across domains. For genre × topic correlations use `crossrec analyze`.

                Example:
                  crossrec data generate --output out/synthetic && crossrec data report out/synthetic
                """
        )

        @OptionGroup var dataset: DatasetOptions
        @Option(help: "The HTML file to write (default: out/<data set>-report.html).") var output: String?

        func run() throws {
            let opened = try runReportingDataErrors { () throws in try dataset.open() }
            let report = DatasetReport(opened.dataset)
            let file = output ?? "out/\(opened.dataset.name)-report.html"
            let folder = (file as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try report.html().write(toFile: file, atomically: true, encoding: .utf8)
            print("wrote \(file): \(report.domains.count) domain(s), \(opened.dataset.users.count) users")
        }
    }
}
