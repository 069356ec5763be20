/// Why ``LDATrainer`` cannot fit: a setting out of range or a corpus with nothing to learn
/// from. The message names the setting and the accepted range.
public struct LDAError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
