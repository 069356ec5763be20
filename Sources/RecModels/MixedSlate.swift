/// One list of recommendations across domains (movies and news together) from per-domain scores.
///
/// Scores of different domains are not comparable (a movie dot product against a news one), so
/// each domain's scores are standardized over its eligible items (``ScoreBlend/standardize(_:excluded:)``),
/// and the slate takes the best standardized items across domains, best first, ties by domain
/// order and then the smaller item index, with at least `minimumPerDomain` items from every domain
/// that has that many eligible (the best of each, placed where their score puts them).
public enum MixedSlate {
    public struct Entry: Sendable, Equatable {
        public var domain: Int
        public var item: Int32
        /// The standardized score the slate was ranked by.
        public var score: Float
    }

    /// - Parameters:
    ///   - scores: per domain, one score per item.
    ///   - excluded: per domain, one flag per item (true: never recommended, e.g. already consumed).
    public static func build(scores: [[Float]], excluded: [[Bool]], size: Int, minimumPerDomain: Int) -> [Entry] {
        precondition(scores.count == excluded.count, "MixedSlate: \(scores.count) score lists, \(excluded.count) masks")
        var ranked: [[Entry]] = []
        for (d, domainScores) in scores.enumerated() {
            var z = domainScores
            ScoreBlend.standardize(&z, excluded: excluded[d])
            let eligible = z.indices.filter { !excluded[d][$0] && z[$0].isFinite }
            ranked.append(
                eligible.sorted { z[$0] > z[$1] || (z[$0] == z[$1] && $0 < $1) }.map {
                    Entry(domain: d, item: Int32($0), score: z[$0])
                })
        }
        let reserved = ranked.map { Array($0.prefix(min(minimumPerDomain, size / max(1, ranked.count)))) }
        var chosen = reserved.flatMap { $0 }
        var taken = Set(chosen.map { [$0.domain, Int($0.item)] })
        let rest = ranked.flatMap { $0 }.sorted(by: ranksBefore)
        for entry in rest where chosen.count < size && !taken.contains([entry.domain, Int(entry.item)]) {
            chosen.append(entry)
            taken.insert([entry.domain, Int(entry.item)])
        }
        return chosen.sorted(by: ranksBefore)
    }

    static func ranksBefore(_ a: Entry, _ b: Entry) -> Bool {
        a.score > b.score || (a.score == b.score && (a.domain, a.item) < (b.domain, b.item))
    }
}
