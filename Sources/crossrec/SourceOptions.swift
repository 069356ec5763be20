import ArgumentParser
import RecData
import Sweep
import SweepRuntime

/// A whole data set, all domains and every row (no split): what `analyze` and `recommend` read.
struct SourceOptions: ParsableArguments {
    @Argument(help: "A linked folder (generated data), or any data set with --domain-split or --with/--links: a name in the data folder (ml-100k), a folder, a file or a data-set file (omit with --synthetic).")
    var path: String?
    @Flag(help: "Use the built-in synthetic linked data.") var synthetic = false
    @Option(help: "Users of the synthetic data (with --synthetic).") var users: Int?
    @Option(help: "Planted genre-topic affinity of the synthetic data, 0…1 (with --synthetic; 0 is the negative control).")
    var affinity: Double?
    @Option(help: "Planted user groups of the synthetic data (with --synthetic; default none).") var groups: Int?
    @OptionGroup(title: "Data files") var files: DataFileOptions

    func validate() throws {
        if synthetic == (path != nil) { throw ValidationError("give a data set path or --synthetic (one of them)") }
        if !synthetic && (users != nil || affinity != nil || groups != nil) {
            throw ValidationError("--users, --affinity and --groups describe the synthetic data; add --synthetic")
        }
        if let groups, !(0...SyntheticConfig.maximumGroups).contains(groups) {
            throw ValidationError("--groups must be in 0…\(SyntheticConfig.maximumGroups), got \(groups)")
        }
        if let users, users < 10 { throw ValidationError("--users must be at least 10, got \(users)") }
        if let affinity, !(0...1).contains(affinity) { throw ValidationError("--affinity must be in 0…1, got \(affinity)") }
    }

    /// The opened data set (domain split applied) and the folder it came from.
    func open() throws -> (dataset: Dataset, folder: String) {
        guard synthetic else {
            let folder = try DataFolder().resolve(path!)
            return (try files.open(path: folder).dataset, folder)
        }
        var config = SyntheticConfig()
        if let users { config.users = users }
        if let affinity { config.affinityStrength = affinity }
        if let groups { config.groups = groups }
        let folder = try SyntheticCache.folder(for: config)
        var dataset = try files.locator(kind: .linked).open(path: folder).dataset
        if let domainSplit = files.domainSplit { dataset = try DomainSplit(parsing: domainSplit).apply(to: dataset) }
        if let feedback = files.implicit.flatMap(DataFileOptions.implicitFeedback) {
            dataset.binarizeRatings(atLeast: feedback.threshold.map(Float.init))
        }
        return (dataset, folder)
    }
}
