import Foundation

/// A data set described by its files: one interaction file per domain (any generic
/// `user,item[,value[,timestamp]]` format, implicit or explicit), optionally a fixed test file per
/// domain, and how the domains' users are linked.
///
/// Written in YAML (a data-set file given to any command in place of a folder, or inline in a
/// sweep file's `dataset:`):
///
/// ```yaml
/// domains:
///   phone: {path: phone_sport/train.txt, test: phone_sport/test.txt}
///   sport: {path: sport_phone/train.txt, test: sport_phone/test.txt}
/// users: shared            # or: users: {links: links.csv} (two domains)
/// ```
///
/// Domains keep the names given here. With `users: shared` every file numbers users in one id
/// space; with `links` a file of `user_in_first,user_in_second` pairs joins two domains.
public struct DatasetDescription: Sendable, Hashable, Codable {
    public struct DomainFiles: Sendable, Hashable, Codable {
        /// The domain's name, chosen by the user.
        public var name: String
        /// The interaction file (the training rows when `test` is given).
        public var path: String
        /// Fixed test rows (the published split), in the same format; nil: split as asked.
        public var test: String?
        public var feedback: GenericInteractionsLoader.Feedback
        /// `tab`, `comma`, `semicolon`, `pipe`; nil: detected from the first line.
        public var separator: String?
        public var header: String?
        /// Columns by header name or 0-based position; nil: the loader's defaults (0, 1, 2, 3).
        public var user: String?
        public var item: String?
        /// `none` for a file without values.
        public var value: String?
        public var timestamp: String?

        public init(
            name: String, path: String, test: String? = nil, feedback: GenericInteractionsLoader.Feedback = .auto,
            separator: String? = nil, header: String? = nil, user: String? = nil, item: String? = nil,
            value: String? = nil, timestamp: String? = nil
        ) {
            self.name = name
            self.path = path
            self.test = test
            self.feedback = feedback
            self.separator = separator
            self.header = header
            self.user = user
            self.item = item
            self.value = value
            self.timestamp = timestamp
        }
    }

    public enum Users: Sendable, Hashable, Codable {
        /// Every file uses one user id space.
        case shared
        /// A link file joins the two domains' id spaces.
        case links(String)
    }

    public var domains: [DomainFiles]
    public var users: Users
    /// The negative control: with a seed, the users of every domain after the first are permuted
    /// (seeded), which breaks who-is-who across domains and keeps each domain's own data as it
    /// is. A cross-domain lift that survives this is not cross-domain.
    public var shuffleUsers: UInt64?
    /// Where the description came from (a file path, or `sweep file`), for error messages.
    public var origin: String

    public init(domains: [DomainFiles], users: Users = .shared, origin: String = "data-set description") {
        self.domains = domains
        self.users = users
        self.origin = origin
    }

    /// The description with every relative file that is missing as given but present in the data
    /// folder (``DataFolder``) pointing there; other paths stay as written (their errors name them).
    public func resolvingPaths(in folder: DataFolder) -> DatasetDescription {
        var resolved = self
        for d in resolved.domains.indices {
            resolved.domains[d].path = folder.find(domains[d].path) ?? domains[d].path
            resolved.domains[d].test = domains[d].test.map { folder.find($0) ?? $0 }
        }
        if case .links(let file) = users { resolved.users = .links(folder.find(file) ?? file) }
        return resolved
    }

    /// Separator names a description may use.
    public static let separators = ["tab", "comma", "semicolon", "pipe"]

    /// Stable text for fingerprints: one line per domain and field, fixed order (the origin is
    /// not part of it: the same files described twice are the same data).
    public var canonicalText: String {
        var text = ""
        for domain in domains {
            text += "domain=\(domain.name)|path=\(domain.path)|test=\(domain.test ?? "-")|feedback=\(domain.feedback.rawValue)"
            text += "|separator=\(domain.separator ?? "-")|header=\(domain.header ?? "-")|user=\(domain.user ?? "-")"
            text += "|item=\(domain.item ?? "-")|value=\(domain.value ?? "-")|timestamp=\(domain.timestamp ?? "-");"
        }
        switch users {
        case .shared: text += "users=shared"
        case .links(let file): text += "users=links(\(file))"
        }
        if let shuffleUsers { text += ";shuffle-users=\(shuffleUsers)" }
        return text
    }

    /// Checks what can be checked without reading files: at least one domain, distinct non-empty
    /// names, known separators and headers, links only between two domains.
    public func validate() throws(DataError) {
        guard !domains.isEmpty else {
            throw DataError(
                .invalidArgument, file: origin, fieldName: "domains", message: "names no domain",
                hint: "give each domain a name and a path: domains: {phone: {path: phone.txt}, sport: {path: sport.txt}}")
        }
        var seen = Set<String>()
        for domain in domains {
            guard !domain.name.isEmpty else {
                throw DataError(.invalidArgument, file: origin, fieldName: "domains", message: "a domain has an empty name")
            }
            guard seen.insert(domain.name).inserted else {
                throw DataError(.duplicate, file: origin, fieldName: "domains", message: "domain '\(domain.name)' is named twice")
            }
            guard !domain.path.isEmpty else {
                throw DataError(.invalidArgument, file: origin, fieldName: "domains.\(domain.name).path", message: "is empty")
            }
            if let separator = domain.separator, !Self.separators.contains(separator) {
                throw DataError(
                    .invalidArgument, file: origin, fieldName: "domains.\(domain.name).separator",
                    message: "unknown separator '\(separator)'; use \(Self.separators.joined(separator: ", "))")
            }
            if let header = domain.header, GenericInteractionsLoader.Header(rawValue: header) == nil {
                throw DataError(
                    .invalidArgument, file: origin, fieldName: "domains.\(domain.name).header",
                    message: "unknown header '\(header)'; use auto, present or absent")
            }
        }
        if case .links = users, domains.count != 2 {
            throw DataError(
                .invalidArgument, file: origin, fieldName: "users",
                message: "a links file joins two domains; this description has \(domains.count)",
                hint: "use users: shared when every file numbers users in one id space")
        }
    }

    /// The generic loader for `domain`'s files.
    func loader(for domain: DomainFiles) -> GenericInteractionsLoader {
        var loader = GenericInteractionsLoader()
        loader.domainName = domain.name
        loader.feedback = domain.feedback
        switch domain.separator {
        case "tab": loader.separator = .tab
        case "comma": loader.separator = .csv
        case "semicolon": loader.separator = .byte(UInt8(ascii: ";"))
        case "pipe": loader.separator = .pipe
        default: break
        }
        if let header = domain.header.flatMap(GenericInteractionsLoader.Header.init(rawValue:)) { loader.header = header }
        if let user = domain.user { loader.user = .init(parsing: user) }
        if let item = domain.item { loader.item = .init(parsing: item) }
        if let value = domain.value { loader.value = value == "none" ? nil : .init(parsing: value) }
        if let timestamp = domain.timestamp { loader.timestamp = timestamp == "none" ? nil : .init(parsing: timestamp) }
        return loader
    }

    /// Reads every file. Each domain's test rows (when a test file is given) land in
    /// ``Domain/givenTest`` over the same user and item indices; the training file alone makes
    /// ``Domain/interactions``.
    /// - Throws: ``DataError`` naming the file, line and field of a malformed row; for
    ///   `users: shared`, when two domains have no user id in common (the ids are then from two
    ///   id spaces and need a links file).
    public func open() throws(DataError) -> Dataset {
        var dataset = try openFiles()
        if let seed = shuffleUsers { Self.shuffleUsers(of: &dataset, seed: seed) }
        return dataset
    }

    /// Permutes the user indices of every domain after the first (training and test rows alike).
    static func shuffleUsers(of dataset: inout Dataset, seed: UInt64) {
        var permutation = (0..<Int32(dataset.users.count)).map { $0 }
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&permutation)
        for d in dataset.domains.indices.dropFirst() {
            dataset.domains[d].interactions.users = dataset.domains[d].interactions.users.map { permutation[Int($0)] }
            if var test = dataset.domains[d].givenTest {
                test.users = test.users.map { permutation[Int($0)] }
                dataset.domains[d].givenTest = test
            }
        }
        dataset.layout += ", users of \(dataset.domains.dropFirst().map(\.name).joined(separator: ", ")) shuffled (seed \(seed): the negative control)"
    }

    private func openFiles() throws(DataError) -> Dataset {
        try validate()
        switch users {
        case .shared:
            var users = IDMap()
            var report = LoadReport()
            var loaded: [Domain] = []
            for files in domains {
                var domain = try load(files, users: &users, report: &report)
                domain.name = files.name
                loaded.append(domain)
            }
            try checkOverlap(loaded, userCount: users.count)
            let names = domains.map(\.name).joined(separator: "+")
            return Dataset(name: names, layout: "described: \(domains.count) domains, users shared", users: users, domains: loaded, report: report)
        case .links(let file):
            var parts: [Dataset] = []
            for files in domains {
                var users = IDMap()
                var report = LoadReport()
                let domain = try load(files, users: &users, report: &report)
                parts.append(Dataset(name: files.name, layout: "generic", users: users, domains: [domain], report: report))
            }
            let links = try UserLinks.load(file: file)
            var joined = try links.join(parts[0], parts[1])
            joined.name = domains.map(\.name).joined(separator: "+")
            joined.layout = "described: 2 domains, users linked by \((file as NSString).lastPathComponent)"
            return joined
        }
    }

    private func load(_ files: DomainFiles, users: inout IDMap, report: inout LoadReport) throws(DataError) -> Domain {
        let loader = loader(for: files)
        var items = IDMap()
        let train = try loader.loadDomain(file: files.path, users: &users, items: &items)
        let name = (files.path as NSString).lastPathComponent
        report.rowsRead[files.name + "/" + name] = train.rows
        if train.duplicates > 0 { report.duplicatesRemoved[files.name + "/" + name] = train.duplicates }
        if let note = train.note { report.notes.append("\(files.name): \(note)") }
        report.warnings += train.warnings
        var domain = train.domain
        if let test = files.test {
            var testLoader = loader
            // The test file is read as its training file was: the same feedback, decided there.
            testLoader.feedback = domain.isExplicit ? .explicit : .implicit
            if !domain.isExplicit { testLoader.value = nil }
            let loaded = try testLoader.loadDomain(file: test, users: &users, items: &items)
            let testName = (test as NSString).lastPathComponent
            report.rowsRead[files.name + "/" + testName] = loaded.rows
            if loaded.duplicates > 0 { report.duplicatesRemoved[files.name + "/" + testName] = loaded.duplicates }
            report.warnings += loaded.warnings
            domain.items = items
            domain.catalog.ensureCount(items.count)
            domain.givenTest = loaded.domain.interactions
            let unseen = Set(loaded.domain.interactions.items.filter { Int($0) >= train.domain.items.count }).count
            if unseen > 0 {
                report.notes.append(
                    "\(files.name): \(unseen) items of \(testName) have no row in \(name) (no model has seen them)")
            }
        }
        return domain
    }

    /// With shared ids, every pair of domains must share users: otherwise the files number users
    /// in different id spaces, and joining them by id would link strangers.
    private func checkOverlap(_ loaded: [Domain], userCount: Int) throws(DataError) {
        guard loaded.count > 1 else { return }
        let sets = loaded.map { domain -> Set<Int32> in
            var users = Set(domain.interactions.users)
            if let test = domain.givenTest { users.formUnion(test.users) }
            return users
        }
        for a in 0..<loaded.count {
            for b in (a + 1)..<loaded.count where sets[a].isDisjoint(with: sets[b]) {
                throw DataError(
                    .unknownID, file: origin, fieldName: "users",
                    message: "users: shared, but \(domains[a].path) (\(loaded[a].name)) and \(domains[b].path) "
                        + "(\(loaded[b].name)) have no user id in common",
                    hint: "when the files number users differently, give a links file: users: {links: FILE}")
            }
        }
    }
}
