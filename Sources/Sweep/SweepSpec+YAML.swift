import Foundation
public import ParameterSpecs
import Yams

extension SweepSpec {
    /// Keys a sweep file may have at the top level; anything else is a typo and an error.
    public static let topLevelKeys = [
        "name", "dataset", "metric", "models", "seeds", "timeout", "retries", "worker", "search", "stopping",
    ]

    /// Most trials one sweep file may expand to (seeds included): beyond it a file is surely wrong.
    public static let maximumTrials = 1_000_000

    /// Reads and validates the sweep file at `path` (the only file access in this module).
    /// Errors name `path` as the file.
    public init(contentsOfFile path: String, catalog: ModelCatalog) throws(SweepSpecError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SweepSpecError(
                file: path, line: 1, key: "", message: "cannot read the sweep file: \(error.localizedDescription)")
        }
        try self.init(yaml: text, file: path, catalog: catalog)
    }

    /// Parses a sweep file's text and validates it against the models of `catalog`.
    ///
    /// Reads the YAML tree itself (Yams `compose`), not `Decodable`, so every error carries the
    /// line and key: `sweeps/mf.yaml:14: 'factors' must be an integer in 1…1024, got string 'abc'`.
    /// Unknown keys at any level are errors (with "did you mean" for near misses), as are unknown
    /// models and hyperparameters (listing the accepted ones), out-of-range values
    /// (`ParameterSpec.validate`), random spaces without `samples`, and a primary metric that a
    /// model in the sweep does not report.
    /// - Parameter file: the name errors use (the path as the user typed it).
    public init(yaml: String, file: String = "<sweep>", catalog: ModelCatalog) throws(SweepSpecError) {
        let reader = YAMLReader(file: file)
        let root = try reader.root(of: yaml)
        try root.rejectUnknownKeys(allowed: Self.topLevelKeys)

        let name = try root.require("name", hint: "a name for the sweep, e.g. 'name: mf-ml100k'").string()
        let dataset = try DatasetSpec(
            root.require(
                "dataset",
                hint: "where the data comes from, e.g. 'dataset: {path: data/ml-100k, split: {official: u1}}'")
        )
        let metricEntry = try root.require(
            "metric", hint: "what to optimize, e.g. 'metric: {primary: rmse, direction: minimize}'")
        let metric = try MetricSpec(metricEntry)
        let modelsEntry = try root.require(
            "models", hint: "at least one model, e.g. 'models: {mf: {factors: [16, 32]}}'")
        var search = try root["search"].map { entry throws(SweepSpecError) in try Self.search(entry) } ?? .grid
        var models = try ModelSweep.parseAll(modelsEntry, catalog: catalog, adaptive: search.isAdaptive)
        if let entry = root["stopping"] {
            search.stopping = try Self.stopping(entry)
            try Self.checkStopping(entry, search: search, dataset: dataset, models: &models, catalog: catalog)
        }

        var seeds = Self.defaultSeeds
        if let entry = root["seeds"] { seeds = try Self.seeds(entry) }
        var timeout = Self.defaultTimeout
        if let entry = root["timeout"] { timeout = try Self.timeout(entry) }
        var retries = Self.defaultRetries
        if let entry = root["retries"] { retries = try entry.int(in: 0...100, "an integer retry budget in 0…100") }
        var worker = Worker()
        if let entry = root["worker"] {
            let map = try entry.map("worker settings, e.g. {slots: 1}")
            try map.rejectUnknownKeys(allowed: ["slots"])
            if let slots = map["slots"] { worker.slots = try slots.int(in: 1...1024, "an integer in 1…1024") }
        }

        self.init(
            name: name, dataset: dataset, metric: metric, models: models, seeds: seeds, timeout: timeout,
            retries: retries,
            worker: worker, search: search)
        try checkMetrics(metricEntry, catalog: catalog)
        try checkSize(modelsEntry)
        try checkObjective(metricEntry, catalog: catalog)
    }

    /// `search: grid`, or `search: {method: random|tpe, trials: N, seed: S, startup: 10}`.
    private static func search(_ entry: YAMLEntry) throws(SweepSpecError) -> SearchSettings {
        let methods = SearchSettings.Method.allCases.map(\.rawValue)
        let example = "{method: tpe, trials: 60, seed: 1}"
        func method(_ entry: YAMLEntry) throws(SweepSpecError) -> SearchSettings.Method {
            let word = entry.value.scalar?.string ?? ""
            guard let method = SearchSettings.Method(rawValue: word) else {
                throw entry.error(
                    "'\(entry.path)' must be one of \(methods.joined(separator: ", ")), got \(entry.value.phrase)\(DidYouMean.phrase(for: word, among: methods))")
            }
            return method
        }
        if entry.value.mapping == nil {
            let chosen = try method(entry)
            guard chosen == .grid else {
                throw entry.error("'search: \(chosen.rawValue)' needs a budget: write 'search: \(example.replacingOccurrences(of: "tpe", with: chosen.rawValue))'")
            }
            return .grid
        }
        let map = try entry.map("search settings, e.g. \(example)")
        try map.rejectUnknownKeys(allowed: ["method", "trials", "seed", "startup"])
        guard let methodEntry = map["method"] else {
            throw entry.error("'search' needs 'method: grid|random|tpe', e.g. 'search: \(example)'")
        }
        var settings = SearchSettings(method: try method(methodEntry))
        if settings.isAdaptive {
            guard let trials = map["trials"] else {
                throw entry.error("'search' with method \(settings.method.rawValue) needs 'trials: N', the number of configurations to try per model entry")
            }
            settings.trials = try trials.int(in: 1...SweepSpec.maximumTrials, "a number of configurations in 1…\(SweepSpec.maximumTrials)")
        } else if let extra = map["trials"] ?? map["startup"] ?? map["seed"] {
            throw extra.error("'\(extra.key)' applies to search methods random and tpe; a grid runs every configuration of the spaces")
        }
        if let seed = map["seed"] { settings.seed = try seed.seed() }
        if let startup = map["startup"] {
            guard settings.method == .tpe else { throw startup.error("'startup' (random suggestions before the model) applies to method tpe") }
            settings.startup = try startup.int(in: 1...10_000, "a number of random start-up trials in 1…10000")
        }
        return settings
    }

    /// `stopping: {asha: {resource: epochs, min: 1, max: 81, reduction: 3}}` or
    /// `stopping: {median: {warmup: 5, min_trials: 5}}`.
    private static func stopping(_ entry: YAMLEntry) throws(SweepSpecError) -> EarlyStoppingRule {
        let example = "{asha: {resource: epochs, min: 1, max: 81, reduction: 3}} or {median: {warmup: 5, min_trials: 5}}"
        let map = try entry.map("an early-stopping rule, \(example)")
        try map.rejectUnknownKeys(allowed: ["asha", "median"])
        guard map.entries.count == 1, let rule = map.entries.first else {
            throw entry.error("'stopping' takes exactly one rule: \(example)")
        }
        let fields = try rule.map("the rule's settings", allowEmpty: true)
        switch rule.key {
        case "asha":
            try fields.rejectUnknownKeys(allowed: ["resource", "min", "max", "reduction"])
            if let resource = fields["resource"] {
                let word = try resource.string("epochs")
                guard word == "epochs" else { throw resource.error("ASHA's 'resource' must be epochs (the only budget models report progress in), got '\(word)'") }
            }
            let low = try fields["min"]?.int(in: 1...100_000, "a number of epochs in 1…100000") ?? 1
            let high = try fields["max"]?.int(in: 1...100_000, "a number of epochs in 1…100000") ?? 81
            let reduction = try fields["reduction"]?.int(in: 2...100, "a reduction factor in 2…100") ?? 3
            guard high > low else {
                throw (fields["max"] ?? rule).error("ASHA's 'max' (\(high)) must be larger than its 'min' (\(low))")
            }
            return .asha(min: low, max: high, reduction: reduction)
        default:
            try fields.rejectUnknownKeys(allowed: ["warmup", "min_trials"])
            return .median(
                warmup: try fields["warmup"]?.int(in: 0...100_000, "a number of epochs in 0…100000") ?? 5,
                minTrials: try fields["min_trials"]?.int(in: 1...100_000, "a number of trials in 1…100000") ?? 5)
        }
    }

    /// Early stopping reads validation figures, so the data set needs a holdout; ASHA owns the
    /// `epochs` parameter: every model needs one, it is set to ASHA's `max`, and a sweep that
    /// also searches it is refused.
    private static func checkStopping(
        _ entry: YAMLEntry, search: SearchSettings, dataset: DatasetSpec, models: inout [ModelSweep], catalog: ModelCatalog
    ) throws(SweepSpecError) {
        guard dataset.validation != nil else {
            throw entry.error(
                "early stopping must not read the test split: add a validation holdout of the training rows to the data set, e.g. 'dataset: {…, validation: {fraction: 0.1, seed: 1}}'")
        }
        guard case .asha(_, let high, _) = search.stopping else { return }
        for index in models.indices {
            let name = models[index].model
            guard let spec = catalog.model(named: name)?.parameters.first(where: { $0.name == "epochs" }) else {
                throw entry.error("ASHA stops trials by epochs, and model '\(name)' has no 'epochs' parameter; use the median rule or remove '\(name)'")
            }
            if models[index].spaces["epochs"] != nil {
                throw entry.error(
                    "ASHA gives every trial of '\(name)' up to max \(high) epochs and stops the weak ones earlier; remove 'epochs' from its space")
            }
            if case .failure(let problem) = spec.validate(.int(high)) {
                throw entry.error("ASHA's 'max' \(high) does not fit model '\(name)': \(problem)")
            }
            models[index].spaces["epochs"] = .values([.int(high)])
            models[index].defaults["epochs"] = nil
        }
    }

    /// The validation figures models with epochs report on a holdout (RecModels' `ValidationRows`).
    public static let validationFigures: Set<String> = Set(
        ["rmse", "mrr"] + [5, 10, 20].flatMap { k in ["ndcg", "recall", "precision", "hit_rate"].map { "\($0)@\(k)" } })

    /// With a validation holdout and a search or stopping rule reading it, the primary metric must
    /// be one whose validation figure models report.
    private func checkObjective(_ entry: YAMLEntry, catalog: ModelCatalog) throws(SweepSpecError) {
        guard dataset.validation != nil, search.isAdaptive || search.stopping != nil else { return }
        let declaring = models.compactMap { catalog.model(named: $0.model) }.filter { !$0.metrics.isEmpty }
        guard !declaring.isEmpty, !Self.validationFigures.contains(metric.primary) else { return }
        throw entry.error(
            "the search and early stopping read 'validation_\(metric.primary)', and models report validation figures only for \(Self.validationFigures.sorted().joined(separator: ", ")); choose one of those as the primary metric")
    }

    /// `seeds: [1, 2, 3]` or `seeds: 7`: non-empty, no repeats.
    private static func seeds(_ entry: YAMLEntry) throws(SweepSpecError) -> [UInt64] {
        if entry.value.sequence == nil { return [try entry.seed()] }
        let nodes = try entry.list("a list of non-negative integer seeds")
        guard !nodes.isEmpty else { throw entry.error("'seeds' must list at least one seed") }
        var seeds: [UInt64] = []
        var seen: Set<UInt64> = []
        for node in nodes {
            let seed = try YAMLEntry.seed(node, key: "seeds", entry: entry)
            guard seen.insert(seed).inserted else { throw entry.error("'seeds' lists seed \(seed) twice", at: node) }
            seeds.append(seed)
        }
        return seeds
    }

    /// `300`, `300s`, `1.5m`, `2h` or `500ms`: positive, at most 7 days.
    private static func timeout(_ entry: YAMLEntry) throws(SweepSpecError) -> Duration {
        let expectation = "a duration like 300, 300s, 5m or 2h (at most 7 days)"
        let seconds: Double?
        switch entry.scalar {
        case .int(let int): seconds = Double(int)
        case .double(let double): seconds = double
        case .string(let text): seconds = parseDuration(text)
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0, seconds <= 7 * 86_400 else {
            throw entry.error("'timeout' must be \(expectation), got \(entry.value.phrase)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Seconds in `<number><unit>` with unit `ms`, `s`, `m` or `h` (spaces allowed before the unit).
    static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number)
            else { return nil }
            return value * scale
        }
        return nil
    }

    /// The primary metric must be reported by every model that declares its metrics; a recorded
    /// metric by at least one. Models declaring no metrics (builtins such as `noop`) report
    /// whatever is asked. A declared `name@K` matches `name@` followed by any positive integer.
    private func checkMetrics(_ entry: YAMLEntry, catalog: ModelCatalog) throws(SweepSpecError) {
        let map = try entry.map("metric settings")
        let declaring = models.compactMap { catalog.model(named: $0.model) }.filter { !$0.metrics.isEmpty }
        guard !declaring.isEmpty else { return }
        let primaryLine = map["primary"]?.line ?? entry.line
        for model in declaring where !Self.reports(model, metric.primary) {
            throw entry.reader.error(
                line: primaryLine, key: "metric.primary",
                "model '\(model.name)' does not report '\(metric.primary)'\(DidYouMean.separator(for: metric.primary, among: model.metrics))it reports: \(model.metrics.joined(separator: ", ")). Choose a primary metric every model in the sweep reports"
            )
        }
        let recordNodes = map["record"].map { $0.value.sequence.map(Array.init) ?? [$0.value] } ?? []
        // With a validation holdout, models with epochs also report `validation_<figure>`.
        let validated = { (name: String) -> Bool in
            self.dataset.validation != nil && name.hasPrefix("validation_")
                && Self.validationFigures.contains(String(name.dropFirst("validation_".count)))
        }
        for name in metric.record where !validated(name) && !declaring.contains(where: { Self.reports($0, name) }) {
            let all = Array(Set(declaring.flatMap(\.metrics))).sorted()
            let line = recordNodes.first { $0.scalar?.string == name }?.line ?? entry.line
            throw entry.reader.error(
                line: line, key: "metric.record",
                "no model in the sweep reports '\(name)'\(DidYouMean.separator(for: name, among: all))reported: \(all.joined(separator: ", "))"
            )
        }
    }

    static func reports(_ model: ModelCatalog.Model, _ metric: String) -> Bool {
        model.metrics.contains { declared in
            if declared == metric { return true }
            guard declared.hasSuffix("@K"), let at = metric.lastIndex(of: "@") else { return false }
            let cutoff = metric[metric.index(after: at)...]
            return declared.dropLast() == metric[...at] && !cutoff.isEmpty && cutoff.allSatisfy(\.isASCII)
                && Int(cutoff).map { $0 > 0 } == true
        }
    }

    private func checkSize(_ entry: YAMLEntry) throws(SweepSpecError) {
        var total = 0
        for model in models {
            let (trials, overflow) = model.configurationCount.multipliedReportingOverflow(by: seeds.count)
            total = overflow ? .max : total.addingReportingOverflow(trials).overflow ? .max : total + trials
        }
        guard total <= Self.maximumTrials else {
            throw entry.keyError(
                "the sweep expands to more than \(Self.maximumTrials) trials; narrow the grids or lower 'samples'")
        }
    }
}
