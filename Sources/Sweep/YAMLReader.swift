import Foundation
import Yams

/// Reads a composed YAML tree (Yams `Node`) and turns every problem into a ``SweepSpecError``
/// naming the file, the line and the key. Internal: Yams types never leave the module.
struct YAMLReader {
    let file: String

    func error(line: Int, key: String, _ message: String) -> SweepSpecError {
        SweepSpecError(file: file, line: line, key: key, message: message)
    }

    /// The root mapping of `yaml`, or an error for syntax errors, an empty file or a non-mapping root.
    func root(of yaml: String, what: String = "sweep file") throws(SweepSpecError) -> YAMLMap {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let yamlError as YamlError {
            throw describe(yamlError)
        } catch {
            throw self.error(line: 1, key: "", "not valid YAML: \(error)")
        }
        guard let node else {
            throw self.error(
                line: 1, key: "",
                what == "sweep file"
                    ? "the sweep file is empty; it needs at least 'name', 'dataset', 'metric' and 'models'"
                    : "the \(what) is empty")
        }
        return try YAMLMap(node, path: "", line: node.mark?.line ?? 1, reader: self, what: "the \(what)")
    }

    private func describe(_ yamlError: YamlError) -> SweepSpecError {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return error(line: mark.line, key: "", "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return error(
                line: context.mark.line, key: duplicates.sorted().first ?? "",
                "duplicate key \(keys): each key may appear once in a mapping")
        case .reader(let problem, _, _, _):
            return error(line: 1, key: "", "cannot read the file: \(problem)")
        default:
            return error(line: 1, key: "", "not valid YAML: \(yamlError)")
        }
    }
}
