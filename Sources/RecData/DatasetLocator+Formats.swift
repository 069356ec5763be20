import Foundation

extension DatasetLocator {
    func openMIND(path: String) throws(DataError) -> Opened {
        let mind = try MINDLoader.load(folder: path)
        return Opened(dataset: mind.dataset, extra: Self.mindFigures(mind), mind: mind)
    }

    /// MIND figures for `data inspect`: impressions and clicks per split, and news coverage.
    static func mindFigures(_ mind: MINDDataset, prefix: String = "mind") -> [String: String] {
        var extra: [String: String] = [:]
        for split in mind.splits {
            guard let log = mind.logs[split] else { continue }
            extra["\(prefix) \(split) impressions"] = String(log.count)
            if let coverage = mind.coverage[split] {
                extra["\(prefix) \(split) coverage"] =
                    "\(coverage.described) of \(coverage.referenced) referenced news ids have a news row "
                    + "(\(String(format: "%.2f", coverage.describedFraction * 100))%), \(coverage.missing) missing"
            }
            if let duplicates = mind.duplicateImpressionIDs[split], duplicates > 0 {
                extra["\(prefix) \(split) duplicate impression ids"] = String(duplicates)
            }
        }
        return extra
    }

    /// A generated folder: `movielens/` + `mind/` joined through `links.csv`.
    func openLinked(path: String) throws(DataError) -> Opened {
        let movies = try movieLens.load(folder: (path as NSString).appendingPathComponent("movielens"))
        let mind = try MINDLoader.load(folder: (path as NSString).appendingPathComponent("mind"))
        let links = try UserLinks.load(file: (path as NSString).appendingPathComponent("links.csv"))
        let (joined, mindUsers) = try links.joinMapping(movies, mind.dataset)
        var dataset = joined
        dataset.name = (path as NSString).lastPathComponent
        dataset.layout = "linked (MovieLens CSV + MIND + links.csv)"
        return Opened(
            dataset: dataset, extra: Self.mindFigures(mind), mind: mind.renumberingUsers(mindUsers, into: dataset.users))
    }
}
