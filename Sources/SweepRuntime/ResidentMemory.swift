import Foundation

/// This process's resident memory, for `--verbose` start-up lines and benchmark figures.
public enum ResidentMemory {
    /// Current resident set size of this process (or of process `pid`) from `/proc/…/statm`, or nil
    /// where there is none (no `/proc`, or the process is gone).
    public static func bytes(pid: Int32? = nil) -> Int? {
        let path = pid.map { "/proc/\($0)/statm" } ?? "/proc/self/statm"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Peak resident set size of this process so far (`getrusage`).
    public static func peakBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    /// `bytes` as `12.3 MiB`, or `unknown`.
    public static func mebibytes(_ bytes: Int?) -> String {
        guard let bytes else { return "unknown" }
        return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
