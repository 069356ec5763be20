/// One hyperparameter value as a sweep file, the wire and the store carry it.
///
/// `description` is the canonical text used in trial identities and leaderboards: integers in
/// decimal, doubles in Swift's shortest round-trip form, so `0.01` stays `0.01` everywhere.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return "\(value)"
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        }
    }

    /// The type tag used in canonical encodings (`int`, `double`, `string`, `bool`).
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .bool: return "bool"
        }
    }

    public var intValue: Int? { if case .int(let value) = self { return value } else { return nil } }
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }
    public var stringValue: String? { if case .string(let value) = self { return value } else { return nil } }
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
}
