/// Severity of a `log` action, mirroring swift-log's levels so a shell maps them one to one.
/// Cores log routine protocol steps at `debug`/`trace` and leave level filtering to the executable.
public enum LogLevel: String, Sendable, Hashable, Comparable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
