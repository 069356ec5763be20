import Foundation

/// A dashboard page, parsed from a request target (`/sweeps/NAME/leaderboard?sort=rmse`). Path
/// components are percent-decoded after splitting, so a sweep named `a/b` is `/sweeps/a%2Fb`.
public enum DashboardRoute: Sendable, Hashable {
    /// `/`: the sweeps in the store.
    case sweeps
    /// `/sweeps/NAME`: counts, rate, time left, workers, failures.
    case overview(sweep: String)
    /// `/sweeps/NAME/leaderboard?sort=METRIC&order=asc|desc&model=M`.
    case leaderboard(sweep: String, LeaderboardQuery)
    /// `/sweeps/NAME/parameters?model=M`.
    case parameters(sweep: String, model: String?)
    /// `/sweeps/NAME/trials/ID`.
    case trial(sweep: String, trial: String)
    /// `/sweeps/NAME/search`: best so far against results and time.
    case search(sweep: String)
    /// Anything else.
    case notFound(path: String)

    /// How the leaderboard table is ordered and filtered.
    public struct LeaderboardQuery: Sendable, Hashable {
        /// A metric name, or `rank`, `model`, `seeds`, `failed`; nil is rank order.
        public var sort: String?
        /// nil: the natural order (rank ascending; a metric best first).
        public var descending: Bool?
        /// Only this model's rows.
        public var model: String?

        public init(sort: String? = nil, descending: Bool? = nil, model: String? = nil) {
            self.sort = sort
            self.descending = descending
            self.model = model
        }
    }

    /// Parses `target` (path and optional query). Unknown query keys are ignored; empty values
    /// count as absent.
    public init(target: String) {
        let (path, query) = Self.split(target)
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        func value(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        switch components.count {
        case 0:
            self = .sweeps
        case 2 where components[0] == "sweeps":
            self = .overview(sweep: components[1])
        case 3 where components[0] == "sweeps" && components[2] == "leaderboard":
            let order = value("order")
            self = .leaderboard(
                sweep: components[1],
                LeaderboardQuery(
                    sort: value("sort"), descending: order == "desc" ? true : (order == "asc" ? false : nil), model: value("model")))
        case 3 where components[0] == "sweeps" && components[2] == "parameters":
            self = .parameters(sweep: components[1], model: value("model"))
        case 3 where components[0] == "sweeps" && components[2] == "search":
            self = .search(sweep: components[1])
        case 4 where components[0] == "sweeps" && components[2] == "trials":
            self = .trial(sweep: components[1], trial: components[3])
        default:
            self = .notFound(path: path)
        }
    }

    /// The path and the decoded query parameters of `target` (`+` is a space in values).
    static func split(_ target: String) -> (path: String, query: [String: String]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let key = parts.first else { continue }
            query[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return (String(target[..<mark]), query)
    }
}

/// Links between dashboard pages, percent-encoded, the inverse of ``DashboardRoute/init(target:)``.
public enum DashboardLink {
    /// Characters kept as they are in a path component or query value.
    private static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~@")
        return set
    }()

    public static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    public static func overview(_ sweep: String) -> String { "/sweeps/\(component(sweep))" }
    public static func parameters(_ sweep: String, model: String? = nil) -> String {
        "/sweeps/\(component(sweep))/parameters" + (model.map { "?model=\(component($0))" } ?? "")
    }
    public static func search(_ sweep: String) -> String { "/sweeps/\(component(sweep))/search" }
    public static func trial(_ sweep: String, _ trial: String) -> String {
        "/sweeps/\(component(sweep))/trials/\(component(trial))"
    }
    public static func leaderboard(_ sweep: String, _ query: DashboardRoute.LeaderboardQuery = .init()) -> String {
        var parameters: [String] = []
        if let sort = query.sort { parameters.append("sort=\(component(sort))") }
        if let descending = query.descending { parameters.append("order=\(descending ? "desc" : "asc")") }
        if let model = query.model { parameters.append("model=\(component(model))") }
        return "/sweeps/\(component(sweep))/leaderboard" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
    }
}
