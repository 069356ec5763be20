import Foundation
import HTMLRender
import RecData

/// Locale-free number formatting and escaping shared by the renderers.
enum TextFormat {
    /// Fixed decimals (`0.9123`), through C's `%.*f` (always `.` as the separator: Foundation's
    /// `String(format:)` without a locale does not localize); `-0.0000` is written `0.0000`;
    /// non-finite values as `nan`, `inf`, `-inf`.
    static func fixed(_ value: Double, decimals: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// Swift's shortest round-trip form (`0.1`, `1e-05`), exact and stable across platforms.
    static func exact(_ value: Double) -> String { "\(value)" }

    /// HTML/XML-safe text: ``HTMLRender/XMLText/escaped(_:)``.
    static func xmlEscaped(_ text: String) -> String { XMLText.escaped(text) }

    /// RFC 4180 field: quoted (with `"` doubled) when it holds a comma, quote, CR or LF.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A Markdown table cell: `|` escaped, line breaks as spaces.
    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var literal = ""
        JSONStringLiteral.append(text, to: &literal)
        return literal
    }
}
