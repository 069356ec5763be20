import Foundation

extension Dataset {
    /// A fixed train/test pair for domain `name` (`--split files:TRAIN,TEST`, `split: {files: …}`):
    /// both files are read by `reader` (any delimited `user,item[,value[,timestamp]]` layout: the
    /// separator and header detected unless set, ratings on any scale, half stars included) and
    /// their ids numbered in this data set's user and item maps, so item text and other domains
    /// keep their meaning.
    ///
    /// Ids the data set does not have are added: a test user without a training row is still
    /// evaluated (models score such users by their fallback, as for a cold-users split); a test
    /// item without a training row is never a top-K candidate (its relevant rows are dropped and
    /// counted, as every split does) and is predicted by the model's fallback for RMSE. The report
    /// counts both, and the rows read from each file.
    /// - Throws: ``DataError`` naming the file, line and field of a malformed row; an unknown
    ///   domain; a domain of implicit events given a file whose values would be read as ratings.
    public mutating func readSplitFiles(
        train: String, test: String, domain name: String, reader: GenericInteractionsLoader
    ) throws(DataError) -> Split {
        guard let d = domains.firstIndex(where: { $0.name == name }) else {
            throw DataError(
                .invalidArgument, file: train, message: "the data set has no domain '\(name)'",
                hint: "it has \(domains.map(\.name).joined(separator: ", "))")
        }
        var loader = reader
        loader.domainName = name
        // Read as the data set's own rows are: ratings stay ratings, events stay events.
        if domains[d].isExplicit {
            loader.feedback = .explicit
        } else {
            loader.feedback = .implicit
            loader.value = nil
        }
        var users = self.users
        var items = domains[d].items
        let knownUsers = users.count, knownItems = items.count
        let trainRows = try loader.loadDomain(file: train, users: &users, items: &items)
        let itemsAfterTrain = items.count
        var trained = [Bool](repeating: false, count: users.count)
        for user in trainRows.domain.interactions.users { trained[Int(user)] = true }
        let testRows = try loader.loadDomain(file: test, users: &users, items: &items)
        self.users = users
        domains[d].items = items
        domains[d].catalog.ensureCount(items.count)
        for loaded in [(train, trainRows), (test, testRows)] {
            let file = (loaded.0 as NSString).lastPathComponent
            report.rowsRead[name + "/" + file] = loaded.1.rows
            if loaded.1.duplicates > 0 { report.duplicatesRemoved[name + "/" + file] = loaded.1.duplicates }
            report.warnings += loaded.1.warnings
        }
        let testFile = (test as NSString).lastPathComponent, trainFile = (train as NSString).lastPathComponent
        let newItems = Set(testRows.domain.interactions.items.filter { Int($0) >= itemsAfterTrain }).count
        if newItems > 0 {
            report.notes.append(
                "\(name): \(newItems) items of \(testFile) have no row in \(trainFile): never ranked (their relevant rows "
                    + "are dropped and counted), predicted by each model's fallback for RMSE")
        }
        let coldUsers = Set(testRows.domain.interactions.users.filter { Int($0) >= trained.count || !trained[Int($0)] }).count
        if coldUsers > 0 {
            report.notes.append(
                "\(name): \(coldUsers) users of \(testFile) have no row in \(trainFile): evaluated as cold users "
                    + "(each model's fallback, e.g. popularity)")
        }
        if users.count > knownUsers || items.count > knownItems {
            report.notes.append(
                "\(name): the split files name \(users.count - knownUsers) users and \(items.count - knownItems) items "
                    + "the data set's own rows do not have (added; no item text for them)")
        }
        return Split(name: "files", train: trainRows.domain.interactions, test: testRows.domain.interactions)
    }
}
