public import Foundation

/// The planted ground truth of a synthetic data set, written beside it as `truth.json`, so that
/// an analysis (a genre × topic correlation report, a unified model's user vectors) can be checked
/// against what was generated.
///
/// Every number here is the exact value the generator used (rounded to 6 decimals *before* use).
public struct SyntheticTruth: Codable, Equatable, Sendable {
    /// One person of the latent population.
    public struct User: Codable, Equatable, Sendable {
        /// The `userId` in `ratings.csv`, or nil when the user is not in the movie domain.
        public var movielensUser: String?
        /// The user id in `behaviors.tsv`, or nil when the user is not in the news domain.
        public var mindUser: String?
        /// `movies`, `news`, or both: the domains the user is present in.
        public var domains: [String]
        /// Latent genre taste g (sums to 1), in the order of ``SyntheticTruth/genres``.
        public var genreTaste: [Double]
        /// Latent topic taste t (sums to 1), in the order of ``SyntheticTruth/topics``.
        public var topicTaste: [Double]
        /// The planted group (0-based, a row of ``SyntheticTruth/groupPrototypes``); nil without groups.
        public var group: Int?

        public init(
            movielensUser: String?, mindUser: String?, domains: [String], genreTaste: [Double], topicTaste: [Double],
            group: Int? = nil
        ) {
            self.group = group
            self.movielensUser = movielensUser
            self.mindUser = mindUser
            self.domains = domains
            self.genreTaste = genreTaste
            self.topicTaste = topicTaste
        }

        public var isLinked: Bool { movielensUser != nil && mindUser != nil }
    }

    public static let formatName = "crossrec-synthetic-truth/1"

    /// ``formatName``; a reader refuses other formats.
    public var format: String
    /// The generative model in words (the formulas of ``SyntheticGenerator``).
    public var model: String
    public var parameters: SyntheticConfig
    /// MovieLens genre names: the rows of ``affinity``.
    public var genres: [String]
    /// MIND categories: the columns of ``affinity``.
    public var topics: [String]
    /// The planted genre × topic affinity `affinityStrength × A`, where each row of A sums to 1.
    /// All zeros when `affinityStrength` is 0 (the negative control).
    public var affinity: [[Double]]
    public var counts: SyntheticCounts
    /// Every latent user, linked users included, in generation order.
    public var users: [User]
    /// The genre prototypes of the planted groups (``SyntheticConfig/groups`` rows, genres order);
    /// nil without groups.
    public var groupPrototypes: [[Double]]?

    public init(
        format: String = formatName, model: String, parameters: SyntheticConfig, genres: [String], topics: [String],
        affinity: [[Double]], counts: SyntheticCounts, users: [User], groupPrototypes: [[Double]]? = nil
    ) {
        self.groupPrototypes = groupPrototypes
        self.format = format
        self.model = model
        self.parameters = parameters
        self.genres = genres
        self.topics = topics
        self.affinity = affinity
        self.counts = counts
        self.users = users
    }

    /// Reads `truth.json`, given either the file or the data set folder that holds it.
    public static func load(from url: URL) throws(DataError) -> SyntheticTruth {
        var isDirectory: ObjCBool = false
        var file = url
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = url.appendingPathComponent(SyntheticLayout.truth)
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw DataError(
                .missingFile, file: file.path, message: "file not found",
                hint: "`crossrec data generate` writes truth.json beside the generated data")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw DataError(.io, file: file.path, message: "cannot read: \(error.localizedDescription)")
        }
        let truth: SyntheticTruth
        do {
            truth = try JSONDecoder().decode(SyntheticTruth.self, from: data)
        } catch {
            throw DataError(.badJSON, file: file.path, message: "not a synthetic truth file: \(error)")
        }
        guard truth.format == formatName else {
            throw DataError(
                .badValue, file: file.path, fieldName: "format",
                message: "expected '\(formatName)', got '\(truth.format)'")
        }
        return truth
    }
}

extension SyntheticTruth {
    /// Writes the truth as JSON: keys in a fixed order, one matrix row and one user per line,
    /// numbers in fixed 6-decimal notation, so the same truth gives the same bytes everywhere.
    func write(to writer: inout SyntheticFileWriter) throws(DataError) {
        func string(_ value: String) -> String {
            var literal = ""
            JSONStringLiteral.append(value, to: &literal)
            return literal
        }
        func numbers(_ values: [Double], to writer: inout SyntheticFileWriter) {
            writer.byte(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { writer.text(", ") }
                writer.fixed(value, digits: 6)
            }
            writer.byte(UInt8(ascii: "]"))
        }
        func strings(_ values: [String]) -> String { "[" + values.map(string).joined(separator: ", ") + "]" }
        func split(_ counts: SyntheticSplitCounts) -> String {
            "{\"impressions\": \(counts.impressions), \"shown\": \(counts.shown), \"clicks\": \(counts.clicks)}"
        }
        func optional(_ value: String?) -> String { value.map(string) ?? "null" }

        let p = parameters
        writer.text("{\n  \"format\": \(string(format)),\n  \"model\": \(string(model)),\n")
        writer.text("  \"parameters\": {\"users\": \(p.users), \"bothFraction\": \(p.bothFraction), ")
        writer.text("\"movies\": \(p.movies), \"news\": \(p.news), \"density\": \(p.density), ")
        writer.text("\"affinityStrength\": \(p.affinityStrength), \"noise\": \(p.noise), \"seed\": \(p.seed)")
        if p.groups > 0 { writer.text(", \"groups\": \(p.groups), \"groupSpread\": \(p.groupSpread)") }
        writer.text("},\n")
        writer.text("  \"genres\": \(strings(genres)),\n  \"topics\": \(strings(topics)),\n  \"affinity\": [\n")
        for (row, values) in affinity.enumerated() {
            writer.text("    ")
            numbers(values, to: &writer)
            if row + 1 < affinity.count { writer.byte(UInt8(ascii: ",")) }
            try writer.newline()
        }
        let c = counts
        writer.text("  ],\n  \"counts\": {\"users\": \(c.users), \"movieUsers\": \(c.movieUsers), ")
        writer.text("\"newsUsers\": \(c.newsUsers), \"linkedUsers\": \(c.linkedUsers), \"movies\": \(c.movies), ")
        writer.text("\"ratings\": \(c.ratings), \"tags\": \(c.tags), \"news\": \(c.news), ")
        writer.text("\"train\": \(split(c.train)), \"dev\": \(split(c.dev))},\n")
        if let groupPrototypes {
            writer.text("  \"groupPrototypes\": [\n")
            for (row, values) in groupPrototypes.enumerated() {
                writer.text("    ")
                numbers(values, to: &writer)
                if row + 1 < groupPrototypes.count { writer.byte(UInt8(ascii: ",")) }
                try writer.newline()
            }
            writer.text("  ],\n")
        }
        writer.text("  \"users\": [\n")
        for (index, user) in users.enumerated() {
            writer.text("    {\"movielensUser\": \(optional(user.movielensUser)), ")
            writer.text("\"mindUser\": \(optional(user.mindUser)), \"domains\": \(strings(user.domains)), ")
            writer.text("\"genreTaste\": ")
            numbers(user.genreTaste, to: &writer)
            writer.text(", \"topicTaste\": ")
            numbers(user.topicTaste, to: &writer)
            if let group = user.group { writer.text(", \"group\": \(group)") }
            writer.byte(UInt8(ascii: "}"))
            if index + 1 < users.count { writer.byte(UInt8(ascii: ",")) }
            try writer.newline()
        }
        writer.text("  ]\n}")
        try writer.newline()
    }
}
