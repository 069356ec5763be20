import Foundation

/// What a model may allocate before it refuses to fit: the memory the system can give now, or a
/// cap the user sets with `max_memory_gb`. Models whose memory grows faster than the data
/// (``EASEModel``'s dense items × items matrix, ``ItemKNNModel`` keeping all neighbours) compare
/// an estimate with it up front, so a trial that cannot fit fails in milliseconds with a message
/// that says what to change, instead of being killed by the kernel minutes later.
public enum MemoryBudget {
    /// The name of the parameter that overrides the available memory.
    public static let parameterName = "max_memory_gb"
    /// Its word for "what the system has now".
    public static let availableWord = "available"

    /// Memory the system can give this process, and where the figure comes from (for messages).
    public struct Available: Sendable, Hashable {
        public var bytes: Int
        public var source: String
    }

    /// `MemAvailable` from `/proc/meminfo` (what Linux can hand out without swapping), lowered to
    /// the room left under a cgroup memory limit (v2 `memory.max`, v1 `memory.limit_in_bytes`)
    /// when one is set; without `/proc/meminfo`, the physical memory.
    public static func available() -> Available {
        var result: Available
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8), let bytes = memAvailable(in: text)
        {
            result = Available(bytes: bytes, source: "MemAvailable in /proc/meminfo")
        } else {
            result = Available(bytes: Int(ProcessInfo.processInfo.physicalMemory), source: "physical memory")
        }
        if let room = cgroupRoom(), room < result.bytes {
            result = Available(bytes: room, source: "room under the cgroup memory limit")
        }
        return result
    }

    /// The `MemAvailable:` line of a `/proc/meminfo` text, in bytes.
    public static func memAvailable(in meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
            return kibibytes * 1024
        }
        return nil
    }

    /// Limit minus usage of this process's cgroup, when a limit is set.
    private static func cgroupRoom() -> Int? {
        func number(_ path: String) -> Int? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        for (limit, usage) in [
            ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
        ] {
            // "max" (v2) does not parse; v1 reports no limit as a number near Int64.max.
            guard let cap = number(limit), cap < 1 << 60, let used = number(usage) else { continue }
            return max(0, cap - used)
        }
        return nil
    }

    /// `bytes` in decimal gigabytes, three significant digits ("1.74 GB", "0.00144 GB", "174 GB").
    public static func gigabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1e9
        return value >= 100 ? String(format: "%.0f GB", value) : String(format: "%.3g GB", value)
    }

    /// Throws ``ModelError`` when `estimate` bytes exceed `limitGB` (nil: ``available()``), with a
    /// message naming the estimate and its formula, the limit and its source, and `max_memory_gb`.
    /// - Parameters:
    ///   - what: the allocation, e.g. "20845 items need a dense 20845×20845 matrix".
    ///   - formula: how `estimate` was computed, e.g. "n² × 4 bytes × 1 buffer".
    ///   - alternatives: what else would work, appended to the message ("or use neighbors=…").
    static func check(
        model: String, estimate: Int, what: String, formula: String, limitGB: Double?, alternatives: String = "",
        available: () -> Available = available
    ) throws(ModelError) {
        let limit: Available
        if let limitGB {
            limit = Available(bytes: Int(limitGB * 1e9), source: "\(parameterName)=\(limitGB)")
        } else {
            limit = available()
        }
        guard estimate > limit.bytes else { return }
        let suggested = String(format: "%.1f", (Double(estimate) / 1e9 * 1.2 * 10).rounded(.up) / 10)
        throw ModelError(
            model: model,
            message:
                "\(what): about \(gigabytes(estimate)) (\(formula)), more than the \(gigabytes(limit.bytes)) allowed (\(limit.source)); "
                + "set \(parameterName)=\(suggested) to try anyway (\(parameterName) overrides the available memory)\(alternatives)"
        )
    }
}
