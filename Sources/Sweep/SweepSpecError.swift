/// A sweep file that cannot be used, with where and why: `sweeps/mf.yaml:14: 'factors' must be …`.
///
/// `line` is 1-based and points at the offending key or value (for a missing key, at the key of the
/// mapping that lacks it; 1 when the file itself is empty). `key` is the dotted path of the key
/// concerned (`models.mf.factors`, `dataset.split.random.test`), empty for file-level problems.
public struct SweepSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String
    public var message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: message`, the form editors and CI logs turn into links.
    public var description: String { "\(file):\(line): \(message)" }
}
