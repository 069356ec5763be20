import Foundation
import Yams

/// One `key: value` pair of a mapping, with where it is.
struct YAMLEntry {
    let key: String
    /// Dotted path from the root (`dataset.split.random.test`).
    let path: String
    /// Line of the key.
    let line: Int
    let value: Node
    let reader: YAMLReader

    func error(_ message: String, at node: Node? = nil) -> SweepSpecError {
        reader.error(line: node?.line ?? value.line, key: path, message)
    }

    /// An error at the key's own line (for problems with the key rather than its value).
    func keyError(_ message: String) -> SweepSpecError {
        reader.error(line: line, key: path, message)
    }

    var scalar: YAMLScalar? { YAMLScalar(value) }

    /// A non-empty string scalar (numbers are accepted as their text, so `official: 1` works).
    func string(_ expectation: String = "a non-empty string") throws(SweepSpecError) -> String {
        let text: String?
        switch scalar {
        case .string(let value): text = value
        case .int, .double: text = value.scalar?.string
        default: text = nil
        }
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error("'\(key)' must be \(expectation), got \(value.phrase)")
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    func int(in range: ClosedRange<Int>, _ expectation: String? = nil) throws(SweepSpecError) -> Int {
        guard case .int(let int) = scalar, range.contains(int) else {
            throw error(
                "'\(key)' must be \(expectation ?? "an integer in \(range.lowerBound)…\(range.upperBound)"), got \(value.phrase)"
            )
        }
        return int
    }

    /// Any finite number (integers included) accepted by `isValid`.
    func double(_ expectation: String, where isValid: (Double) -> Bool = { _ in true }) throws(SweepSpecError) -> Double
    {
        let number: Double?
        switch scalar {
        case .int(let int): number = Double(int)
        case .double(let double): number = double
        default: number = nil
        }
        guard let number, number.isFinite, isValid(number) else {
            throw error("'\(key)' must be \(expectation), got \(value.phrase)")
        }
        return number
    }

    /// A seed: a non-negative integer up to 2⁶⁴ − 1.
    func seed() throws(SweepSpecError) -> UInt64 { try YAMLEntry.seed(value, key: key, entry: self) }

    static func seed(_ node: Node, key: String, entry: YAMLEntry) throws(SweepSpecError) -> UInt64 {
        // By tag, not YAMLScalar: seeds above Int.max are still integers.
        if node.scalar != nil, node.tag.rawValue == Tag.Name.int.rawValue, let text = node.scalar?.string,
            let seed = UInt64(text.replacingOccurrences(of: "_", with: ""))
        {
            return seed
        }
        throw entry.error("'\(key)' must be a non-negative integer seed, got \(node.phrase)", at: node)
    }

    func bool() throws(SweepSpecError) -> Bool {
        guard case .bool(let bool) = scalar else { throw error("'\(key)' must be true or false, got \(value.phrase)") }
        return bool
    }

    /// The value as a mapping; `null` (an empty `key:`) reads as an empty mapping when `allowEmpty`.
    func map(_ what: String, allowEmpty: Bool = false) throws(SweepSpecError) -> YAMLMap {
        if allowEmpty, scalar == .null {
            return YAMLMap(empty: path, line: line, reader: reader)
        }
        return try YAMLMap(value, path: path, line: line, reader: reader, what: what)
    }

    /// The value as a list of nodes.
    func list(_ expectation: String) throws(SweepSpecError) -> [Node] {
        guard let sequence = value.sequence else { throw error("'\(key)' must be \(expectation), got \(value.phrase)") }
        return Array(sequence)
    }
}
