extension MINDImpressionLog {
    /// The impressions `keepImpression` accepts, each with only the candidates `keepCandidate`
    /// accepts (histories whole); an impression left without a clicked or without an unclicked
    /// candidate is dropped too, since nothing can be ranked in it.
    /// - Returns: the filtered log, and how many impressions were dropped for having no clicked or
    ///   no unclicked candidate left.
    /// - Complexity: O(impressions + candidates + Σ history lengths).
    public func filtered(
        impressions keepImpression: (Int) -> Bool, candidates keepCandidate: (Int32) -> Bool
    ) -> (log: MINDImpressionLog, droppedUnrankable: Int) {
        var result = MINDImpressionLog(split: split)
        let dropped = appendFiltered(
            into: &result, impressions: keepImpression, candidates: keepCandidate, history: { _ in true })
        return (result, dropped)
    }

    /// The impressions of `logs`, in order, as one log named `split`: each impression's history
    /// reduced to the news `keepHistory` accepts (e.g. no held-out article as input) and its
    /// candidates to those `keepCandidate` accepts; an impression left without a clicked or an
    /// unclicked candidate is dropped and counted.
    public static func merging(
        _ logs: [MINDImpressionLog], split: String, candidates keepCandidate: (Int32) -> Bool,
        history keepHistory: (Int32) -> Bool
    ) -> (log: MINDImpressionLog, droppedUnrankable: Int) {
        var result = MINDImpressionLog(split: split)
        var dropped = 0
        for log in logs {
            dropped += log.appendFiltered(
                into: &result, impressions: { _ in true }, candidates: keepCandidate, history: keepHistory)
        }
        return (result, dropped)
    }

    /// Appends the kept impressions to `result`; returns how many were dropped as unrankable.
    private func appendFiltered(
        into result: inout MINDImpressionLog, impressions keepImpression: (Int) -> Bool,
        candidates keepCandidate: (Int32) -> Bool, history keepHistory: (Int32) -> Bool
    ) -> Int {
        var dropped = 0
        // A history stored once for several impressions stays stored once.
        var copied: [Range<Int>: Range<Int>] = [:]
        for k in 0..<count where keepImpression(k) {
            let slots = candidateRange(of: k).filter { keepCandidate(candidates[$0]) }
            let hasClick = slots.contains { labels[$0] == 1 }
            let hasSkip = slots.contains { labels[$0] == 0 }
            guard hasClick && hasSkip else {
                dropped += 1
                continue
            }
            result.beginImpression(id: impressionID(at: k), user: users[k], time: times[k])
            let source = historyRange(of: k)
            for item in history[source] where keepHistory(item) { result.appendHistory(item) }
            let shared = copied[source].map { result.shareHistory(with: $0) } ?? false
            if !shared { copied[source] = result.historyRange(of: result.count - 1) }
            for slot in slots { result.appendCandidate(candidates[slot], label: labels[slot]) }
            result.endImpression()
        }
        return dropped
    }
}

extension MINDDataset {
    /// MIND's impression protocol on one part split by time: the impressions of the last
    /// `testDays` calendar days (UTC) of `part` are evaluated, each scored from its own history;
    /// models train on the clicks of the part's earlier impressions.
    /// - Returns: the split (train: earlier clicks; test: the evaluated impressions' clicks), the
    ///   evaluated impressions, and the first evaluated instant (Unix seconds).
    public func timeSplit(part: String = "train", testDays: Int = 1) throws(DataError) -> (
        split: Split, impressions: MINDImpressionLog, cutoff: Int64
    ) {
        guard let log = logs[part] else {
            throw DataError(
                .invalidArgument, file: dataset.name,
                message: "no '\(part)' part loaded (have \(splits.joined(separator: ", ")))",
                hint: "name a part the folder has: train or dev")
        }
        guard log.isLabeled, let latest = log.times.max(), let earliest = log.times.min() else {
            throw DataError(
                .invalidArgument, file: dataset.name, message: "the '\(part)' part has no labeled impressions",
                hint: "the MIND test part has no click labels; use train or dev")
        }
        let day: Int64 = 86_400
        let cutoff = (latest / day - Int64(max(1, testDays) - 1)) * day
        guard cutoff > earliest else {
            throw DataError(
                .invalidArgument, file: dataset.name,
                message: "the '\(part)' part spans fewer than \(testDays + 1) calendar days: nothing is left to train on",
                hint: "use fewer test days, or the mind: train/dev split")
        }
        let (evaluated, _) = log.filtered(impressions: { log.times[$0] >= cutoff }, candidates: { _ in true })
        var train = Interactions()
        var test = Interactions()
        for k in 0..<log.count {
            for slot in log.candidateRange(of: k) where log.labels[slot] == 1 {
                if log.times[k] < cutoff {
                    train.append(user: log.users[k], item: log.candidates[slot], value: 1, timestamp: log.times[k])
                } else {
                    test.append(user: log.users[k], item: log.candidates[slot], value: 1, timestamp: log.times[k])
                }
            }
        }
        return (Split(name: "mind-time-\(part)-\(testDays)d", train: train, test: test), evaluated, cutoff)
    }
}
