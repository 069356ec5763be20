import Foundation
public import RecData

extension DatasetDescription {
    /// Keys of one domain under `domains:`.
    public static let domainKeys = ["path", "test", "feedback", "separator", "header", "user", "item", "value", "timestamp"]

    /// Reads a data-set file: `domains:` (required) and `users:`. Relative paths in it are
    /// relative to the file's folder; one missing there that `dataFolder` (nil: this process's
    /// ``RecData/DataFolder``) has is the data folder's.
    /// - Throws: ``SweepSpecError`` naming the file, line and key.
    public static func load(file: String, dataFolder: DataFolder? = nil) throws(SweepSpecError) -> DatasetDescription {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw SweepSpecError(
                file: file, line: 1, key: "", message: "cannot read the data-set file: \(error.localizedDescription)")
        }
        let reader = YAMLReader(file: file)
        let root = try reader.root(of: text, what: "data-set file")
        try root.rejectUnknownKeys(allowed: ["domains", "users", "shuffle-users"])
        let domains = try root.require(
            "domains", hint: "one interaction file per domain, e.g. domains: {phone: {path: phone.txt}, sport: {path: sport.txt}}")
        let folder = (file as NSString).deletingLastPathComponent
        var description = try DatasetDescription(
            domains: domains, users: root["users"], origin: file, base: folder, dataFolder: dataFolder ?? DataFolder())
        description.shuffleUsers = try root["shuffle-users"]?.seed()
        return description
    }

    /// `domains: {name: {path: …, test: …, …} | path, …}` and `users: shared | {links: FILE}`;
    /// relative paths are joined to `base` when it is given (a data-set file's folder).
    init(
        domains entry: YAMLEntry, users usersEntry: YAMLEntry?, origin: String, base: String?,
        dataFolder: DataFolder = DataFolder()
    ) throws(SweepSpecError) {
        // Relative to the file's folder; a path missing there that the data folder has
        // (`amazon-cdr-phone-sport/…` in data/) is the data folder's.
        func resolve(_ path: String) -> String {
            guard let base, !base.isEmpty, !path.hasPrefix("/") else { return path }
            let beside = (base as NSString).appendingPathComponent(path)
            if !FileManager.default.fileExists(atPath: beside), let found = dataFolder.find(path) { return found }
            return beside
        }
        let map = try entry.map("domain names with their files, e.g. {phone: {path: phone.txt}, sport: {path: sport.txt}}")
        guard !map.entries.isEmpty else {
            throw entry.error("'domains' names no domain; give each a name and a path, e.g. {phone: {path: phone.txt}}")
        }
        var domains: [DomainFiles] = []
        for domain in map.entries {
            if case .string? = domain.scalar {
                domains.append(DomainFiles(name: domain.key, path: resolve(try domain.string("an interaction file path"))))
                continue
            }
            let fields = try domain.map("{path: FILE, test: FILE, feedback: auto|implicit|explicit, …}")
            try fields.rejectUnknownKeys(allowed: Self.domainKeys)
            let path = try fields.require("path", hint: "the domain's interaction file (its training rows when 'test' is given)")
                .string("a file path")
            var files = DomainFiles(name: domain.key, path: resolve(path))
            files.test = try fields["test"].map { entry throws(SweepSpecError) in resolve(try entry.string("a file path")) }
            if let feedback = fields["feedback"] {
                let word = try feedback.string("auto, implicit or explicit")
                guard let parsed = GenericInteractionsLoader.Feedback(rawValue: word) else {
                    throw feedback.error(
                        "'feedback' must be auto (a value column that is the same everywhere is implicit), implicit or explicit; got '\(word)'")
                }
                files.feedback = parsed
            }
            if let separator = fields["separator"] {
                let word = try separator.string("tab, comma, semicolon or pipe")
                guard DatasetDescription.separators.contains(word) else {
                    throw separator.error("'separator' must be tab, comma, semicolon or pipe; got '\(word)'")
                }
                files.separator = word
            }
            if let header = fields["header"] {
                let word = try header.string("auto, present or absent")
                guard GenericInteractionsLoader.Header(rawValue: word) != nil else {
                    throw header.error("'header' must be auto, present or absent; got '\(word)'")
                }
                files.header = word
            }
            files.user = try fields["user"]?.string("a column name or 0-based position")
            files.item = try fields["item"]?.string("a column name or 0-based position")
            files.value = try fields["value"]?.string("a column name, a 0-based position or none")
            files.timestamp = try fields["timestamp"]?.string("a column name, a 0-based position or none")
            domains.append(files)
        }
        var users = Users.shared
        if let usersEntry {
            if case .string(let word)? = usersEntry.scalar {
                guard word == "shared" else {
                    throw usersEntry.error("'users' must be shared (one id space) or {links: FILE}; got '\(word)'")
                }
            } else {
                let links = try usersEntry.map("shared or {links: FILE}")
                try links.rejectUnknownKeys(allowed: ["links"])
                let file = try links.require("links", hint: "a file of user_in_first,user_in_second lines").string("a file path")
                guard domains.count == 2 else {
                    throw usersEntry.error("a links file joins two domains; 'domains' names \(domains.count)")
                }
                users = .links(resolve(file))
            }
        }
        self.init(domains: domains, users: users, origin: origin)
    }
}
