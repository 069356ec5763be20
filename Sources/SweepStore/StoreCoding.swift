import Foundation
import Sweep
import RecData

/// The JSON forms of the store's JSON columns. Canonical: sorted keys, the `Codable` shape of
/// `TrialConfig` (which keeps each parameter's type, so a decoded config hashes to the same
/// `TrialID`), non-finite numbers as the strings `nan`, `inf`, `-inf` (a diverged model's RMSE
/// must still be recordable).
struct StoreCoding {
    let encoder: JSONEncoder
    let decoder: JSONDecoder

    init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    }

    func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `values` as a JSON object with sorted keys, written by hand: this runs for every recorded
    /// result, and `JSONEncoder` costs more than all of the result's SQL. Doubles use Swift's
    /// shortest round-trip form (decoded bit-identical); non-finite values use the strings above.
    func metricsJSON(_ values: [String: Double]) -> String {
        var json = "{"
        for key in values.keys.sorted() {
            if json.utf8.count > 1 { json += "," }
            Self.appendString(key, to: &json)
            json += ":"
            let value = values[key]!
            if value.isNaN {
                json += "\"nan\""
            } else if value.isInfinite {
                json += value < 0 ? "\"-inf\"" : "\"inf\""
            } else {
                json += value.description
            }
        }
        return json + "}"
    }

    /// `config` in the `Codable` shape `JSONEncoder` gives it (sorted keys, each parameter as
    /// `{"<type>":{"_0":<value>}}`), written by hand: registering a 100k-trial sweep spent half
    /// its time in `JSONEncoder`. Decodes with `decode(TrialConfig.self, …)` to an equal config.
    func configJSON(_ config: TrialConfig) -> String {
        var json = "{\"model\":"
        Self.appendString(config.model, to: &json)
        json += ",\"parameters\":{"
        for (position, name) in config.parameters.keys.sorted().enumerated() {
            if position > 0 { json += "," }
            Self.appendString(name, to: &json)
            let value = config.parameters[name]!
            json += ":{\"\(value.typeName)\":{\"_0\":"
            switch value {
            case .int(let int): json += String(int)
            case .double(let double): Self.appendNumber(double, to: &json)
            case .string(let text): Self.appendString(text, to: &json)
            case .bool(let bool): json += bool ? "true" : "false"
            }
            json += "}}"
        }
        return json + "},\"seed\":\(config.seed)}"
    }

    /// A double as `JSONEncoder` writes it: shortest round-trip digits, no `.0` on whole numbers,
    /// non-finite values as the strings `nan`, `inf`, `-inf`.
    private static func appendNumber(_ value: Double, to json: inout String) {
        if value.isNaN {
            json += "\"nan\""
        } else if value.isInfinite {
            json += value < 0 ? "\"-inf\"" : "\"inf\""
        } else {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            json += text
        }
    }

    private static func appendString(_ string: String, to json: inout String) {
        JSONStringLiteral.append(string, to: &json)
    }

    func decode<Value: Decodable>(_ type: Value.Type, from json: String, table: String, key: String) throws -> Value {
        do {
            return try decoder.decode(type, from: Data(json.utf8))
        } catch {
            throw SweepStoreError.corruptRow(table: table, key: key, reason: "cannot decode \(Value.self): \(error)")
        }
    }

    func metrics(values: String, timings: String?, table: String, key: String) throws -> TrialMetrics {
        TrialMetrics(
            values: try decode([String: Double].self, from: values, table: table, key: key),
            timings: try timings.map { try decode([String: Double].self, from: $0, table: table, key: key) } ?? [:])
    }
}
