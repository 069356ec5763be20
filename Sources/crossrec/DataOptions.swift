import ArgumentParser
import RecData
import Sweep
import SweepRuntime

/// The data set and split of `crossrec train` and `crossrec compare`.
struct DataOptions: ParsableArguments {
    @Argument(help: "Data set: a name in the data folder (ml-100k: data/ml-100k, or $CROSSREC_DATA/ml-100k), a folder, an interactions file, or a data-set file (*.yaml) naming one file per domain (omit with --synthetic).")
    var path: String?
    @Flag(help: "Use the built-in synthetic linked data (generator defaults, or --users).") var synthetic = false
    @Option(help: "Users of the synthetic data (with --synthetic; default: the generator's 600).") var users: Int?
    @Option(
        help:
            "How strongly the synthetic users' news topics follow their movie genres, 0…1 (with --synthetic; default 0.8; 0 is the negative control)."
    )
    var affinity: Double?
    @Option(help: "Split: official:u1 (…u5, ua, ub), random:0.2[:SEED], per-user:0.2[:SEED], cold-users:0.2[:SEED[:FOLD]] (fold 0 is the draw; folds 0…K−1 make every user cold once), leave-last-out[:N], temporal:0.2, mind, mind-time[:DAYS], cold-items:0.2[:SEED], cold-items-time:0.2, files (a data-set file's test files) or files:TRAIN,TEST (a fixed pair of user,item,rating[,time] files, any scale; found as given, beside the data set, or in the data folder); default: files when the data-set file names test files, official:u1 for MovieLens 100K, mind for MIND, else per-user:0.2.")
    var split: String?
    @OptionGroup(title: "Data files") var files: DataFileOptions
    @Option(help: "Domain to train and evaluate (default: movies when present, else the first).") var domain: String?
    @Option(
        help:
            "With a MIND split: all; with-text to score only impression candidates that have a news row; cold to score only those without a training row (news the models never saw clicked); cold+with-text for both. With split cold-items on MIND news, cold adds the impression metrics (mind_auc, …) over every impression's held-out candidates, its history without them. Impressions left without a clicked and an unclicked candidate are dropped."
    ) var candidates: String = "all"
    @Option(
        help:
            "Also evaluate the literature's way: each test item ranked against N sampled negatives (N[:SEED], e.g. 999), reported as sampled_hit_rate@K, sampled_ndcg@K, sampled_mrr beside the full-ranking metrics."
    ) var sampled: String?

    func validate() throws {
        if synthetic == (path != nil) { throw ValidationError("give a data set path or --synthetic (one of them)") }
        if let sampled, Self.sampledProtocol(sampled) == nil {
            throw ValidationError("--sampled must be N or N:SEED with N ≥ 1 negatives per test item (e.g. 999 or 999:1), got '\(sampled)'")
        }
        if DatasetSpec.candidateFilters(parsing: candidates) == nil {
            throw ValidationError("--candidates must be all, with-text, cold or cold+with-text, got '\(candidates)'")
        }
        if let users {
            guard synthetic else { throw ValidationError("--users sets the size of the synthetic data; add --synthetic") }
            guard users >= 10 else { throw ValidationError("--users must be at least 10, got \(users)") }
        }
        if let affinity {
            guard synthetic else { throw ValidationError("--affinity sets the synthetic data's planted affinity; add --synthetic") }
            guard (0...1).contains(affinity) else { throw ValidationError("--affinity must be in 0…1, got \(affinity)") }
        }
    }

    /// Which protocol each metric was measured by, for the text outputs.
    static func protocolLine(_ request: DatasetSpec) -> String {
        var parts: [String] = []
        switch request.split {
        case .coldItems?:
            parts.append("top-K: full ranking of the held-out cold items")
            if request.coldCandidatesOnly {
                parts.append("mind_*: each impression's held-out candidates, from its history without them")
            }
        case .mind?, .mindTime?:
            parts.append("top-K: full ranking of every item seen in training; mind_*: each impression's own candidates")
        default: parts.append("top-K: full ranking of every item seen in training")
        }
        if let sampled = request.sampled {
            parts.append("sampled_*: each test item among \(sampled.negatives) sampled negatives (seed \(sampled.seed))")
        }
        return "protocol: " + parts.joined(separator: "; ")
    }

    /// `N` or `N:SEED`.
    static func sampledProtocol(_ text: String) -> DatasetSpec.SampledProtocol? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let count = Int(parts[0]), count >= 1 else { return nil }
        if parts.count == 2 {
            guard let seed = UInt64(parts[1]) else { return nil }
            return DatasetSpec.SampledProtocol(negatives: count, seed: seed)
        }
        return DatasetSpec.SampledProtocol(negatives: count)
    }

    /// The data request a trial carries.
    func request() throws -> DatasetSpec {
        let domainSplit = files.domainSplit
        guard let layout = DatasetLayout(rawValue: files.layout.rawValue) else {
            throw RuntimeError(
                "unknown layout '\(files.layout.rawValue)'; use \(DatasetLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var generator = SyntheticDatasetSpec()
        if let users { generator.users = users }
        if let affinity { generator.affinityStrength = affinity }
        let source: DatasetSpec.Source
        if synthetic {
            source = .synthetic(generator)
        } else if DescriptionFile.matches(path!) {
            guard domainSplit == nil else {
                throw RuntimeError("--domain-split divides one domain; a data-set file names its domains already")
            }
            guard files.with == nil else {
                throw RuntimeError("--with joins a second data set to a path; a data-set file names its domains and links already")
            }
            source = .described(try DatasetDescription.load(file: try DataFolder().resolve(path!)))
        } else {
            source = .path(path!, layout: layout)
        }
        let filters = DatasetSpec.candidateFilters(parsing: candidates) ?? (false, false)
        var spec = DatasetSpec(
            source: source, split: try split.map(SplitParsing.parse), domainSplit: domainSplit, domain: domain,
            textCandidatesOnly: filters.textOnly, coldCandidatesOnly: filters.coldOnly,
            sampled: sampled.flatMap(Self.sampledProtocol))
        spec.implicit = files.implicit.flatMap(DataFileOptions.implicitFeedback)
        if case .path = source {
            spec.fileFormat = files.fileFormat
            if let with = files.with, let links = files.links { spec.join = DatasetSpec.Join(path: with, links: links) }
        }
        return spec
    }
}

/// How a data set's files are read and combined: the options every command that reads a data set
/// shares (`train`, `compare`, `analyze`, `recommend`, `embed`, `topics`, `data inspect`,
/// `data report`).
struct DataFileOptions: ParsableArguments {
    @Option(help: "Layout of the data set (auto detects it from the files present).")
    var layout: DatasetLocator.Kind = .auto

    @Option(help: "Generic files: the user column (0-based position or header name).")
    var userColumn: String = "0"
    @Option(help: "Generic files: the item column.")
    var itemColumn: String = "1"
    @Option(help: "Generic files: the value column, or 'none' for implicit events.")
    var valueColumn: String = "2"
    @Option(help: "Generic files: the timestamp column, or 'none'.")
    var timestampColumn: String = "3"
    @Option(help: "Generic files: is the first line a header?")
    var header: GenericInteractionsLoader.Header = .auto
    @Option(help: "Generic files: domain name.")
    var domainName: String = "items"
    @Option(help: "Generic files: auto reads a value column that is the same everywhere as implicit events.")
    var feedback: GenericInteractionsLoader.Feedback = .auto
    @Option(help: "Repeated (user, item) pairs.")
    var duplicates: DuplicatePolicy = .keepLast

    @Option(help: "A second data set (any layout, a name in the data folder or a path) joined to the first through --links.")
    var with: String?
    @Option(help: "User link file (user_in_first,user_in_second lines) for --with.")
    var links: String?

    @Option(help: "Split one domain into several by category groups, e.g. 'Action,Adventure,Sci-Fi,Thriller | Comedy,Romance,Drama'.")
    var domainSplit: String?

    @Option(
        help: ArgumentHelp(
            "Explicit ratings as implicit positives for the models: THRESHOLD (ratings ≥ it are positives in training and test, the others dropped) or any (every training rating is a positive; relevant test items stay those rated ≥ 4). Without it, top-K models (EASE, item-kNN, ALS) weigh each row by its rating.",
            valueName: "threshold|any"))
    var implicit: String?

    func validate() throws {
        if (with == nil) != (links == nil) { throw ValidationError("--with and --links go together") }
        if let implicit, Self.implicitFeedback(implicit) == nil {
            throw ValidationError("--implicit must be a rating threshold (e.g. 4) or any, got '\(implicit)'")
        }
    }

    /// `any` or a finite threshold.
    static func implicitFeedback(_ text: String) -> DatasetSpec.ImplicitFeedback? {
        if text == "any" { return DatasetSpec.ImplicitFeedback(threshold: nil) }
        guard let value = Double(text), value.isFinite else { return nil }
        return DatasetSpec.ImplicitFeedback(threshold: value)
    }

    /// The generic-file settings as a data request carries them; nil when all are the defaults
    /// (so that a request without them keeps its fingerprint).
    var fileFormat: DatasetSpec.FileFormat? {
        var format = DatasetSpec.FileFormat()
        format.user = userColumn
        format.item = itemColumn
        format.value = valueColumn
        format.timestamp = timestampColumn
        format.header = header.rawValue
        format.feedback = feedback.rawValue
        format.domainName = domainName
        format.duplicates = duplicates.rawValue
        return format == DatasetSpec.FileFormat() ? nil : format
    }

    func locator(kind: DatasetLocator.Kind? = nil) throws -> DatasetLocator {
        var locator = DatasetLocator()
        locator.kind = kind ?? layout
        try (fileFormat ?? DatasetSpec.FileFormat()).configure(&locator)
        return locator
    }

    /// Opens `path` (a name in the data folder, a folder, a file or a data-set file), joins
    /// `--with` through `--links`, applies `--domain-split` and `--implicit`.
    func open(path given: String) throws -> DatasetLocator.Opened {
        let data = DataFolder()
        let path = try data.resolve(given)
        var opened =
            DescriptionFile.matches(path)
            ? DatasetLocator.Opened(dataset: try DatasetDescription.load(file: path).open(), extra: [:])
            : try locator().open(path: path)
        if let with, let links {
            var second = try locator(kind: .auto)
            second.generic.domainName = domainName == "items" ? "items-2" : domainName + "-2"
            let other = try second.open(path: try data.resolve(with))
            opened.dataset = try UserLinks.load(file: try data.resolve(links)).join(opened.dataset, other.dataset)
            opened.extra.merge(other.extra) { $0 + "; " + $1 }
        }
        if let domainSplit {
            opened.dataset = try DomainSplit(parsing: domainSplit).apply(to: opened.dataset)
        }
        if let feedback = implicit.flatMap(Self.implicitFeedback) {
            opened.dataset.binarizeRatings(atLeast: feedback.threshold.map(Float.init))
        }
        return opened
    }
}
