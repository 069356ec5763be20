import Foundation
import RecEval
import Sweep

/// Progress of a command that trains models, on standard error: a rewritten line on a terminal,
/// otherwise one line per stage and at most one line a second while epochs run.
///
/// Progress values may carry a stage prefix (`validation.content.vocabulary` from the hybrid's
/// inner fits); it is shown as the stage (`[validation fit, content] epoch 1/1  vocabulary 244`).
final class CommandProgress: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastLine = ContinuousClock.now - .seconds(10)
    private var lastStage: String?
    private var wrote = false
    /// Folds of `compare --all-folds` report from several threads.
    private let lock = NSLock()

    init(label: String) { self.label = label }

    /// A stage without epochs (`loading the data`).
    func start(_ text: String) { lock.withLock { write("\(label): \(text)…", force: true) } }

    func update(model: String? = nil, _ progress: TrialProgress) {
        lock.lock()
        defer { lock.unlock() }
        var (stage, values) = Self.split(progress.values)
        if let model { stage = [model, stage].compactMap { $0 }.joined(separator: ", ") }
        let total = progress.totalEpochs.map(String.init) ?? "?"
        var line = "\(label)" + (stage.map { " [\($0)]" } ?? "") + ": epoch \(progress.epoch)/\(total)"
        let names = MetricText.sorted(values.keys)
        if !names.isEmpty { line += "  " + names.map { "\($0) \(MetricText.value(values[$0]!, of: $0))" }.joined(separator: ", ") }
        let last = progress.totalEpochs.map { progress.epoch >= $0 } ?? false
        write(line, force: stage != lastStage || last)
        lastStage = stage
    }

    /// A free-form status (`permutation 200/1000`); `final` forces it out when not on a terminal.
    func note(_ text: String, final: Bool = false) { lock.withLock { write("\(label): \(text)", force: final) } }

    /// Ends the rewritten line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal && wrote { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        wrote = false
    }

    private func write(_ line: String, force: Bool) {
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            wrote = true
        } else if force || ContinuousClock.now - lastLine >= .seconds(1) {
            lastLine = ContinuousClock.now
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    /// The common stage prefix of the value names (`validation.content`), shown as
    /// `validation fit, content`, and the values without it.
    static func split(_ values: [String: Double]) -> (stage: String?, values: [String: Double]) {
        let prefixes = Set(values.keys.map { key -> String in
            guard let dot = key.lastIndex(of: ".") else { return "" }
            return String(key[..<dot])
        })
        guard prefixes.count == 1, let prefix = prefixes.first, !prefix.isEmpty else { return (nil, values) }
        var parts = prefix.split(separator: ".").map(String.init)
        if parts.first == "validation" { parts[0] = "validation fit" }
        let stripped = Dictionary(uniqueKeysWithValues: values.map { (String($0.key.dropFirst(prefix.count + 1)), $0.value) })
        return (parts.joined(separator: ", "), stripped)
    }
}

/// Pretty, key-sorted JSON in which a number that is not finite is `null` (never the string
/// `"NaN"`), so any JSON reader takes the output.
enum JSONOutput {
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoded to a marker string first, which cannot occur in the output otherwise, then to null.
        let marker = "\u{1}non-finite\u{1}"
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: marker, negativeInfinity: marker, nan: marker)
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        return text.replacingOccurrences(of: "\"\\u0001non-finite\\u0001\"", with: "null")
    }
}
