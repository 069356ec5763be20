import Foundation
import Yams
import RecData

extension DatasetSpec {
    /// Keys of the `dataset:` mapping.
    public static let keys = [
        "synthetic", "path", "domains", "users", "shuffle-users", "layout", "split", "domainSplit", "domain", "revision", "candidates",
        "sampled", "validation", "implicit",
    ]

    /// Reads `dataset:`: exactly one of `synthetic: {…}`, `path: …` and `domains: {…}`, then the
    /// optional keys.
    init(_ entry: YAMLEntry) throws(SweepSpecError) {
        let map = try entry.map("either {synthetic: {…}}, {path: …} or {domains: {…}}")
        try map.rejectUnknownKeys(allowed: Self.keys)
        let source: Source
        if let domains = map["domains"] {
            if let other = map["synthetic"] ?? map["path"] {
                throw other.error("'dataset' takes one of 'synthetic', 'path' and 'domains', not two")
            }
            if let layout = map["layout"] { throw layout.error("'layout' applies to 'path' data sets; describe each domain's format under 'domains'") }
            if let domainSplit = map["domainSplit"] { throw domainSplit.error("'domainSplit' divides one domain of a 'path' data set; 'domains' names the domains already") }
            var description = try DatasetDescription(domains: domains, users: map["users"], origin: entry.reader.file, base: nil)
            description.shuffleUsers = try map["shuffle-users"]?.seed()
            source = .described(description)
        } else if let users = map["users"] ?? map["shuffle-users"] {
            throw users.error("'\(users.key)' says how the files under 'domains' are linked; this data set has no 'domains'")
        } else {
        switch (map["synthetic"], map["path"]) {
        case (nil, nil):
            throw map.reader.error(
                line: entry.line, key: "dataset",
                "'dataset' needs 'synthetic: {users: …}' (generated data), 'path: …' (a data folder or file) or 'domains: {name: {path: …}, …}' (one interaction file per domain)")
        case (.some, .some(let path)):
            throw path.error("'dataset' takes either 'synthetic' or 'path', not both")
        case (.some(let synthetic), nil):
            if let layout = map["layout"] {
                throw layout.error("'layout' applies to 'path' data sets, not to 'synthetic'")
            }
            source = .synthetic(try Self.synthetic(synthetic))
        case (nil, .some(let pathEntry)):
            var path = try pathEntry.string("a folder path")
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            var layout = DatasetLayout.auto
            if let layoutEntry = map["layout"] {
                let words = DatasetLayout.allCases.map(\.rawValue)
                guard case .string(let word)? = layoutEntry.scalar, let parsed = DatasetLayout(rawValue: word) else {
                    let text = layoutEntry.value.scalar?.string ?? ""
                    throw layoutEntry.error(
                        "'layout' must be one of \(words.joined(separator: ", ")), got \(layoutEntry.value.phrase)\(DidYouMean.phrase(for: text, among: words))"
                    )
                }
                layout = parsed
            }
            source = .path(path, layout: layout)
        }
        }
        let split = try map["split"].map { entry throws(SweepSpecError) in try Self.split(entry) }
        let domainSplit = try map["domainSplit"].map { entry throws(SweepSpecError) in try Self.domainSplit(entry) }
        let domain = try map["domain"].map { entry throws(SweepSpecError) in try entry.string("a domain name") }
        let revision = try map["revision"].map { entry throws(SweepSpecError) in
            try entry.string("free text naming the data's revision")
        }
        var filters = (textOnly: false, coldOnly: false)
        if let candidates = map["candidates"] {
            let word = try candidates.string("all, with-text, cold or cold+with-text")
            guard let parsed = Self.candidateFilters(parsing: word) else {
                throw candidates.error(
                    "'candidates' must be all, with-text (score only impression candidates that have text), cold (only those without a training row) or cold+with-text; got '\(word)'"
                )
            }
            filters = parsed
        }
        var sampled: SampledProtocol?
        if let entry = map["sampled"] {
            let fields = try entry.map("{negatives: 999, seed: 1}", allowEmpty: true)
            try fields.rejectUnknownKeys(allowed: ["negatives", "seed"])
            sampled = SampledProtocol(
                negatives: try fields["negatives"]?.int(in: 1...1_000_000, "a positive number of negatives per test item")
                    ?? 999,
                seed: try fields["seed"]?.seed() ?? 1)
        }
        var validation: ValidationHoldout?
        if let entry = map["validation"] {
            if case .double(let fraction)? = entry.scalar {
                guard fraction > 0, fraction < 1 else { throw entry.error("'validation' must be a fraction in (0, 1), got \(fraction)") }
                validation = ValidationHoldout(fraction: fraction)
            } else {
                let fields = try entry.map("{fraction: 0.1, seed: 1, every: 1} or a fraction such as 0.1", allowEmpty: true)
                try fields.rejectUnknownKeys(allowed: ["fraction", "seed", "every"])
                validation = ValidationHoldout(
                    fraction: try fields["fraction"]?.double("a fraction in (0, 1) of each user's training rows") { $0 > 0 && $0 < 1 }
                        ?? 0.1,
                    seed: try fields["seed"]?.seed() ?? 1,
                    every: try fields["every"]?.int(in: 1...10_000, "a number of epochs between validation scores") ?? 1)
            }
        }
        var implicit: ImplicitFeedback?
        if let entry = map["implicit"] {
            implicit = try Self.implicit(entry)
        }
        self.init(
            source: source, split: split, domainSplit: domainSplit, domain: domain, revision: revision,
            textCandidatesOnly: filters.textOnly, coldCandidatesOnly: filters.coldOnly, sampled: sampled,
            validation: validation)
        self.implicit = implicit
    }

    /// `implicit: {threshold: 4}`, `implicit: {threshold: any}`, or the threshold alone
    /// (`implicit: 4`, `implicit: any`).
    private static func implicit(_ entry: YAMLEntry) throws(SweepSpecError) -> ImplicitFeedback {
        var thresholdEntry = entry
        if entry.value.mapping != nil {
            let fields = try entry.map("{threshold: 4} or {threshold: any}")
            try fields.rejectUnknownKeys(allowed: ["threshold"])
            thresholdEntry = try fields.require(
                "threshold", hint: "ratings at or above it become positives, e.g. 'threshold: 4'; 'any' keeps every rating")
        }
        switch thresholdEntry.scalar {
        case .string("any")?: return ImplicitFeedback(threshold: nil)
        case .int(let value)?: return ImplicitFeedback(threshold: Double(value))
        case .double(let value)? where value.isFinite: return ImplicitFeedback(threshold: value)
        default:
            throw thresholdEntry.error(
                "'implicit' threshold must be a number (ratings at or above it become positives, the others are dropped) "
                    + "or any (every rating is a positive); got \(thresholdEntry.value.phrase)")
        }
    }

    /// `synthetic: {users: 300, …}`; absent keys take the defaults; ranges as ``SyntheticConfig/validate()`` checks them.
    private static func synthetic(_ entry: YAMLEntry) throws(SweepSpecError) -> SyntheticDatasetSpec {
        let map = try entry.map("synthetic data parameters, e.g. {users: 300}", allowEmpty: true)
        try map.rejectUnknownKeys(allowed: [
            "users", "bothFraction", "movies", "news", "density", "affinityStrength", "noise", "seed",
        ])
        var spec = SyntheticDatasetSpec()
        if let value = map["users"] { spec.users = try value.int(in: 2...SyntheticConfig.maximumUsers) }
        if let value = map["bothFraction"] {
            spec.bothFraction = try value.double("a fraction in [0, 1]") { (0...1).contains($0) }
        }
        if let value = map["movies"] { spec.movies = try value.int(in: 10...SyntheticConfig.maximumItems) }
        if let value = map["news"] { spec.news = try value.int(in: 10...SyntheticConfig.maximumItems) }
        if let value = map["density"] { spec.density = try value.double("a fraction in (0, 1]") { $0 > 0 && $0 <= 1 } }
        if let value = map["affinityStrength"] {
            spec.affinityStrength = try value.double("a value in [0, 1]") { (0...1).contains($0) }
        }
        if let value = map["noise"] {
            spec.noise = try value.double("a standard deviation in [0, 10]") { (0...10).contains($0) }
        }
        if let value = map["seed"] { spec.seed = try value.seed() }
        return spec
    }

    /// One of the ``SplitSpec`` forms.
    private static func split(_ entry: YAMLEntry) throws(SweepSpecError) -> SplitSpec {
        let forms =
            "official: u1, random: {test: 0.2, seed: 1}, per-user: {test: 0.2, seed: 1}, cold-users: {test: 0.2, seed: 1}, leave-last-out: 1, temporal: {test: 0.2}, mind: train/dev, mind-time: {part: train, test-days: 1}, cold-items: {test: 0.2, seed: 1, by: random}, files: {train: FILE, test: FILE} or files (the test files under 'domains')"
        if case .string("files")? = entry.scalar { return .files }
        guard entry.value.mapping != nil else {
            throw entry.error("'split' must be one of \(forms); got \(entry.value.phrase)")
        }
        let form = try entry.map("a split").single("split", allowed: SplitSpec.keys)
        func fraction(_ map: YAMLMap) throws(SweepSpecError) -> Double {
            try map.require("test", hint: "the fraction of rows held out for evaluation, e.g. 'test: 0.2'")
                .double("a fraction in (0, 1)") { $0 > 0 && $0 < 1 }
        }
        switch form.key {
        case "official":
            return .official(try form.string("the name of a split shipped with the data, e.g. u1"))
        case "random", "per-user", "cold-users":
            let map = try form.map(form.key == "cold-users" ? "{test: 0.2, seed: 1, fold: 0}" : "{test: 0.2, seed: 1}")
            try map.rejectUnknownKeys(allowed: form.key == "cold-users" ? ["test", "seed", "fold"] : ["test", "seed"])
            let test = try fraction(map)
            let seed = try map["seed"]?.seed() ?? 0
            switch form.key {
            case "random": return .random(testFraction: test, seed: seed)
            case "per-user": return .perUser(testFraction: test, seed: seed)
            default:
                let fold = try map["fold"]?.int(in: 0...1_000_000, "a fold number ≥ 0 (0 is the draw itself)") ?? 0
                return .coldUsers(testFraction: test, seed: seed, fold: fold)
            }
        case "leave-last-out":
            return .leaveLastOut(count: try form.int(in: 1...1_000_000, "a positive integer (rows per user held out)"))
        case "temporal":
            let map = try form.map("{test: 0.2}")
            try map.rejectUnknownKeys(allowed: ["test"])
            return .temporal(testFraction: try fraction(map))
        case "mind-time":
            let map = try form.map("{part: train, test-days: 1}")
            try map.rejectUnknownKeys(allowed: ["part", "test-days"])
            let part = try map["part"]?.string("a MIND part: train or dev") ?? "train"
            guard ["train", "dev"].contains(part) else {
                throw form.error("'mind-time' part must be train or dev (the test part has no click labels); got '\(part)'")
            }
            let days = try map["test-days"]?.int(in: 1...365, "a number of calendar days, e.g. 1") ?? 1
            return .mindTime(part: part, testDays: days)
        case "cold-items":
            let map = try form.map("{test: 0.2, seed: 1, by: random}", allowEmpty: true)
            try map.rejectUnknownKeys(allowed: ["test", "seed", "by"])
            let test =
                try map["test"]?.double("a fraction in (0, 1) (the share of items held out)") { $0 > 0 && $0 < 1 } ?? 0.2
            var order = Splitting.ColdItemOrder.random
            if let by = map["by"] {
                let words = Splitting.ColdItemOrder.allCases.map(\.rawValue)
                guard case .string(let word)? = by.scalar, let parsed = Splitting.ColdItemOrder(rawValue: word) else {
                    let text = by.value.scalar?.string ?? ""
                    throw by.error(
                        "'by' must be random (a seeded draw) or time (the items that arrived last), got \(by.value.phrase)\(DidYouMean.phrase(for: text, among: words))"
                    )
                }
                order = parsed
            }
            let seed = try map["seed"]?.seed() ?? 1
            if order == .time, let seedEntry = map["seed"] {
                throw seedEntry.error("'seed' draws the random cold items; 'by: time' takes the latest items and no seed")
            }
            return .coldItems(testFraction: test, seed: seed, by: order)
        case "files":
            if form.value.mapping == nil {
                throw form.error(
                    "write 'split: files' (the test files named under 'domains') or 'split: {files: {train: FILE, test: FILE}}' (a fixed pair of files)")
            }
            let map = try form.map("{train: FILE, test: FILE}")
            try map.rejectUnknownKeys(allowed: ["train", "test"])
            let train = try map.require("train", hint: "the training rows, e.g. 'train: ml-100k/u1.base'").string("a file path")
            let test = try map.require("test", hint: "the evaluated rows, e.g. 'test: ml-100k/u1.test'").string("a file path")
            return .givenFiles(train: train, test: test)
        default:  // "mind"
            let text = try form.string("train/dev (train on one MIND part, evaluate on another)")
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let names = ["train", "dev", "test"]
            guard parts.count == 2, names.contains(parts[0]), names.contains(parts[1]), parts[0] != parts[1] else {
                throw form.error(
                    "'mind' must be two different MIND parts as train/evaluate (train, dev, test), e.g. train/dev; got '\(text)'"
                )
            }
            return .mind(train: parts[0], evaluate: parts[1])
        }
    }

    /// `Action,Adventure | Comedy,Drama` (optionally `name=` before a group), normalized to
    /// `Action,Adventure | Comedy,Drama`: at least two groups, none empty.
    private static func domainSplit(_ entry: YAMLEntry) throws(SweepSpecError) -> String {
        let text = try entry.string("category groups like 'Action,Adventure | Comedy,Drama'")
        var groups: [String] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            var body = Substring(part)
            var name = ""
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals].trimmingCharacters(in: .whitespaces)
                body = part[part.index(after: equals)...]
                guard !name.isEmpty else { throw entry.error("'domainSplit' has an empty group name in '\(text)'") }
                name += "="
            }
            let categories = body.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            guard !categories.isEmpty else {
                throw entry.error(
                    "'domainSplit' has an empty group in '\(text)'; write groups like 'Action,Adventure | Comedy,Drama'"
                )
            }
            groups.append(name + categories.joined(separator: ","))
        }
        guard groups.count >= 2 else {
            throw entry.error("'domainSplit' needs at least two groups separated by '|', got '\(text)'")
        }
        return groups.joined(separator: " | ")
    }
}
