/// What is known about one item besides its interactions.
public struct ItemRecord: Sendable, Equatable {
    public var title: String
    /// Release or publication year, when the source gives one.
    public var year: Int?
    /// Indices into ``ItemCatalog/categories`` (MovieLens genres, MIND category).
    public var categories: [Int32]
    /// MIND subcategory.
    public var subcategory: String?
    /// MIND abstract (MovieLens has no description text).
    public var abstract: String?
    public var url: String?
    /// User-supplied tags (MovieLens `tags.*`, genome tags when loaded).
    public var tags: [String]
    /// Knowledge-graph entity ids in the text (MIND `title_entities`/`abstract_entities`).
    public var entities: [String]

    public init(
        title: String, year: Int? = nil, categories: [Int32] = [], subcategory: String? = nil, abstract: String? = nil,
        url: String? = nil, tags: [String] = [], entities: [String] = []
    ) {
        self.title = title
        self.year = year
        self.categories = categories
        self.subcategory = subcategory
        self.abstract = abstract
        self.url = url
        self.tags = tags
        self.entities = entities
    }
}

/// Item metadata for one domain, indexed by the domain's dense item index.
///
/// `records[i]` is nil for an item that occurs in interactions but has no catalog row (for MIND,
/// a news id referenced by behaviors but absent from `news.tsv`: see ``coverage``).
public struct ItemCatalog: Sendable, Equatable {
    /// Category vocabulary (genre or news category names), indexed by ``ItemRecord/categories``.
    public var categories: [String]
    public var records: [ItemRecord?]

    public init(categories: [String] = [], records: [ItemRecord?] = []) {
        self.categories = categories
        self.records = records
    }

    /// Number of items that have a catalog row.
    public var describedCount: Int { records.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// The category index of `name`, adding it when new.
    public mutating func category(named name: String) -> Int32 {
        if let index = categories.firstIndex(of: name) { return Int32(index) }
        categories.append(name)
        return Int32(categories.count - 1)
    }

    /// Makes room for item index `index`.
    public mutating func ensureCount(_ count: Int) {
        if records.count < count { records.append(contentsOf: repeatElement(nil, count: count - records.count)) }
    }

    /// Category names of item `index`.
    public func categoryNames(of index: Int32) -> [String] {
        guard Int(index) < records.count, let record = records[Int(index)] else { return [] }
        return record.categories.map { categories[Int($0)] }
    }

    /// The text a content model reads: title, year, categories, subcategory, abstract and tags.
    public func text(of index: Int32) -> String {
        guard Int(index) < records.count, let record = records[Int(index)] else { return "" }
        var parts = [record.title]
        if let year = record.year, !record.title.contains("(\(year))") { parts.append(String(year)) }
        parts.append(contentsOf: record.categories.map { categories[Int($0)] })
        if let subcategory = record.subcategory { parts.append(subcategory) }
        if let abstract = record.abstract, !abstract.isEmpty { parts.append(abstract) }
        parts.append(contentsOf: record.tags)
        return parts.joined(separator: " ")
    }
}
