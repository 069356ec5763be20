public import RecClusters
public import RecData

/// Clusters of users' vectors (a unified model's shared user factors, or any model's) described
/// by what the members consume: the clusters section of `crossrec analyze --clusters`.
///
/// - Users: those of the ``CategoryAffinity`` sample (at least `minimumRows` rows in both
///   domains) whose vector was learned; vectors are scaled to length 1 first when `normalize`
///   (clusters of taste direction, not of activity).
/// - Clusters: ``KMeans`` (k-means++, `restarts` restarts, `seed`); with ``ClusterCount/auto`` the
///   k of the range with the best silhouette (``ClusterCountSearch``, the whole curve kept).
/// - Profile of cluster k: its size; per category c of either domain the members' mean share
///   m_k(c) against the population's mean share m(c) over the clustered users, lift = m_k(c) / m(c);
///   the top categories are those with the highest lift among those with m_k(c) ≥ ``minimumShare``.
/// - Cross-domain correlation of a user: x_u = mean over the significant cells (g, t) of the
///   affinity of sign(r_gt) · z_ug · z_ut, z the column-standardized shares of
///   ``CategoryAffinity``. Since r_gt = mean_u z_ug z_ut, the mean of x_u over the sample is the
///   mean |r| of the significant cells, and a cluster's mean says how much its members carry the
///   genre–topic links (above the population's: more than their share). NaN when no cell is significant.
/// - Complexity: one fit O(restarts × iterations × k × n × d), times the range with `auto`, plus the
///   silhouette O(min(n, sample limit)² × d) per k; profiles O(n × (R + C) + rows of both domains).
/// - Determinism: the same vectors, data and seed give the same clusters.
public struct UserClusters: Sendable, Codable, Equatable {
    /// One category's share in a cluster against the population.
    public struct CategoryLift: Sendable, Codable, Equatable {
        public var domain: String
        public var category: String
        /// Members' mean share m_k(c).
        public var share: Double
        /// Population mean share m(c).
        public var populationShare: Double
        /// share / populationShare (NaN when no clustered user has the category).
        public var lift: Double
    }

    public struct Profile: Sendable, Codable, Equatable {
        public var cluster: Int
        public var size: Int
        public var topRows: [CategoryLift]
        public var topColumns: [CategoryLift]
        /// Mean x_u of the members (see the type's comment); NaN without significant cells.
        public var crossDomainCorrelation: Double
    }

    /// A significant cell of the affinity: an edge of the genre–topic network.
    public struct Edge: Sendable, Codable, Equatable {
        public var row: String
        public var column: String
        public var correlation: Double
        public var pValue: Double
    }

    public var model: String
    public var requested: String
    public var rowDomain: String
    public var columnDomain: String
    /// Users clustered.
    public var users: Int
    public var dimension: Int
    public var normalized: Bool
    public var clusters: Int
    public var seed: UInt64
    public var restarts: Int
    public var inertia: Double
    public var silhouette: Silhouette
    /// The silhouette curve over k (with `auto`).
    public var selection: ClusterCountSearch?
    public var profiles: [Profile]
    /// Row categories then column categories: the columns of ``lift``.
    public var categories: [String]
    /// lift[k][c] for cluster k and category c of ``categories``.
    public var lift: [[Double]]
    /// Population mean of x_u.
    public var populationCrossDomainCorrelation: Double
    /// The affinity's significant cells, strongest first: the network graph's edges.
    public var edges: [Edge]
    /// Adjusted Rand index against planted groups (generated data with groups), else nil.
    public var plantedAgreement: Double?
    /// Users of the planted-group comparison.
    public var plantedUsers: Int?
    /// On generated data: the adjusted Rand index that a Bayes classifier knowing the generator
    /// (`RecData.SyntheticGroupOracle`) reaches over the same users, what the data allows; set by
    /// ``compareWithOracle(_:planted:)``.
    public var oracleAgreement: Double?
    /// Each clustered user's id and cluster, in user index order.
    public var members: [Member]

    public struct Member: Sendable, Codable, Equatable {
        public var user: String
        public var cluster: Int
    }

    /// Categories listed per cluster and domain.
    public static let topCount = 3
    /// Categories under this mean share in a cluster are not listed as its top ones (a rare
    /// category's lift is mostly noise).
    public static let minimumShare = 0.02

    /// - Parameters:
    ///   - vectors: users × `dimension` (the data set's user numbering), `learned[u]` whether user u
    ///     has a vector.
    ///   - planted: each user's planted group (empty: none).
    /// - Throws: ``EvaluationError`` when fewer users have a vector than k needs, or k is bad.
    public init(
        affinity: CategoryAffinity, rows rowDomain: Domain, columns columnDomain: Domain, users: IDMap,
        vectors: [Float], dimension: Int, learned: [Bool], model: String, count: ClusterCount,
        normalize: Bool = true, restarts: Int = 10, seed: UInt64 = 1, planted: [Int?] = []
    ) throws(EvaluationError) {
        let context = "clusters"
        let userCount = users.count
        precondition(vectors.count == userCount * dimension && learned.count == userCount, "UserClusters: vectors do not match the users")
        let rowShares = CategoryAffinity.shares(rowDomain, userCount: userCount)
        let columnShares = CategoryAffinity.shares(columnDomain, userCount: userCount)
        let minimum = max(1, affinity.minimumRows)
        let sample = (0..<userCount).filter {
            learned[$0] && rowShares.counts[$0] >= minimum && columnShares.counts[$0] >= minimum
        }
        let n = sample.count
        var points: PointMatrix
        do throws(ClusteringError) {
            var values = [Double]()
            values.reserveCapacity(n * dimension)
            for u in sample { for j in 0..<dimension { values.append(Double(vectors[u * dimension + j])) } }
            points = try PointMatrix(count: n, dimension: dimension, values: values)
        } catch {
            throw EvaluationError(context, "the \(model) user vectors: \(error.message)")
        }
        if normalize { points = points.normalizedRows() }
        let settings = KMeans(clusters: 1, restarts: restarts, seed: seed)
        var search: ClusterCountSearch?
        let k: Int
        switch count {
        case .fixed(let fixed):
            guard fixed <= n else {
                throw EvaluationError(context, "\(fixed) clusters need at least \(fixed) users with a vector and \(minimum)+ rows in both domains; \(n) have them (lower --clusters or --min-rows)")
            }
            k = fixed
        case .auto(let range):
            let upper = min(range.upperBound, n - 1)
            guard upper >= range.lowerBound else {
                throw EvaluationError(context, "choosing k needs at least \(range.lowerBound + 1) users with a vector and \(minimum)+ rows in both domains; \(n) have them")
            }
            do throws(ClusteringError) {
                search = try ClusterCountSearch(points, range: range.lowerBound...upper, settings: settings)
            } catch {
                throw EvaluationError(context, error.message)
            }
            k = search!.chosen
        }
        var kmeans = settings
        kmeans.clusters = k
        let fit: KMeansFit
        do throws(ClusteringError) { fit = try kmeans.fit(points) } catch { throw EvaluationError(context, error.message) }

        // Profiles: mean shares per cluster against the population.
        let r = rowDomain.catalog.categories.count, c = columnDomain.catalog.categories.count
        func means(_ shares: [[Double]], width: Int) -> (clusters: [[Double]], population: [Double]) {
            var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: k)
            var population = [Double](repeating: 0, count: width)
            for (index, u) in sample.enumerated() {
                for g in 0..<width {
                    sums[fit.assignments[index]][g] += shares[u][g]
                    population[g] += shares[u][g]
                }
            }
            let sizes = fit.sizes
            return (
                sums.enumerated().map { cluster, row in row.map { sizes[cluster] > 0 ? $0 / Double(sizes[cluster]) : 0 } },
                population.map { $0 / Double(n) }
            )
        }
        let rowMeans = means(rowShares.profiles, width: r)
        let columnMeans = means(columnShares.profiles, width: c)
        func lifts(_ means: (clusters: [[Double]], population: [Double]), names: [String], domain: String, cluster: Int)
            -> [CategoryLift]
        {
            names.indices.map { g in
                let population = means.population[g]
                return CategoryLift(
                    domain: domain, category: names[g], share: means.clusters[cluster][g], populationShare: population,
                    lift: population > 0 ? means.clusters[cluster][g] / population : .nan)
            }
        }
        func top(_ all: [CategoryLift]) -> [CategoryLift] {
            Array(
                all.filter { $0.share >= Self.minimumShare && $0.lift.isFinite }
                    .sorted { $0.lift > $1.lift || ($0.lift == $1.lift && $0.category < $1.category) }.prefix(Self.topCount))
        }

        // Cross-domain correlation per user over the significant cells.
        let significantCells = affinity.rows.indices.flatMap { g in
            affinity.columns.indices.filter { affinity.significant[g][$0] }.map { (g, $0) }
        }
        var perUser = [Double](repeating: .nan, count: n)
        if !significantCells.isEmpty {
            // Standardized over the affinity's own sample, as r was computed.
            let affinitySample = (0..<userCount).filter {
                rowShares.counts[$0] >= minimum && columnShares.counts[$0] >= minimum
            }
            let left = CategoryAffinity.standardized(affinitySample.map { rowShares.profiles[$0] }, width: r)
            let right = CategoryAffinity.standardized(affinitySample.map { columnShares.profiles[$0] }, width: c)
            var position = [Int: Int]()
            for (index, u) in affinitySample.enumerated() { position[u] = index }
            for (index, u) in sample.enumerated() {
                guard let p = position[u] else { continue }
                var total = 0.0
                for (g, t) in significantCells {
                    let sign: Double = affinity.correlation[g][t] >= 0 ? 1 : -1
                    total += sign * left.values[p * r + g] * right.values[p * c + t]
                }
                perUser[index] = total / Double(significantCells.count)
            }
        }
        var profiles: [Profile] = []
        var liftMatrix: [[Double]] = []
        let sizes = fit.sizes
        for cluster in 0..<k {
            let rowLifts = lifts(rowMeans, names: rowDomain.catalog.categories, domain: rowDomain.name, cluster: cluster)
            let columnLifts = lifts(
                columnMeans, names: columnDomain.catalog.categories, domain: columnDomain.name, cluster: cluster)
            liftMatrix.append((rowLifts + columnLifts).map(\.lift))
            let memberValues = sample.indices.filter { fit.assignments[$0] == cluster }.map { perUser[$0] }
            profiles.append(
                Profile(
                    cluster: cluster, size: sizes[cluster], topRows: top(rowLifts), topColumns: top(columnLifts),
                    crossDomainCorrelation: memberValues.isEmpty
                        ? .nan : memberValues.reduce(0, +) / Double(memberValues.count)))
        }
        var edges: [Edge] = []
        for (g, t) in significantCells {
            edges.append(
                Edge(
                    row: affinity.rows[g], column: affinity.columns[t], correlation: affinity.correlation[g][t],
                    pValue: affinity.pValue[g][t]))
        }
        edges.sort { abs($0.correlation) > abs($1.correlation) || (abs($0.correlation) == abs($1.correlation) && ($0.row, $0.column) < ($1.row, $1.column)) }

        if !planted.isEmpty {
            let compared = sample.indices.filter { sample[$0] < planted.count && planted[sample[$0]] != nil }
            if compared.count >= 2 {
                plantedAgreement = AdjustedRandIndex.score(
                    compared.map { fit.assignments[$0] }, compared.map { planted[sample[$0]]! })
                plantedUsers = compared.count
            }
        }
        self.model = model
        requested = count.description
        self.rowDomain = rowDomain.name
        self.columnDomain = columnDomain.name
        self.users = n
        self.dimension = dimension
        normalized = normalize
        clusters = k
        self.seed = seed
        self.restarts = restarts
        inertia = fit.inertia
        silhouette = Silhouette(points, assignments: fit.assignments, clusters: k, seed: seed)
        selection = search
        self.profiles = profiles
        categories = rowDomain.catalog.categories.map { "\(rowDomain.name): \($0)" }
            + columnDomain.catalog.categories.map { "\(columnDomain.name): \($0)" }
        lift = liftMatrix
        populationCrossDomainCorrelation = perUser.allSatisfy(\.isNaN) ? .nan : perUser.reduce(0, +) / Double(n)
        self.edges = edges
        members = sample.indices.map { Member(user: users[Int32(sample[$0])], cluster: fit.assignments[$0]) }
    }
}

extension UserClusters {
    /// Sets ``oracleAgreement``: the oracle's `labels` (by user id) against the `planted` groups
    /// (by user id), over the clustered users that both place.
    public mutating func compareWithOracle(_ labels: [String: Int], planted: [String: Int]) {
        let judged = members.filter { planted[$0.user] != nil && labels[$0.user] != nil }
        guard judged.count >= 2 else { return }
        oracleAgreement = AdjustedRandIndex.score(judged.map { planted[$0.user]! }, judged.map { labels[$0.user]! })
    }
}
