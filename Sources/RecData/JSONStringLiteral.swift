/// JSON string literals as every hand-written JSON writer in crossrec spells them (the synthetic
/// generator's truth.json, the leaderboard's `JSONText`, the store's config and metrics
/// columns): `"` and `\` escaped,
/// `\n` `\r` `\t` by name, other control characters as `\u00XX`, everything else as is — the
/// same text `JSONEncoder` writes with `.withoutEscapingSlashes`.
public enum JSONStringLiteral {
    public static func append(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}
