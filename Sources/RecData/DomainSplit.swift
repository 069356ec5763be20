/// Splits one domain of a data set into several domains with the same users, by groups of
/// categories: MovieLens genre groups (`Action,Adventure,Sci-Fi,Thriller | Comedy,Romance,Drama`)
/// or MIND category groups (`sports | finance,news`). Real users then appear in both domains,
/// which is what a cross-domain model needs.
///
/// An item goes to the first group that contains any of its categories; an item in no group is
/// left out, and its interactions are counted in the report (`skipped`) rather than dropped silently.
public struct DomainSplit: Sendable, Equatable {
    public var groups: [[String]]
    public var names: [String]

    public init(groups: [[String]], names: [String]? = nil) {
        self.groups = groups
        self.names = names ?? groups.map { $0.joined(separator: "+") }
    }

    /// Parses `A,B | C,D` (groups separated by `|`, categories by `,`). `name=A,B | other=C` names groups.
    public init(parsing text: String) throws(DataError) {
        var groups: [[String]] = [], names: [String] = []
        for part in text.split(separator: "|") {
            var body = Substring(part)
            var name: String?
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals].trimmingCharacters(in: .whitespaces)
                body = part[part.index(after: equals)...]
            }
            let categories = body.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if categories.isEmpty {
                throw DataError(
                    .invalidArgument, file: "<domain split>", fieldName: "groups",
                    message: "empty group in '\(text)'", hint: "write groups like 'Action,Adventure | Comedy,Drama'")
            }
            groups.append(categories)
            names.append(name ?? categories.joined(separator: "+"))
        }
        guard groups.count >= 2 else {
            throw DataError(
                .invalidArgument, file: "<domain split>", fieldName: "groups", message: "need at least two groups separated by '|', got '\(text)'")
        }
        self.init(groups: groups, names: names)
    }

    /// Applies the split to domain `domainName` of `dataset`.
    public func apply(to dataset: Dataset, domain domainName: String? = nil) throws(DataError) -> Dataset {
        guard let source = domainName.map({ dataset.domain($0) }) ?? dataset.domains.first else {
            throw DataError(
                .invalidArgument, file: dataset.name, fieldName: "domain",
                message: "no domain '\(domainName ?? "")'; the data set has \(dataset.domains.map(\.name).joined(separator: ", "))")
        }
        let catalog = source.catalog
        var groupOfCategory = [Int](repeating: -1, count: catalog.categories.count)
        for (g, group) in groups.enumerated() {
            for name in group {
                guard let index = catalog.categories.firstIndex(of: name) else {
                    throw DataError(
                        .invalidArgument, file: dataset.name, fieldName: "groups",
                        message: "unknown category '\(name)'; known: \(catalog.categories.joined(separator: ", "))")
                }
                if groupOfCategory[index] == -1 { groupOfCategory[index] = g }
            }
        }
        // Group of each item: the first group (in group order) any of its categories belongs to.
        var groupOfItem = [Int](repeating: -1, count: source.items.count)
        for item in 0..<source.items.count {
            guard item < catalog.records.count, let record = catalog.records[item] else { continue }
            let candidates = record.categories.map { groupOfCategory[Int($0)] }.filter { $0 >= 0 }
            groupOfItem[item] = candidates.min() ?? -1
        }
        var newItems = [IDMap](repeating: IDMap(), count: groups.count)
        var newCatalogs = [ItemCatalog](repeating: ItemCatalog(categories: catalog.categories), count: groups.count)
        var newIndex = [Int32](repeating: -1, count: source.items.count)
        for item in 0..<source.items.count where groupOfItem[item] >= 0 {
            let g = groupOfItem[item]
            newIndex[item] = newItems[g].intern(source.items[Int32(item)])
            newCatalogs[g].records.append(catalog.records[item])
        }
        var newInteractions = [Interactions](repeating: Interactions(), count: groups.count)
        var left = 0
        let rows = source.interactions
        for row in 0..<rows.count {
            let item = Int(rows.items[row])
            let g = groupOfItem[item]
            guard g >= 0 else {
                left += 1
                continue
            }
            newInteractions[g].append(user: rows.users[row], item: newIndex[item], value: rows.values[row], timestamp: rows.timestamps[row])
        }
        var report = dataset.report
        if left > 0 { report.skip(source.name, reason: "interactions with items in no group of the domain split", count: left) }
        var domains = dataset.domains.filter { $0.name != source.name }
        for g in 0..<groups.count {
            domains.append(
                Domain(name: names[g], items: newItems[g], catalog: newCatalogs[g], interactions: newInteractions[g], isExplicit: source.isExplicit))
        }
        return Dataset(
            name: dataset.name, layout: dataset.layout + ", domain split " + names.joined(separator: " | "), users: dataset.users,
            domains: domains, report: report, userAttributes: dataset.userAttributes)
    }
}
