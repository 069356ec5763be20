import Foundation
import ParameterSpecs
import Yams

/// A scalar as YAML's core schema resolved it: quoted text stays a string (`"10"` is not 10).
enum YAMLScalar: Equatable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case null

    /// nil for mappings and sequences.
    init?(_ node: Node) {
        guard let scalar = node.scalar else { return nil }
        switch node.tag.rawValue {
        case Tag.Name.int.rawValue:
            if let int = node.int {
                self = .int(int)
            } else if let double = Double(scalar.string.replacingOccurrences(of: "_", with: "")) {
                self = .double(double)  // an integer too large for Int
            } else {
                self = .string(scalar.string)
            }
        case Tag.Name.float.rawValue:
            self = node.float.map { .double($0) } ?? .string(scalar.string)
        case Tag.Name.bool.rawValue:
            self = node.bool.map { .bool($0) } ?? .string(scalar.string)
        case Tag.Name.null.rawValue:
            self = .null
        default:
            self = .string(scalar.string)
        }
    }

    /// The value as a hyperparameter, nil for null.
    var parameterValue: ParameterValue? {
        switch self {
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .bool(let value): return .bool(value)
        case .string(let value): return .string(value)
        case .null: return nil
        }
    }

    /// `integer 10`, `string 'abc'`, … for messages.
    var phrase: String {
        switch self {
        case .int(let value): return "integer \(value)"
        case .double(let value): return "number \(value)"
        case .bool(let value): return "boolean \(value)"
        case .string(let value): return "string '\(value)'"
        case .null: return "nothing"
        }
    }
}
