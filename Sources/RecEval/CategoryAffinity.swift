public import RecData

/// How what users consume in one domain relates to what they consume in another (movie genres
/// against news topics), for the users present in both, with a permutation test per pair.
///
/// - Profiles: for each user with at least `minimumRows` rows in each domain, the share of the
///   user's rows per category in each domain (an item in m categories gives 1/m to each; a row
///   without a described item is left out; every row counts, whatever its rating).
/// - Correlation: r[g][t] = Pearson's correlation across those users between the share of row
///   category g and the share of column category t. A category no user (or every user equally)
///   has gives no correlation: NaN, never significant.
/// - Significance: the pairing of users between the domains is shuffled `permutations` times
///   (one seeded shuffle re-pairs all cells at once); p = (1 + #{|r_perm| ≥ |r|}) / (1 + B),
///   two-sided. Cells are significant under the Benjamini–Hochberg procedure at `fdr` over all
///   cells with a correlation.
/// Shares sum to 1 per user, so a strong positive pair pulls others of the same row negative;
/// read the positive cells.
/// - Complexity: O(rows of both domains + B × users × R × C) time for R × C categories.
public struct CategoryAffinity: Sendable, Codable, Equatable {
    public var rowDomain: String
    public var columnDomain: String
    public var rows: [String]
    public var columns: [String]
    /// Users with at least `minimumRows` rows in both domains: the sample.
    public var users: Int
    public var minimumRows: Int
    public var correlation: [[Double]]
    public var pValue: [[Double]]
    public var significant: [[Bool]]
    public var permutations: Int
    public var fdr: Double
    public var seed: UInt64

    /// - Throws: ``EvaluationError`` when fewer than 3 users are in both domains, or a domain has
    ///   no categories.
    public init(
        rows rowDomain: Domain, columns columnDomain: Domain, userCount: Int, minimumRows: Int = 5,
        permutations: Int = 1000, fdr: Double = 0.05, seed: UInt64 = 0,
        progress: (_ done: Int, _ users: Int) -> Void = { _, _ in }
    ) throws(EvaluationError) {
        let context = "category affinity"
        guard permutations >= 1 else { throw EvaluationError(context, "permutations must be at least 1, got \(permutations)") }
        guard fdr > 0 && fdr < 1 else { throw EvaluationError(context, "fdr must be in (0, 1), got \(fdr)") }
        for domain in [rowDomain, columnDomain] where domain.catalog.categories.isEmpty {
            throw EvaluationError(context, "domain '\(domain.name)' has no item categories (genres or news categories)")
        }
        let rowShares = Self.shares(rowDomain, userCount: userCount)
        let columnShares = Self.shares(columnDomain, userCount: userCount)
        let sample = (0..<userCount).filter {
            rowShares.counts[$0] >= max(1, minimumRows) && columnShares.counts[$0] >= max(1, minimumRows)
        }
        guard sample.count >= 3 else {
            throw EvaluationError(
                context,
                "\(sample.count) users have at least \(minimumRows) rows in both '\(rowDomain.name)' and '\(columnDomain.name)'; at least 3 are needed (lower --min-rows, or use data whose users are linked)"
            )
        }
        let r = rowDomain.catalog.categories.count, c = columnDomain.catalog.categories.count
        let left = Self.standardized(sample.map { rowShares.profiles[$0] }, width: r)
        let right = Self.standardized(sample.map { columnShares.profiles[$0] }, width: c)
        let n = sample.count
        let observed = Self.correlations(left.values, right.values, order: Array(0..<n), n: n, r: r, c: c)
        var exceed = [[Int]](repeating: [Int](repeating: 0, count: c), count: r)
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<n)
        for done in 0..<permutations {
            if done % 50 == 0 { progress(done, n) }
            generator.shuffle(&order)
            let permuted = Self.correlations(left.values, right.values, order: order, n: n, r: r, c: c)
            for g in 0..<r { for t in 0..<c where abs(permuted[g][t]) >= abs(observed[g][t]) { exceed[g][t] += 1 } }
        }
        progress(permutations, n)
        var correlation = observed
        var pValue = [[Double]](repeating: [Double](repeating: .nan, count: c), count: r)
        for g in 0..<r {
            for t in 0..<c {
                guard left.isVarying[g], right.isVarying[t] else {
                    correlation[g][t] = .nan
                    continue
                }
                pValue[g][t] = Double(1 + exceed[g][t]) / Double(1 + permutations)
            }
        }
        self.rowDomain = rowDomain.name
        self.columnDomain = columnDomain.name
        rows = rowDomain.catalog.categories
        columns = columnDomain.catalog.categories
        users = n
        self.minimumRows = minimumRows
        self.correlation = correlation
        self.pValue = pValue
        significant = Self.benjaminiHochberg(pValue, fdr: fdr)
        self.permutations = permutations
        self.fdr = fdr
        self.seed = seed
    }

    /// Per user: share of rows per category, and how many rows had a described item.
    static func shares(_ domain: Domain, userCount: Int) -> (profiles: [[Double]], counts: [Int]) {
        let width = domain.catalog.categories.count
        var profiles = [[Double]](repeating: [Double](repeating: 0, count: width), count: userCount)
        var counts = [Int](repeating: 0, count: userCount)
        let rows = domain.interactions
        for k in 0..<rows.count {
            let user = Int(rows.users[k]), item = Int(rows.items[k])
            guard user < userCount, item < domain.catalog.records.count, let record = domain.catalog.records[item],
                !record.categories.isEmpty
            else { continue }
            counts[user] += 1
            let share = 1 / Double(record.categories.count)
            for category in record.categories where Int(category) < width { profiles[user][Int(category)] += share }
        }
        for user in 0..<userCount where counts[user] > 0 {
            for g in 0..<width { profiles[user][g] /= Double(counts[user]) }
        }
        return (profiles, counts)
    }

    /// Column-standardized profiles (population standard deviation), users × width row-major; a
    /// constant column becomes zeros and is flagged.
    static func standardized(_ profiles: [[Double]], width: Int) -> (values: [Double], isVarying: [Bool]) {
        let n = profiles.count
        var values = [Double](repeating: 0, count: n * width)
        var varying = [Bool](repeating: false, count: width)
        for g in 0..<width {
            let mean = profiles.reduce(0) { $0 + $1[g] } / Double(n)
            let variance = profiles.reduce(0) { $0 + ($1[g] - mean) * ($1[g] - mean) } / Double(n)
            guard variance > 1e-24 else { continue }
            varying[g] = true
            let deviation = variance.squareRoot()
            for u in 0..<n { values[u * width + g] = (profiles[u][g] - mean) / deviation }
        }
        return (values, varying)
    }

    /// r[g][t] = (1/n) Σ_u left[u][g] · right[order[u]][t].
    static func correlations(_ left: [Double], _ right: [Double], order: [Int], n: Int, r: Int, c: Int) -> [[Double]] {
        var sums = [Double](repeating: 0, count: r * c)
        left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in
                sums.withUnsafeMutableBufferPointer { s in
                    for u in 0..<n {
                        let rowA = u * r, rowB = order[u] * c
                        for g in 0..<r {
                            let x = a[rowA + g]
                            guard x != 0 else { continue }
                            for t in 0..<c { s[g * c + t] += x * b[rowB + t] }
                        }
                    }
                }
            }
        }
        return (0..<r).map { g in (0..<c).map { sums[g * c + $0] / Double(n) } }
    }

    /// Benjamini–Hochberg over the finite p-values: reject the k smallest, k the largest rank with
    /// p_(k) ≤ k·q/m.
    public static func benjaminiHochberg(_ pValue: [[Double]], fdr: Double) -> [[Bool]] {
        var cells: [(p: Double, g: Int, t: Int)] = []
        for (g, row) in pValue.enumerated() { for (t, p) in row.enumerated() where p.isFinite { cells.append((p, g, t)) } }
        cells.sort { $0.p < $1.p || ($0.p == $1.p && ($0.g, $0.t) < ($1.g, $1.t)) }
        var cutoff = 0
        for (index, cell) in cells.enumerated() where cell.p <= Double(index + 1) * fdr / Double(cells.count) {
            cutoff = index + 1
        }
        var result = pValue.map { $0.map { _ in false } }
        for cell in cells.prefix(cutoff) { result[cell.g][cell.t] = true }
        return result
    }

    /// Significant positive pairs, strongest first.
    public var positivePairs: [(row: String, column: String, correlation: Double, pValue: Double)] {
        var pairs: [(row: String, column: String, correlation: Double, pValue: Double)] = []
        for g in rows.indices {
            for t in columns.indices where significant[g][t] && correlation[g][t] > 0 {
                pairs.append((rows[g], columns[t], correlation[g][t], pValue[g][t]))
            }
        }
        return pairs.sorted { $0.correlation > $1.correlation }
    }

    /// Agreement with a planted affinity (rows × columns named `plantedRows` × `plantedColumns`):
    /// Spearman's rank correlation between the observed correlations and the planted values over
    /// the cells both have, and how many of the planted cells above the planted mean came out
    /// significant and positive. Nil when no cell matches by name or the planted matrix is
    /// constant (the negative control, affinity 0).
    public func agreement(planted: [[Double]], plantedRows: [String], plantedColumns: [String]) -> Agreement? {
        var observed: [Double] = [], truth: [Double] = [], found: [Bool] = []
        for (pg, name) in plantedRows.enumerated() {
            guard let g = rows.firstIndex(of: name) else { continue }
            for (pt, column) in plantedColumns.enumerated() {
                guard let t = columns.firstIndex(of: column), correlation[g][t].isFinite else { continue }
                observed.append(correlation[g][t])
                truth.append(planted[pg][pt])
                found.append(significant[g][t] && correlation[g][t] > 0)
            }
        }
        guard truth.count >= 3, let low = truth.min(), let high = truth.max(), high > low else { return nil }
        let mean = truth.reduce(0, +) / Double(truth.count)
        let strong = truth.indices.filter { truth[$0] > mean }
        return Agreement(
            cells: truth.count, spearman: Self.spearman(observed, truth), strongCells: strong.count,
            strongFound: strong.filter { found[$0] }.count,
            foundElsewhere: truth.indices.filter { truth[$0] <= mean && found[$0] }.count)
    }

    public struct Agreement: Sendable, Codable, Equatable {
        /// Cells compared.
        public var cells: Int
        public var spearman: Double
        /// Planted cells above the planted mean, and how many of them were found (significant, positive).
        public var strongCells: Int
        public var strongFound: Int
        /// Cells at or below the planted mean found significant and positive.
        public var foundElsewhere: Int
    }

    /// Spearman's ρ: Pearson's correlation of average ranks.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var result = [Double](repeating: 0, count: values.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
                let rank = Double(start + end) / 2 + 1
                for k in start...end { result[order[k]] = rank }
                start = end + 1
            }
            return result
        }
        let x = ranks(a), y = ranks(b)
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for k in x.indices {
            sxy += (x[k] - mx) * (y[k] - my)
            sxx += (x[k] - mx) * (x[k] - mx)
            syy += (y[k] - my) * (y[k] - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
