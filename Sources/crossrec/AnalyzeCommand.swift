import ArgumentParser
import Foundation
import ParameterSpecs
import RecData
import RecEval
import RecModels
import Sweep
import SweepRuntime

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "How the categories users consume in one domain relate to another's (movie genres × news topics).",
        discussion: """
            For the users present in both domains, correlates each user's share of rows per \
            category in one domain with their share per category in the other, tests every pair \
            by re-pairing the users at random (a permutation test) and marks the pairs significant \
            under Benjamini–Hochberg. On generated data (a folder with truth.json, or --synthetic) \
            it also says how well the result recovers the planted genre × topic affinity.

            --clusters K|auto also trains a model with user vectors (the unified model: one vector \
            per user for both domains) on every row, clusters those users' vectors by k-means \
            (k-means++, several restarts, --seed; auto: the k of 2…10 with the best silhouette) and \
            profiles each cluster: size, categories with the highest lift over the population, and \
            the members' share of the significant cross-domain correlations; the HTML page adds a \
            cluster × category heatmap and the network of significant pairs. On generated data with \
            planted groups (--groups) it gives the adjusted Rand index against them, beside the one \
            a Bayes classifier that knows the generator reaches (what the data allows).

            Examples:
              crossrec analyze --synthetic --users 3000
              crossrec analyze --synthetic --users 3000 --affinity 0      # the negative control
              crossrec analyze out/synthetic --format html --output out/affinity.html
              crossrec analyze ml-100k --domain-split "Action,Adventure,Sci-Fi,Thriller | Comedy,Romance,Drama"
              crossrec analyze --synthetic --users 3000 --groups 4 --clusters auto --format html --output out/clusters.html
            """
    )

    @OptionGroup var source: SourceOptions
    @Option(help: "Domain whose categories are the rows (default: movies, or the first).") var rows: String?
    @Option(help: "Domain whose categories are the columns (default: news, or the second).") var columns: String?
    @Option(help: "Rows a user needs in each domain to be counted.") var minRows: Int = 5
    @Option(help: "Random re-pairings of the users per test.") var permutations: Int = 1000
    @Option(help: "False discovery rate of the Benjamini–Hochberg procedure.") var fdr: Double = 0.05
    @Option(help: "Seed of the permutations.") var seed: UInt64 = 1
    @Option(help: "Pairs listed.") var top: Int = 15
    @Option(help: "Output format: table (the significant pairs), json (the whole matrix) or html (a heatmap page, inline SVG).")
    var format: OutputFormat = .table
    @Option(help: "Write the output to this file instead of standard output.") var output: String?
    @Option(help: "Cluster the users' vectors into K clusters, or auto (the best silhouette over k = 2…10).")
    var clusters: String?
    @Option(help: "Model whose user vectors are clustered: unified, als or bpr (with --clusters).")
    var clusterModel: String = UnifiedModel.name
    @Option(name: .customLong("cluster-param"), help: "Hyperparameter name=value of the cluster model (repeatable).")
    var clusterParameters: [String] = []
    @Option(help: "k-means restarts (with --clusters); the lowest inertia is kept.") var restarts: Int = 10
    @Option(help: .hidden) var html: String?
    @Flag(help: .hidden) var json = false

    func validate() throws {
        try format.check([.table, .json, .html], command: "analyze")
        guard permutations >= 1 else { throw ValidationError("--permutations must be at least 1, got \(permutations)") }
        guard fdr > 0 && fdr < 1 else { throw ValidationError("--fdr must be in (0, 1), got \(fdr)") }
        guard minRows >= 1 else { throw ValidationError("--min-rows must be at least 1, got \(minRows)") }
        if let clusters {
            do throws(EvaluationError) { _ = try ClusterCount(parsing: clusters) } catch { throw ValidationError("--clusters: \(error.message)") }
        }
        guard restarts >= 1 else { throw ValidationError("--restarts must be at least 1, got \(restarts)") }
    }

    func run() throws {
        try reportingUserErrors {
            let status = CommandProgress(label: "analyze")
            status.start("reading the data")
            let (dataset, folder) = try source.open()
            let names = dataset.domains.map(\.name)
            guard names.count >= 2 else {
                throw RuntimeError(
                    "\(folder) has one domain (\(names.joined())); analyze needs two: a linked folder (crossrec data generate), or --domain-split to cut one data set by category groups"
                )
            }
            let rowName = rows ?? (names.contains("movies") ? "movies" : names[0])
            let columnName = columns ?? (names.contains("news") && rowName != "news" ? "news" : names.first { $0 != rowName }!)
            guard let rowDomain = dataset.domain(rowName), let columnDomain = dataset.domain(columnName), rowName != columnName
            else {
                throw RuntimeError("--rows and --columns must name two different domains of \(names.joined(separator: ", "))")
            }
            let analysis = try CategoryAffinity(
                rows: rowDomain, columns: columnDomain, userCount: dataset.users.count, minimumRows: minRows,
                permutations: permutations, fdr: fdr, seed: seed
            ) { done, users in
                status.note("\(users) users in both domains, permutation \(done)/\(permutations)", final: done == permutations)
            }
            status.finish()
            let truth = try? SyntheticTruth.load(from: URL(fileURLWithPath: folder))
            var userClusters: UserClusters?
            if let clusters {
                let parsed = try ParameterParsing.parse(clusterParameters, model: clusterModel, catalog: TrialRunner.catalog)
                status.start("training \(clusterModel) for user vectors")
                userClusters = try UserClusters.fitting(
                    model: clusterModel, parameters: parsed, seed: seed, dataset: dataset, affinity: analysis,
                    count: try ClusterCount(parsing: clusters), restarts: restarts,
                    planted: truth?.plantedGroups(in: dataset.users) ?? []
                ) { epoch in
                    status.update(TrialProgress(epoch: epoch.epoch, totalEpochs: epoch.totalEpochs, values: epoch.values))
                    return .proceed
                }
                status.finish()
                if let truth, userClusters?.plantedAgreement != nil {
                    status.start("the Bayes oracle on the planted groups")
                    let planted = truth.plantedGroupsByID
                    userClusters?.compareWithOracle(try SyntheticGroupOracle.classify(folder: folder, seed: seed), planted: planted)
                    status.finish()
                }
            }
            let sections = userClusters.map { [$0.htmlSection(affinity: analysis)] } ?? []
            let agreement = truth.flatMap {
                analysis.agreement(planted: $0.affinity, plantedRows: $0.genres, plantedColumns: $0.topics)
            }
            var notes: [String] = []
            let significantCount = analysis.significant.flatMap { $0 }.filter { $0 }.count
            if let truth {
                notes.append(
                    Self.truthLine(agreement, strength: truth.parameters.affinityStrength, significant: significantCount))
            }
            let title = "\(rowName) × \(columnName) (\((folder as NSString).lastPathComponent))"
            if let html {  // the older spelling: a page beside the printed output
                try OutputFile.write(analysis.html(title: title, notes: notes, sections: sections), to: html)
                FileHandle.standardError.write(Data("wrote \(html)\n".utf8))
            }
            switch json ? .json : format {
            case .json:
                try OutputFile.emit(
                    try JSONOutput.text(AnalyzeOutput(analysis: analysis, truth: agreement, clusters: userClusters)), to: output)
            case .html:
                try OutputFile.emit(analysis.html(title: title, notes: notes, sections: sections), to: output)
            default:
                let tested = analysis.pValue.flatMap { $0 }.filter(\.isFinite).count
                var lines = [
                    "\(rowName) × \(columnName): \(analysis.users) users in both domains (≥ \(minRows) rows each), \(tested) pairs tested, \(significantCount) significant at FDR \(fdr) (\(permutations) permutations)"
                ]
                let pairs = analysis.positivePairs
                if pairs.isEmpty {
                    lines.append("no significant positive pair")
                } else {
                    lines += ["", "| \(rowName) | \(columnName) | r | p |", "| --- | --- | ---: | ---: |"]
                    for pair in pairs.prefix(top) {
                        lines.append("| \(pair.row) | \(pair.column) | \(String(format: "%.3f", pair.correlation)) | \(String(format: "%.4f", pair.pValue)) |")
                    }
                    if pairs.count > top { lines.append("(\(pairs.count - top) more; --top N or --format json)") }
                }
                for note in notes { lines += ["", note] }
                if let userClusters { lines += userClusters.markdownLines() }
                try OutputFile.emit(lines.joined(separator: "\n"), to: output)
            }
        }
    }

    static func truthLine(_ agreement: CategoryAffinity.Agreement?, strength: Double, significant: Int) -> String {
        guard let agreement else {
            return "planted affinity: none (strength \(strength), the negative control): "
                + (significant == 0
                    ? "no pair is significant, as it should be" : "all \(significant) significant pairs are false discoveries")
        }
        return String(
            format:
                "planted affinity (strength %.2f): Spearman %.3f between the observed correlations and the planted values over %d pairs; %d of the %d planted pairs above the mean found significant and positive, %d found among the others",
            strength, agreement.spearman, agreement.cells, agreement.strongFound, agreement.strongCells,
            agreement.foundElsewhere)
    }
}

struct AnalyzeOutput: Encodable {
    var analysis: CategoryAffinity
    var truth: CategoryAffinity.Agreement?
    var clusters: UserClusters?
}
