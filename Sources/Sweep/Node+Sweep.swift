import Yams

extension Node {
    /// 1-based line of the node (1 when Yams has no position).
    var line: Int { mark?.line ?? 1 }

    /// `a mapping`, `a list`, or the scalar's phrase, for messages.
    var phrase: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar, .alias: return YAMLScalar(self)?.phrase ?? "a value"
        }
    }
}
