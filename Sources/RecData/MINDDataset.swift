/// A loaded MIND release: the click data set, the impression logs per split, and what is missing.
///
/// All splits share one user ``IDMap`` (`dataset.users`) and one news ``IDMap``
/// (`dataset.domains[0].items`), so a news index means the same article in `train`, `dev` and
/// `test`.
///
/// The single domain `news` (implicit) holds the clicks as interactions, value 1:
/// - rows `0..<impressionClickCount`: one per clicked impression candidate, stamped with the
///   impression time, in split order (`train`, `dev`, `test`) and file order;
/// - the remaining rows (when ``MINDLoader/Options/includeHistory`` is on): the click histories.
///   MIND gives no time for a history click, only that it came before the impression, so each
///   distinct (user, news) history pair that is not already an impression click of that user
///   becomes one row stamped with the user's earliest impression time minus one second, ordered
///   by user index. A history repeated on every impression of a user is therefore counted once.
public struct MINDDataset: Sendable, Equatable {
    /// How many of the news ids a split's behaviors mention have a row in a `news.tsv`.
    public struct Coverage: Sendable, Equatable {
        /// Distinct news ids referenced by the split's `behaviors.tsv` (history and impressions).
        public var referenced: Int
        /// Referenced ids with no row in any loaded `news.tsv` (all splits pooled, as the catalog is).
        public var missing: Int
        /// Referenced ids with no row in the split's own `news.tsv`.
        public var missingFromOwnNews: Int

        public init(referenced: Int, missing: Int, missingFromOwnNews: Int) {
            self.referenced = referenced
            self.missing = missing
            self.missingFromOwnNews = missingFromOwnNews
        }

        /// Referenced ids that have a catalog row.
        public var described: Int { referenced - missing }
        /// `described / referenced` (1 when nothing is referenced).
        public var describedFraction: Double { referenced == 0 ? 1 : Double(described) / Double(referenced) }
        /// `missing / referenced` (0 when nothing is referenced).
        public var missingFraction: Double { referenced == 0 ? 0 : Double(missing) / Double(referenced) }
    }

    public var dataset: Dataset
    /// Split names in load order (`train`, `dev`, `test`, whichever are present).
    public var splits: [String]
    /// Impression logs by split name.
    public var logs: [String: MINDImpressionLog]
    /// News coverage by split name.
    public var coverage: [String: Coverage]
    /// The news domain's first `impressionClickCount` rows are impression clicks; the rest are history.
    public var impressionClickCount: Int
    /// Impression ids that occur more than once in a split's `behaviors.tsv` (rows kept), by split name.
    public var duplicateImpressionIDs: [String: Int]
    /// `entity_embedding.vec` vectors by WikidataId, when ``MINDLoader/Options/loadEmbeddings`` is on.
    public var entityEmbeddings: MINDEmbeddings?
    /// `relation_embedding.vec` vectors by Wikidata property id, when loaded.
    public var relationEmbeddings: MINDEmbeddings?

    public init(
        dataset: Dataset, splits: [String], logs: [String: MINDImpressionLog], coverage: [String: Coverage],
        impressionClickCount: Int, duplicateImpressionIDs: [String: Int] = [:],
        entityEmbeddings: MINDEmbeddings? = nil, relationEmbeddings: MINDEmbeddings? = nil
    ) {
        self.dataset = dataset
        self.splits = splits
        self.logs = logs
        self.coverage = coverage
        self.impressionClickCount = impressionClickCount
        self.duplicateImpressionIDs = duplicateImpressionIDs
        self.entityEmbeddings = entityEmbeddings
        self.relationEmbeddings = relationEmbeddings
    }

    /// This data set with its users renumbered into `users`: user `u` becomes `map[u]` in the
    /// news domain's rows and in every impression log (for a MIND part joined with another
    /// domain, so its logs and clicks use the joined numbering).
    public func renumberingUsers(_ map: [Int32], into users: IDMap) -> MINDDataset {
        var renumbered = self
        renumbered.dataset.users = users
        for index in renumbered.dataset.domains.indices {
            renumbered.dataset.domains[index].interactions.users =
                renumbered.dataset.domains[index].interactions.users.map { map[Int($0)] }
        }
        for split in renumbered.logs.keys { renumbered.logs[split]?.mapUsers(map) }
        return renumbered
    }

    /// The `news` domain.
    public var news: Domain { dataset.domains[0] }

    /// The history rows of the news domain (empty when history was not included).
    public var historyInteractions: Interactions {
        news.interactions.subset(impressionClickCount..<news.interactions.count)
    }

    /// The official MIND protocol as a ``Split``: clicks of the `train` log against clicks of the `dev` log.
    ///
    /// - Parameter includeHistory: also train on the history rows of every split. History is an
    ///   input at prediction time (it precedes every logged impression), so this leaks no test click.
    /// - Throws: ``DataError/Kind/invalidArgument`` when a split was not loaded or `test` is unlabeled.
    public func clickSplit(train: String = "train", test: String = "dev", includeHistory: Bool = false)
        throws(DataError) -> Split
    {
        guard let trainLog = logs[train], let testLog = logs[test] else {
            let missing = logs[train] == nil ? train : test
            throw DataError(
                .invalidArgument, file: dataset.name,
                message: "no '\(missing)' split loaded (have \(splits.joined(separator: ", ")))",
                hint:
                    "load a release folder with train/ and dev/ subfolders, e.g. from `crossrec data fetch mind-small`")
        }
        guard testLog.isEmpty || testLog.isLabeled else {
            throw DataError(
                .invalidArgument, file: dataset.name,
                message: "the '\(test)' split has no click labels",
                hint: "the MIND test set is scored by the official leaderboard; evaluate on dev")
        }
        var trainClicks = trainLog.clicks()
        if includeHistory {
            let history = historyInteractions
            trainClicks.reserveCapacity(trainClicks.count + history.count)
            for row in 0..<history.count {
                trainClicks.append(
                    user: history.users[row], item: history.items[row], value: history.values[row],
                    timestamp: history.timestamps[row])
            }
        }
        return Split(name: "mind-\(train)-\(test)", train: trainClicks, test: testLog.clicks())
    }
}
