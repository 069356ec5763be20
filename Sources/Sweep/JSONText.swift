import ParameterSpecs

/// A JSON value with object keys in a chosen order, written with two-space indentation: the
/// leaderboard's JSON is stable byte for byte (unlike `JSONEncoder`, whose key order is either
/// unspecified or alphabetical, and whose number format is not ours to choose).
indirect enum JSONText {
    case object([(String, JSONText)])
    case array([JSONText])
    case string(String)
    /// Written as given (already valid JSON number text).
    case number(String)
    case bool(Bool)
    case null

    static func double(_ value: Double?) -> JSONText {
        guard let value, value.isFinite else { return .null }
        return .number(TextFormat.exact(value))
    }

    static func parameter(_ value: ParameterValue) -> JSONText {
        switch value {
        case .int(let int): return .number(String(int))
        case .double(let double): return .double(double)
        case .string(let string): return .string(string)
        case .bool(let bool): return .bool(bool)
        }
    }

    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            let body = members.map { "\(inner)\(TextFormat.jsonString($0.0)): \($0.1.rendered(indent: inner))" }
            return "{\n" + body.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let elements):
            guard !elements.isEmpty else { return "[]" }
            if elements.allSatisfy(\.isScalar) {
                return "[" + elements.map { $0.rendered() }.joined(separator: ", ") + "]"
            }
            return "[\n" + elements.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .string(let string): return TextFormat.jsonString(string)
        case .number(let number): return number
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }
}
