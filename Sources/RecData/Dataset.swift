/// One platform's items and the interactions of the data set's users with them.
public struct Domain: Sendable, Equatable {
    /// `movies`, `news`, or a name given by a domain split or a generic loader.
    public var name: String
    public var items: IDMap
    public var catalog: ItemCatalog
    public var interactions: Interactions
    /// Whether `values` are graded ratings (true) or implicit events such as clicks (false).
    public var isExplicit: Bool
    /// Fixed test rows over the same user and item indices (a data-set description's `test:`
    /// file, the published split); `interactions` then holds the training rows only.
    public var givenTest: Interactions?

    public init(
        name: String, items: IDMap, catalog: ItemCatalog, interactions: Interactions, isExplicit: Bool,
        givenTest: Interactions? = nil
    ) {
        self.givenTest = givenTest
        self.name = name
        self.items = items
        self.catalog = catalog
        self.interactions = interactions
        self.isExplicit = isExplicit
    }
}

/// Counts a loader reports besides the data: nothing is dropped silently.
public struct LoadReport: Sendable, Equatable {
    /// Data rows read per file (header and blank lines excluded).
    public var rowsRead: [String: Int] = [:]
    /// Rows removed because the (user, item) pair repeated, per file.
    public var duplicatesRemoved: [String: Int] = [:]
    /// Rows skipped and why, per file (e.g. ratings of movies with no catalog row).
    public var skipped: [String: [String: Int]] = [:]
    /// Files found beside the loaded ones that were not loaded, and why.
    public var notes: [String] = []
    /// Odd but valid input, each naming file, line and field (`ratings.csv:12: field 3 'rating': …`).
    public var warnings: [String] = []

    public init() {}

    public mutating func skip(_ file: String, reason: String, count: Int = 1) {
        skipped[file, default: [:]][reason, default: 0] += count
    }
}

/// A loaded data set: one user id space shared by one or more item domains.
///
/// Single-platform data (MovieLens, MIND) has one domain; domain splits and linked data sets
/// have two or more, with the same user index meaning the same person in every domain.
public struct Dataset: Sendable, Equatable {
    /// A short name (`ml-100k`, `mind-small/train`, `synthetic`).
    public var name: String
    /// The detected layout, as shown by `crossrec data inspect`.
    public var layout: String
    public var users: IDMap
    public var domains: [Domain]
    public var report: LoadReport
    /// Per-user attributes when the source has them (`u.user`, `users.dat`): column name to values.
    public var userAttributes: [String: [String]]

    public init(
        name: String, layout: String, users: IDMap, domains: [Domain], report: LoadReport = LoadReport(),
        userAttributes: [String: [String]] = [:]
    ) {
        self.name = name
        self.layout = layout
        self.users = users
        self.domains = domains
        self.report = report
        self.userAttributes = userAttributes
    }

    /// The domain called `name`.
    public func domain(_ name: String) -> Domain? { domains.first { $0.name == name } }

    public var interactionCount: Int { domains.reduce(0) { $0 + $1.interactions.count } }
}

/// Training and test interactions over the same index space.
public struct Split: Sendable, Equatable {
    public var name: String
    public var train: Interactions
    public var test: Interactions
    /// Items held out whole (``Splitting/coldItems(_:testFraction:seed:by:)``), ascending: every
    /// row of theirs is in `test`, none in `train`. Their evaluation ranks only these items. nil for
    /// splits that hold out rows, not items.
    public var coldItems: [Int32]?
    /// A cold-users split: how many disjoint folds of its size the eligible users make
    /// (``Splitting/ColdUserFolds``); nil for other splits.
    public var coldUserFolds: Int?

    public init(name: String, train: Interactions, test: Interactions, coldItems: [Int32]? = nil) {
        self.name = name
        self.train = train
        self.test = test
        self.coldItems = coldItems
    }
}
