import Foundation

/// A user link file: lines `user_in_domain_a,user_in_domain_b` (comma or tab, optional header)
/// saying that two ids on two platforms are one person.
public struct UserLinks: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public var a: String
        public var b: String
        /// 1-based line in the link file, for error messages.
        public var line: Int
    }

    public var file: String
    public var links: [Link]

    public init(file: String, links: [Link]) {
        self.file = file
        self.links = links
    }

    /// Reads a link file. A first line naming columns (non-numeric and containing `user`) is a header.
    /// The same id on either side twice is an error: a person has one id per platform.
    public static func load(file: String) throws(DataError) -> UserLinks {
        let bytes = try FileBytes(path: file, expectedLayout: "user link (user_in_domain_a,user_in_domain_b)")
        let firstLine = bytes.firstLine()
        let separator: FieldSeparator = firstLine.contains(UInt8(ascii: "\t")) ? .tab : .csv
        return try bytes.withBytes { (raw: UnsafeRawBufferPointer) throws(DataError) -> UserLinks in
            var scanner = ByteScanner(bytes: raw, separator: separator, file: file)
            var links: [Link] = []
            var seenA: [String: Int] = [:], seenB: [String: Int] = [:]
            while try scanner.next() {
                try scanner.requireFields(2, names: ["user in domain a", "user in domain b"])
                let a = try scanner.string(0, name: "user in domain a").trimmingCharacters(in: .whitespaces)
                let b = try scanner.string(1, name: "user in domain b").trimmingCharacters(in: .whitespaces)
                if scanner.lineNumber == 1 && (a.lowercased().contains("user") || b.lowercased().contains("user"))
                    && (a.lowercased() == a || b.lowercased() == b) && Int(a) == nil
                {
                    continue  // header
                }
                for (value, position, seen) in [(a, 1, seenA), (b, 2, seenB)] {
                    if value.isEmpty {
                        throw DataError(.badValue, file: file, line: scanner.lineNumber, fieldIndex: position, message: "id is empty")
                    }
                    if let previous = seen[value] {
                        throw DataError(
                            .duplicate, file: file, line: scanner.lineNumber, fieldIndex: position,
                            message: "user '\(value)' is already linked on line \(previous)",
                            hint: "each user is linked to at most one user of the other domain")
                    }
                }
                seenA[a] = scanner.lineNumber
                seenB[b] = scanner.lineNumber
                links.append(Link(a: a, b: b, line: scanner.lineNumber))
            }
            return UserLinks(file: file, links: links)
        }
    }

    /// Joins two data sets into one whose user index is shared by linked people.
    ///
    /// The result has the domains of `a` followed by those of `b` (names must differ). Users of
    /// `a` keep their ids; users only in `b` keep theirs unless it collides with an id of `a`, in
    /// which case it becomes `<b.name>:<id>`. Links naming an id absent from its data set are
    /// counted in the report (`skipped`), not silently dropped.
    public func join(_ a: Dataset, _ b: Dataset) throws(DataError) -> Dataset { try joinMapping(a, b).dataset }

    /// ``join(_:_:)``, and where each user index of `b` went in the joined data set (for data
    /// read from `b`'s files later, such as MIND impression logs).
    public func joinMapping(_ a: Dataset, _ b: Dataset) throws(DataError) -> (dataset: Dataset, bUsers: [Int32]) {
        let names = a.domains.map(\.name) + b.domains.map(\.name)
        if Set(names).count != names.count {
            throw DataError(
                .invalidArgument, file: file, message: "both data sets have a domain named \(names.map { "'\($0)'" }.joined(separator: ", "))",
                hint: "give the generic loader a different domain name")
        }
        var report = LoadReport()
        report.rowsRead[(file as NSString).lastPathComponent] = links.count
        var bToA: [Int32: Int32] = [:]
        for link in links {
            guard let ua = a.users.index(of: link.a) else {
                report.skip((file as NSString).lastPathComponent, reason: "user id not in \(a.name)")
                continue
            }
            guard let ub = b.users.index(of: link.b) else {
                report.skip((file as NSString).lastPathComponent, reason: "user id not in \(b.name)")
                continue
            }
            bToA[ub] = ua
        }
        var users = a.users
        var mapB = [Int32](repeating: -1, count: b.users.count)
        for index in 0..<b.users.count {
            if let linked = bToA[Int32(index)] {
                mapB[index] = linked
                continue
            }
            let id = b.users[Int32(index)]
            let unified = users.index(of: id) == nil ? id : "\(b.name):\(id)"
            mapB[index] = users.intern(unified)
        }
        var domains = a.domains
        for var domain in b.domains {
            domain.interactions.users = domain.interactions.users.map { mapB[Int($0)] }
            if var test = domain.givenTest {
                test.users = test.users.map { mapB[Int($0)] }
                domain.givenTest = test
            }
            domains.append(domain)
        }
        report.notes.append("\(bToA.count) linked users of \(users.count) (\(a.users.count) from \(a.name), \(b.users.count) from \(b.name))")
        for source in [a.report, b.report] {
            report.rowsRead.merge(source.rowsRead) { $0 + $1 }
            report.duplicatesRemoved.merge(source.duplicatesRemoved) { $0 + $1 }
            report.skipped.merge(source.skipped) { lhs, rhs in lhs.merging(rhs) { $0 + $1 } }
            report.notes += source.notes
        }
        let dataset = Dataset(name: "\(a.name)+\(b.name)", layout: "linked: \(a.layout) + \(b.layout)", users: users, domains: domains, report: report)
        return (dataset, mapB)
    }
}
