import Foundation
public import RecData
public import RecModels
public import RecEval
public import Sweep

/// A data set split into training and test interactions of one domain, with the training
/// matrices built: what every trial on that request shares.
public struct PreparedData: Sendable {
    public var request: DatasetSpec
    public var domainName: String
    public var training: TrainingData
    public var test: Interactions
    public var userCount: Int
    public var itemCount: Int
    public var isExplicit: Bool
    /// With a MIND split (`mind: train/dev`): the evaluated part's impression log, scored by the
    /// MIND impression protocol as well as top-K.
    public var impressions: MINDImpressionLog?
    /// With `candidates: with-text`: impressions dropped because no clicked or no unclicked
    /// candidate with text was left.
    public var impressionsDroppedWithoutText: Int = 0
    /// With `candidates: cold`: impressions dropped (after the text filter) because no clicked or
    /// no unclicked candidate without a training row was left.
    public var impressionsDroppedWithoutColdCandidates: Int = 0
    /// The items top-K ranks for every test user (minus the user's own training items), ascending;
    /// nil: every item with a training row. A cold-items split sets it to its held-out items, so a
    /// model is measured on how it orders items it never saw in training, and not on how far
    /// below the warm items it puts them.
    public var candidateItems: [Int32]? = nil
    /// With `sampled:`: each test row's sampled negatives, drawn once per data set and split so
    /// that every model is ranked against the same candidates.
    public var sampledCandidates: SampledCandidates? = nil
    /// Seconds spent loading and splitting (reported as the `load` timing of the first trial).
    public var loadSeconds: Double
    /// On generated data (truth.json beside it): what `sim_ctr@10` needs (see ``SimulatedCTR``).
    public var simulation: SimulatedCTR? = nil
    /// A cold-users split: how many disjoint folds of its draw there are (every eligible user is
    /// cold in exactly one); nil for other splits.
    public var coldUserFolds: Int? = nil

    /// Loads, splits and builds training matrices for `request`.
    ///
    /// Defaults when the sweep file gives none: split `official:u1` for a MovieLens 100K folder,
    /// MIND train/dev for a MIND folder, else a per-user 20% holdout with seed 1; domain `movies`
    /// when present, else the first.
    public static func prepare(_ request: DatasetSpec) throws -> PreparedData {
        let start = ContinuousClock.now
        var locator = DatasetLocator()
        var folder = ""
        let detected: DatasetLocator.Kind?
        let opened: DatasetLocator.Opened
        switch request.source {
        case .synthetic(let synthetic):
            folder = try SyntheticCache.folder(for: synthetic)
            locator.kind = .linked
            detected = try locator.detect(path: folder)
            opened = try locator.open(path: folder)
        case .path(let path, let layout):
            // `ml-100k` is the data folder's copy unless a path of that name exists here.
            folder = try DataFolder().resolve(path)
            guard let kind = DatasetLocator.Kind(rawValue: layout.rawValue) else {
                throw RuntimeError("unknown layout '\(layout)'; use \(DatasetLocator.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            locator.kind = kind
            try request.fileFormat?.configure(&locator)
            detected = try locator.detect(path: folder)
            opened = try locator.open(path: folder)
        case .described(let description):
            detected = nil
            opened = DatasetLocator.Opened(dataset: try description.resolvingPaths(in: DataFolder()).open(), extra: [:])
        }
        var dataset = opened.dataset
        if let join = request.join {
            // The second data set, any layout, read with the same file format; its users joined
            // to the first's through the link file.
            let data = DataFolder()
            var second = locator
            second.kind = .auto
            second.generic.domainName = locator.generic.domainName == "items" ? "items-2" : locator.generic.domainName + "-2"
            let other = try second.open(path: try data.resolve(join.path))
            dataset = try UserLinks.load(file: try data.resolve(join.links)).join(dataset, other.dataset)
        }
        if let domainSplit = request.domainSplit {
            dataset = try DomainSplit(parsing: domainSplit).apply(to: dataset)
        }
        // The MIND split evaluates the MIND domain: pick it unless the request names one.
        var mindDomain: String?
        if let mind = opened.mind {
            switch request.split {
            case .mind, .mindTime: mindDomain = mind.news.name
            default: break
            }
        }
        let domainName =
            request.domain ?? mindDomain ?? (dataset.domain("movies") != nil ? "movies" : dataset.domains[0].name)
        guard var domain = dataset.domain(domainName) else {
            throw RuntimeError("data set has no domain '\(domainName)'; it has \(dataset.domains.map(\.name).joined(separator: ", "))")
        }
        var split: Split
        var impressions: MINDImpressionLog?
        var trainingImpressions: MINDImpressionLog?
        let defaultSplit: SplitSpec =
            domain.givenTest != nil
            ? .files
            : detected == .movielens && FileManager.default.fileExists(atPath: folder + "/u1.base")
                ? .official("u1") : (detected == .mind ? .mind(train: "train", evaluate: "dev") : .perUser(testFraction: 0.2, seed: 1))
        let chosenSplit = request.split ?? defaultSplit
        if domain.givenTest != nil {
            switch chosenSplit {
            case .files, .coldUsers, .coldUsersFold: break
            case .givenFiles:
                throw RuntimeError(
                    "domain '\(domainName)' has a fixed test file already (its data-set description's 'test'): use split "
                        + "files, or name the pair under domains.\(domainName) (path: TRAIN, test: TEST)")
            default:
                throw RuntimeError(
                    "domain '\(domainName)' has a fixed test file, and split '\(chosenSplit.canonicalText)' would mix its rows "
                        + "into training or ignore it: use split files (the given test rows) or cold-users (cold users on top "
                        + "of the given files), or remove 'test' from the description")
            }
        }
        switch chosenSplit {
        case .files:
            guard let given = domain.givenTest else {
                throw RuntimeError(
                    "split 'files' evaluates the test file a data-set description names for the domain, and '\(domainName)' "
                        + "has none: add 'test: FILE' under domains.\(domainName), or use another split")
            }
            split = Splitting.given(train: domain.interactions, test: given)
        case .givenFiles(let trainFile, let testFile):
            guard case .path = request.source else {
                throw RuntimeError(
                    "split files:TRAIN,TEST reads a pair of files beside a data set given by its path; a data-set "
                        + "description names them under domains (path: TRAIN, test: TEST), and synthetic data has none")
            }
            let reader = locator.generic
            split = try dataset.readSplitFiles(
                train: try Self.splitFile(trainFile, beside: folder), test: try Self.splitFile(testFile, beside: folder),
                domain: domainName, reader: reader)
            domain = dataset.domain(domainName)!
        case .official(let name):
            split = try MovieLensLoader().officialFold(name, folder: folder, dataset: dataset)
        case .random(let test, let seed):
            split = try Splitting.randomHoldout(domain.interactions, testFraction: test, seed: seed)
        case .perUser(let test, let seed):
            split = try Splitting.perUserHoldout(domain.interactions, testFraction: test, seed: seed)
        case .coldUsers, .coldUsersFold:
            let (test, seed, fold) = chosenSplit.coldUsersDraw!
            // Cold users are drawn among those another domain knows, when there is one: a user
            // nobody knows anything about is the same popularity guess for every model.
            var known: [Bool]? = nil
            for other in dataset.domains where other.name != domainName {
                if known == nil { known = [Bool](repeating: false, count: dataset.users.count) }
                for user in other.interactions.users { known![Int(user)] = true }
            }
            if let given = domain.givenTest {
                split = try Splitting.coldUsers(
                    train: domain.interactions, givenTest: given, testFraction: test, seed: seed, eligible: known, fold: fold)
            } else {
                split = try Splitting.coldUsers(
                    domain.interactions, testFraction: test, seed: seed, eligible: known, fold: fold)
            }
        case .leaveLastOut(let count):
            split = try Splitting.leaveLastOut(domain.interactions, count: count)
        case .temporal(let test):
            split = try Splitting.temporal(domain.interactions, testFraction: test)
        case .mind(let train, let evaluate):
            guard let mind = opened.mind else {
                throw RuntimeError(
                    "split 'mind' needs MIND data (a MIND folder, or a linked folder with mind/ in it); \(folder) is "
                        + "\(detected?.rawValue ?? "described") data: use a per-user, random or temporal split")
            }
            guard domainName == mind.news.name else {
                throw RuntimeError(
                    "split 'mind' evaluates the '\(mind.news.name)' domain, not '\(domainName)': set domain: \(mind.news.name) "
                        + "(--domain \(mind.news.name)) or leave it out")
            }
            split = try mind.clickSplit(train: train, test: evaluate)
            impressions = mind.logs[evaluate]
            trainingImpressions = mind.logs[train]
        case .mindTime(let part, let days):
            guard let mind = opened.mind else {
                throw RuntimeError(
                    "split 'mind-time' needs MIND data (a MIND folder, or a linked folder with mind/ in it); \(folder) is "
                        + "\(detected?.rawValue ?? "described") data: use a per-user, random or temporal split")
            }
            guard domainName == mind.news.name else {
                throw RuntimeError(
                    "split 'mind-time' evaluates the '\(mind.news.name)' domain, not '\(domainName)': set domain: "
                        + "\(mind.news.name) (--domain \(mind.news.name)) or leave it out")
            }
            let timed = try mind.timeSplit(part: part, testDays: days)
            split = timed.split
            impressions = timed.impressions
            if let log = mind.logs[part] {
                trainingImpressions = log.filtered(impressions: { log.times[$0] < timed.cutoff }, candidates: { _ in true }).log
            }
        case .coldItems(let test, let seed, let order):
            split = try Splitting.coldItems(domain.interactions, testFraction: test, seed: seed, by: order)
            if request.coldCandidatesOnly, opened.mind == nil || domainName != opened.mind?.news.name {
                throw RuntimeError(
                    "'candidates: cold' with split cold-items scores MIND impressions among the held-out items, and "
                        + "domain '\(domainName)' has no impression log: leave out --candidates (candidates:), or "
                        + "evaluate the MIND news domain")
            }
            if let mind = opened.mind, domainName == mind.news.name {
                var heldOut = [Bool](repeating: false, count: domain.items.count)
                for item in split.test.items where Int(item) < heldOut.count { heldOut[Int(item)] = true }
                let isHeldOut: (Int32) -> Bool = { item in Int(item) < heldOut.count && heldOut[Int(item)] }
                let logs = mind.splits.compactMap { mind.logs[$0] }
                // Training impressions for models with an impression click loss: every impression
                // with the held-out articles taken out of its candidates and history, so that no
                // held-out article is seen, not even as a negative.
                trainingImpressions = MINDImpressionLog.merging(
                    logs, split: "cold-items-training", candidates: { !isHeldOut($0) }, history: { !isHeldOut($0) }
                ).log
                if request.coldCandidatesOnly {
                    // The impression protocol on the held-out items: every impression of every
                    // loaded part, scored among its held-out candidates (the candidates top-K ranks;
                    // an article nobody clicked has no training row either but is not one of them),
                    // each from its history without the held-out articles, which no model may take
                    // as input.
                    impressions = MINDImpressionLog.merging(
                        logs, split: "cold-items", candidates: isHeldOut, history: { !isHeldOut($0) }
                    ).log
                }
            }
        }
        var droppedWithoutText = 0
        if request.textCandidatesOnly {
            guard let log = impressions else {
                throw RuntimeError(
                    "'candidates: with-text' filters MIND impressions: use it with split mind or mind-time")
            }
            let catalog = domain.catalog
            let filtered = log.filtered(
                impressions: { _ in true },
                candidates: { item in Int(item) < catalog.records.count && catalog.records[Int(item)] != nil })
            impressions = filtered.log
            droppedWithoutText = filtered.droppedUnrankable
        }
        var droppedWithoutCold = 0
        if request.coldCandidatesOnly {
            guard let log = impressions else {
                throw RuntimeError(
                    "'candidates: cold' filters MIND impressions: use it with split mind, mind-time or cold-items "
                        + "(on a MIND news domain)")
            }
            // Cold: no training row, so every model meets the item without interactions.
            var trained = [Bool](repeating: false, count: domain.items.count)
            for item in split.train.items where Int(item) < trained.count { trained[Int(item)] = true }
            let filtered = log.filtered(
                impressions: { _ in true }, candidates: { item in Int(item) >= trained.count || !trained[Int(item)] })
            impressions = filtered.log
            droppedWithoutCold = filtered.droppedUnrankable
        }
        var isExplicit = domain.isExplicit
        if let implicit = request.implicit {
            guard domain.isExplicit else {
                throw RuntimeError(
                    "implicit turns explicit ratings into positives, and domain '\(domainName)' holds implicit events "
                        + "already: leave out --implicit (implicit:)")
            }
            // Training: ratings ≥ T (all without one) as positives; test: the relevant rows, ≥ T or
            // crossrec's explicit rule (≥ 4), as positives, so top-K relevance is unchanged by `any`.
            let threshold = implicit.threshold.map(Float.init)
            split.train = split.train.binarized(atLeast: threshold)
            split.test = split.test.binarized(atLeast: threshold ?? TopKEvaluator.explicitRelevanceThreshold)
            isExplicit = false
        }
        // A validation holdout comes out of the training rows only: the test rows stay as they are.
        var trainingRows = split.train
        var validation: ValidationRows?
        if let holdout = request.validation {
            let carved = try Splitting.perUserHoldout(split.train, testFraction: holdout.fraction, seed: holdout.seed)
            trainingRows = carved.train
            validation = ValidationRows(rows: carved.test, every: holdout.every, isExplicit: isExplicit)
        }
        var training = TrainingData(
            interactions: trainingRows, userCount: dataset.users.count, itemCount: domain.items.count,
            isExplicit: isExplicit, catalog: domain.catalog)
        training.validation = validation
        // Every row of the other domains: side information from another platform (the split only
        // holds out rows of the evaluated domain).
        training.otherDomains = TrainingData.OtherDomain.others(in: dataset, evaluating: domainName)
        var sampledCandidates: SampledCandidates?
        if let sampled = request.sampled {
            // DisenCDR and UniCDR draw negatives from the domain's training items; a cold-items
            // split ranks its held-out items only, so it draws among those.
            sampledCandidates = try SampledCandidates(
                split, userCount: dataset.users.count, itemCount: domain.items.count, negatives: sampled.negatives,
                seed: sampled.seed, relevanceThreshold: isExplicit ? TopKEvaluator.explicitRelevanceThreshold : nil,
                negativePool: split.coldItems.map { .stated($0) } ?? .itemsSeenInTraining)
        }
        // Generated data knows its users' true click probabilities: the simulated metric can be
        // measured, on the training rows' view of the evaluated domain (slates leave those out).
        var simulation: SimulatedCTR?
        if !folder.isEmpty, let truth = try? SyntheticTruth.load(from: URL(fileURLWithPath: folder)),
            let target = dataset.domains.firstIndex(where: { $0.name == domainName })
        {
            var view = dataset
            view.domains[target].interactions = trainingRows
            simulation = try? SimulatedCTR(dataset: view, truth: truth, domain: target)
        }
        let elapsed = ContinuousClock.now - start
        training.entityEmbeddings = opened.mind?.entityEmbeddings
        training.trainingImpressions = trainingImpressions
        var prepared = PreparedData(
            request: request, domainName: domainName, training: training, test: split.test, userCount: dataset.users.count,
            itemCount: domain.items.count, isExplicit: isExplicit, impressions: impressions,
            impressionsDroppedWithoutText: droppedWithoutText, impressionsDroppedWithoutColdCandidates: droppedWithoutCold,
            candidateItems: split.coldItems, sampledCandidates: sampledCandidates,
            loadSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        prepared.simulation = simulation
        prepared.coldUserFolds = split.coldUserFolds
        return prepared
    }
}

extension PreparedData {
    /// A file of `split: {files: …}`: the path as given, else beside the data set (in its folder,
    /// or the folder of its file), else in the data folder.
    static func splitFile(_ name: String, beside dataset: String, in data: DataFolder = DataFolder()) throws(DataError)
        -> String
    {
        let absolute = { (path: String) in
            path.hasPrefix("/") ? path : (data.currentDirectory as NSString).appendingPathComponent(path)
        }
        if FileManager.default.fileExists(atPath: absolute(name)) { return name }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: absolute(dataset), isDirectory: &isDirectory)
        let base = isDirectory.boolValue ? dataset : (dataset as NSString).deletingLastPathComponent
        let beside = (base as NSString).appendingPathComponent(name)
        if !name.hasPrefix("/"), FileManager.default.fileExists(atPath: absolute(beside)) { return beside }
        if let found = data.find(name) { return found }
        var error = data.missing(name)
        error.message += " and \(beside) (beside the data set)"
        throw error
    }
}

/// Generated data sets in the temp folder, one per configuration and generator revision, written once (atomically:
/// into a staging folder renamed into place, so a crashed writer never leaves a half set).
public enum SyntheticCache {
    public static func folder(for config: SyntheticConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let key = "revision \(SyntheticGenerator.revision) " + String(decoding: try encoder.encode(config), as: UTF8.self)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: a folder name, not a security property
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let root = NSTemporaryDirectory() + "crossrec-synthetic"
        let folder = root + "/" + String(hash, radix: 16)
        if FileManager.default.fileExists(atPath: folder + "/truth.json") { return folder }
        let staging = root + "/.staging-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        _ = try SyntheticGenerator(config: config).write(to: URL(fileURLWithPath: staging))
        do {
            try FileManager.default.moveItem(atPath: staging, toPath: folder)
        } catch {
            // Another process won the race: use its copy.
            try? FileManager.default.removeItem(atPath: staging)
            guard FileManager.default.fileExists(atPath: folder + "/truth.json") else { throw error }
        }
        return folder
    }
}
