/// Text made safe for HTML and XML (text and attribute values), as every HTML/XML writer in
/// crossrec spells it (leaderboards, JUnit reports, the affinity heatmap, the data report):
/// `&`, `<`, `>`, `"` and `'` as entities; tab, newline and carriage return kept; other control
/// characters (not allowed in XML 1.0) and U+FFFE/U+FFFF replaced by U+FFFD.
public enum XMLText {
    public static func escaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
