public import RecData

/// The click model of crossrec's synthetic generator, from its planted truth (`truth.json`): the
/// probability that user u clicks news n is `base + taste · t_u(topic(n)) / max_k t_u(k)`, the
/// generator's own rule for independent clicks (`SyntheticClicks`: base 0.02, taste 0.55). The
/// generator plants ratings, not clicks, for movies; the simulator uses the same rule on the
/// movie's genres, `base + taste · mean_{g ∈ genres(m)} g_u(g) / max_k g_u(k)`, an assumption
/// stated in every report. So the true click probability of any slate is known exactly.
///
/// Users and items are matched by id: a truth user by its MovieLens id, else its MIND id; an item
/// by its category names (the news topic, the movie genres) in the data set's catalog.
public struct PlantedClickModel: ClickModel {
    public static let base = 0.02
    public static let taste = 0.55

    /// Per data-set user: relative genre and topic tastes (each divided by its maximum); nil for
    /// a user the truth does not know.
    let genreTaste: [[Double]?]
    let topicTaste: [[Double]?]
    /// Per domain, per item: indices into the truth's genres (movies) or topics (news).
    let itemCategories: [[[Int]]]
    /// Per domain: whether its categories are topics (news) rather than genres.
    let isNews: [Bool]

    public var description: String {
        "the generator's planted tastes (news: its click rule; movies: the same rule on genres, an assumption)"
    }

    /// - Throws: when no user of `dataset` is in `truth` or a domain's categories match neither
    ///   the truth's genres nor its topics (not the data set the truth was generated with).
    public init(dataset: Dataset, truth: SyntheticTruth) throws {
        func relative(_ tastes: [Double]) -> [Double] {
            let top = tastes.max() ?? 1
            return tastes.map { top > 0 ? $0 / top : 0 }
        }
        var genre = [[Double]?](repeating: nil, count: dataset.users.count)
        var topic = [[Double]?](repeating: nil, count: dataset.users.count)
        var matched = 0
        for user in truth.users {
            guard let index = user.movielensUser.flatMap(dataset.users.index(of:)) ?? user.mindUser.flatMap(dataset.users.index(of:))
            else { continue }
            genre[Int(index)] = relative(user.genreTaste)
            topic[Int(index)] = relative(user.topicTaste)
            matched += 1
        }
        guard matched > 0 else {
            throw SimulationError("no user of the data set is in truth.json: simulate needs the generated folder the truth came with")
        }
        let genreIndex = Dictionary(uniqueKeysWithValues: truth.genres.enumerated().map { ($1, $0) })
        let topicIndex = Dictionary(uniqueKeysWithValues: truth.topics.enumerated().map { ($1, $0) })
        var categories: [[[Int]]] = []
        var news: [Bool] = []
        for domain in dataset.domains {
            let names = domain.catalog.categories
            let asTopics = names.compactMap { topicIndex[$0] }.count, asGenres = names.compactMap { genreIndex[$0] }.count
            guard asTopics > 0 || asGenres > 0 else {
                throw SimulationError(
                    "domain '\(domain.name)': its categories (\(names.prefix(5).joined(separator: ", "))) are neither the truth's genres nor its topics")
            }
            let isTopics = asTopics > asGenres
            let lookup = isTopics ? topicIndex : genreIndex
            categories.append(
                (0..<domain.items.count).map { item in
                    domain.catalog.categoryNames(of: Int32(item)).compactMap { lookup[$0] }
                })
            news.append(isTopics)
        }
        genreTaste = genre
        topicTaste = topic
        itemCategories = categories
        isNews = news
    }

    public func clickProbability(user: Int32, _ item: SlateItem) -> Double {
        let tastes = isNews[item.domain] ? topicTaste[Int(user)] : genreTaste[Int(user)]
        let categories = itemCategories[item.domain][Int(item.item)]
        guard let tastes, !categories.isEmpty else { return Self.base }
        let match = categories.reduce(0.0) { $0 + tastes[$1] } / Double(categories.count)
        return Self.base + Self.taste * match
    }

    /// Whether the truth knows `user` (only those are simulated).
    public func knows(user: Int32) -> Bool { genreTaste[Int(user)] != nil }
}

/// A simulation input that cannot be used, said the way the CLI says errors.
public struct SimulationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
